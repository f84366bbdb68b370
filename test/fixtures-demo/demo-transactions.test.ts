// Every demo transaction is a real one: its txid is the hash of its hex, the JSON fields match
// the hex, fees balance, every input carries a valid signature, and blocks are consistent.

import { crypto, script, Transaction } from 'bitcoinjs-lib';
import * as ecc from 'tiny-secp256k1';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDemo } from '../../fixtures/generate-demo.js';
import { forwardTaint, roundSat, type DemoModel } from '../../fixtures/demo-taint.js';
import { rebuildHex, type EsploraTx } from '../support/memory.js';
import { readDemoChainFile } from '../support/load-chain.js';

const file = readDemoChainFile();
const txs = file.txs.map((t) => t.tx);
const byId = new Map(txs.map((t) => [t.txid, t]));
let names: Map<string, string>;
let seed: string;
let exchangeAddresses: Set<string>;
let roleAddress: (role: string) => string;
beforeAll(() => {
  const demo = buildDemo();
  names = demo.txNames;
  seed = demo.seedAddress;
  exchangeAddresses = new Set(demo.roles.filter((r) => r.category === 'exchange').map((r) => r.address));
  roleAddress = (role) => demo.roles.find((r) => r.role === role)!.address;
});
const named = (name: string): EsploraTx => byId.get(names.get(name)!)!;

describe('demo transactions are real serialized transactions', () => {
  it.each(file.txs.map((t) => [t.tx.txid.slice(0, 16), t] as const))(
    '%s: txid, size, weight, fee',
    (_, { hex, tx }) => {
      const parsed = Transaction.fromHex(hex);
      expect(parsed.getId()).toBe(tx.txid);
      expect(parsed.byteLength()).toBe(tx.size);
      expect(parsed.weight()).toBe(tx.weight);
      expect(rebuildHex(tx)).toBe(hex); // the JSON fields say exactly what the hex says
      const inSum = tx.vin.reduce((s, i) => s + (i.prevout?.value ?? 0), 0);
      const outSum = tx.vout.reduce((s, o) => s + o.value, 0);
      if (tx.vin[0]!.is_coinbase) {
        expect(tx.fee).toBe(0);
        expect(outSum).toBe(312_500_000);
      } else {
        expect(inSum - outSum).toBe(tx.fee);
        expect(tx.fee).toBeGreaterThan(0);
      }
    },
  );

  it('58 transactions: 3 coinbases, 54 confirmed others, 1 in the mempool, last', () => {
    expect(txs.length).toBe(58);
    expect(txs.filter((t) => t.vin[0]!.is_coinbase).length).toBe(3);
    expect(txs.filter((t) => !t.status.confirmed).map((t) => t.txid)).toEqual([txs.at(-1)!.txid]);
  });

  it('every input spends an earlier output of the set, exactly as that output was, once', () => {
    const position = new Map(txs.map((t, i) => [t.txid, i]));
    const spent = new Set<string>();
    let inputs = 0;
    for (const [i, tx] of txs.entries()) {
      for (const input of tx.vin) {
        if (input.is_coinbase) continue;
        inputs++;
        const parent = byId.get(input.txid);
        expect(parent, `${tx.txid} spends ${input.txid}`).toBeDefined();
        expect(position.get(input.txid)!).toBeLessThan(i);
        expect(input.prevout).toEqual(parent!.vout[input.vout]);
        const key = `${input.txid}:${input.vout}`;
        expect(spent.has(key), key).toBe(false);
        spent.add(key);
        if (parent!.vin[0]!.is_coinbase) {
          // Coinbase outputs mature after 100 blocks.
          expect(tx.status.block_height! - parent!.status.block_height!).toBeGreaterThanOrEqual(100);
        } else if (tx.status.confirmed) {
          expect(tx.status.block_height!).toBeGreaterThanOrEqual(parent!.status.block_height!);
        }
      }
    }
    expect(inputs).toBe(72);
  });

  it('every input carries a valid signature (ECDSA or BIP 340)', () => {
    let checked = 0;
    for (const { hex, tx } of file.txs) {
      if (tx.vin[0]!.is_coinbase) continue;
      const t = Transaction.fromHex(hex);
      const prevScripts = tx.vin.map((i) => Buffer.from(i.prevout!.scriptpubkey, 'hex'));
      const values = tx.vin.map((i) => BigInt(i.prevout!.value));
      for (const [i, input] of tx.vin.entries()) {
        const type = input.prevout!.scriptpubkey_type;
        const witness = (input.witness ?? []).map((w) => Buffer.from(w, 'hex'));
        let ok: boolean;
        if (type === 'v1_p2tr') {
          const hash = t.hashForWitnessV1(i, prevScripts, values, Transaction.SIGHASH_DEFAULT);
          ok = ecc.verifySchnorr(hash, prevScripts[i]!.subarray(2), witness[0]!);
        } else if (type === 'p2pkh') {
          const [sig, pub] = script.decompile(Buffer.from(input.scriptsig, 'hex')) as Uint8Array[];
          const decoded = script.signature.decode(sig!);
          ok =
            ecc.verify(t.hashForSignature(i, prevScripts[i]!, decoded.hashType), pub!, decoded.signature) &&
            Buffer.from(crypto.hash160(pub!)).equals(prevScripts[i]!.subarray(3, 23));
        } else {
          expect(['v0_p2wpkh', 'p2sh']).toContain(type);
          const [sig, pub] = witness;
          const decoded = script.signature.decode(sig!);
          const scriptCode = Buffer.concat([
            Buffer.from('76a914', 'hex'),
            crypto.hash160(pub!),
            Buffer.from('88ac', 'hex'),
          ]);
          const hash = t.hashForWitnessV0(i, scriptCode, values[i]!, decoded.hashType);
          ok = ecc.verify(hash, pub!, decoded.signature);
        }
        expect(ok, `${tx.txid}:${i} (${type})`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(72);
  });

  it('blocks are consistent: one hash and time per height, 10 minutes apart', () => {
    const blocks = new Map<number, string>();
    for (const tx of txs) {
      if (!tx.status.confirmed) continue;
      const h = tx.status.block_height!;
      expect(tx.status.block_time).toBe(1_719_390_000 + (h - 850_000) * 600);
      expect(tx.status.block_hash).toMatch(/^0{19}[0-9a-f]{45}$/);
      if (blocks.has(h)) expect(blocks.get(h)).toBe(tx.status.block_hash);
      blocks.set(h, tx.status.block_hash!);
    }
    expect(new Set(blocks.values()).size).toBe(blocks.size);
    expect(Math.min(...blocks.keys())).toBe(849_880);
    expect(Math.max(...blocks.keys())).toBe(850_057);
    expect(file.tip_height).toBe(850_069);
    // BIP 34: each coinbase pushes its own height first.
    for (const tx of txs.filter((t) => t.vin[0]!.is_coinbase)) {
      const pushed = script.decompile(Buffer.from(tx.vin[0]!.scriptsig, 'hex'))![0] as Uint8Array;
      expect(script.number.decode(Buffer.from(pushed))).toBe(tx.status.block_height);
    }
  });

  it('covers the script types a trace meets', () => {
    const types = new Set(txs.flatMap((t) => t.vout.map((o) => o.scriptpubkey_type)));
    expect([...types].sort()).toEqual(['op_return', 'p2pkh', 'p2sh', 'v0_p2wpkh', 'v0_p2wsh', 'v1_p2tr']);
    const spentTypes = new Set(
      txs.flatMap((t) => t.vin.map((i) => i.prevout?.scriptpubkey_type ?? 'coinbase')),
    );
    expect([...spentTypes].sort()).toEqual(['coinbase', 'p2pkh', 'p2sh', 'v0_p2wpkh', 'v1_p2tr']);
  });
});

describe('the shapes the case promises', () => {
  it('the consolidation co-spends all four shop addresses into one output', () => {
    const tx = named('consolidation');
    expect(tx.vin.length).toBe(11);
    expect(tx.vout.length).toBe(1);
    const shops = ['ShopA', 'ShopB', 'ShopC', 'ShopD'].map(roleAddress);
    expect(new Set(tx.vin.map((i) => i.prevout!.scriptpubkey_address))).toEqual(new Set(shops));
    expect(tx.vout[0]!.value).toBe(192_394_990);
  });

  it('the CoinJoin is Whirlpool-shaped: 5 P2WPKH in within p..p+110,000, 5 out of exactly p = 5,000,000', () => {
    const tx = named('whirlpool-coinjoin');
    expect(tx.vin.map((i) => i.prevout!.value)).toEqual([
      5_000_000, 5_000_310, 5_000_260, 5_000_000, 5_000_190,
    ]);
    expect(tx.vout.map((o) => o.value)).toEqual([5_000_000, 5_000_000, 5_000_000, 5_000_000, 5_000_000]);
    expect(
      new Set([
        ...tx.vin.map((i) => i.prevout!.scriptpubkey_type),
        ...tx.vout.map((o) => o.scriptpubkey_type),
      ]),
    ).toEqual(new Set(['v0_p2wpkh']));
    expect(tx.fee).toBe(760);
    expect(new Set(tx.vin.map((i) => i.prevout!.scriptpubkey_address)).size).toBe(5);
  });

  it('the peel chain: six 1-input steps, the supplier payment has an OP_RETURN sibling', () => {
    const peels = [1, 2, 3, 4, 5, 6].map((n) => named(`peel-${n}`));
    expect(peels.map((t) => t.vin.length)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(peels.map((t) => t.vout.length)).toEqual([2, 2, 2, 2, 2, 3]);
    for (let n = 1; n < 6; n++) expect(peels[n]!.vin[0]!.txid).toBe(peels[n - 1]!.txid);
    const opReturn = peels[5]!.vout[1]!;
    expect(opReturn.scriptpubkey_type).toBe('op_return');
    expect(opReturn.value).toBe(0);
    expect('scriptpubkey_address' in opReturn).toBe(false);
    expect(opReturn.scriptpubkey_asm).toBe(
      'OP_RETURN OP_PUSHBYTES_21 494e562d30373331207061696420696e2066756c6c',
    );
  });

  it('the 2-in/3-out mixes a clean coin with one shop payment', () => {
    const tx = named('split-2in-3out');
    expect(tx.vin.map((i) => [i.prevout!.scriptpubkey_address, i.prevout!.value])).toEqual([
      [roleAddress('Operator personal'), 30_000_000],
      [roleAddress('ShopA'), 26_600_000],
    ]);
    expect(tx.vout.map((o) => o.value)).toEqual([20_000_000, 24_000_000, 12_598_299]);
  });
});

describe('the independent taint calculation behind CASE.md', () => {
  const run = (model: DemoModel, hops: number) =>
    forwardTaint(txs, { model, seedAddress: seed, hops, minSat: 1000, stopAddresses: exchangeAddresses });
  const received = (model: DemoModel, label: 'ExchangeX' | 'ExchangeY', hops = 100): number => {
    const addresses = new Set(
      label === 'ExchangeX'
        ? ['ExchangeX deposit', 'ExchangeX deposit (other user)', 'ExchangeX cold wallet'].map(roleAddress)
        : ['ExchangeY deposit 1', 'ExchangeY deposit 2'].map(roleAddress),
    );
    return run(model, hops)
      .outputs.filter((o) => o.address !== null && addresses.has(o.address))
      .reduce((s, o) => s + Number(o.tainted.num) / Number(o.tainted.den), 0);
  };

  it.each([
    ['poison', 55_000_000, 59_999_010],
    ['haircut', 23_297_817, 26_342_741],
    ['fifo', 33_749_740, 21_749_010],
  ] as const)('%s: ExchangeX %i, ExchangeY %i', (model, x, y) => {
    expect(Math.round(received(model, 'ExchangeX'))).toBe(x);
    expect(Math.round(received(model, 'ExchangeY'))).toBe(y);
  });

  it('seeds 122,100,000 sat; fifo and haircut balance exactly (end points + fee taint)', () => {
    for (const model of ['fifo', 'haircut'] as const) {
      const r = run(model, 100);
      expect(r.seedTotal).toBe(122_100_000);
      const ends = r.outputs.filter((o) => !o.passedOn);
      const num =
        ends.reduce((s, o) => s + Number(o.tainted.num) / Number(o.tainted.den), 0) + roundSat(r.feeTaint);
      expect(Math.abs(num - 122_100_000)).toBeLessThan(1);
    }
    expect(roundSat(run('fifo', 100).feeTaint)).toBe(2_691);
  });

  it('fifo splits the premix across two CoinJoin outputs; --hops 6 cuts peel 6', () => {
    const coinjoin = names.get('whirlpool-coinjoin')!;
    const outs = run('fifo', 100).outputs.filter((o) => o.txid === coinjoin);
    expect(outs.map((o) => [o.vout, Number(o.tainted.num), o.hop])).toEqual([
      [2, 4_999_690, 6],
      [3, 570, 6],
    ]);
    const cut = run('fifo', 6).outputs.filter((o) => o.status === 'hop-limit');
    expect(cut.map((o) => [o.address, Number(o.tainted.num)])).toEqual([
      [roleAddress('Shop peel change 5'), 21_000_000],
    ]);
  });
});
