import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputSum, outputSum, type Tx } from '../../src/model/tx.js';
import { IntegrityError, UnavailableError } from '../../src/sources/errors.js';
import {
  MalformedBodyError,
  parseAddressStats,
  parseJson,
  parseOutspends,
  parseTipHeight,
  parseTx,
  parseTxHex,
  parseTxList,
} from '../../src/sources/parse.js';
import cases from './fixtures/parse-invalid.json' with { type: 'json' };
import { ESPLORA, fakeTx, hasRealdata, hex64, readReal, txidOf, type Recorded } from './helpers.js';

function setPath(root: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let o = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) o = o[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (value === '<delete>') delete o[last];
  else o[last] = value;
}

function expectMalformed(fn: () => unknown, message: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(MalformedBodyError);
  expect(thrown).toBeInstanceOf(UnavailableError); // callers that only know UnavailableError
  expect((thrown as Error).message).toContain(message);
}

describe('parseTx on synthetic data', () => {
  it('normalizes a valid tx: amounts in sat, statuses, addresses', () => {
    const tx = parseTx(fakeTx('a', { outputs: 3 }), '/tx/T');
    expect(tx.vout.map((o) => o.value)).toEqual([10_000, 20_000, 30_000]);
    expect(tx.vin[0]!.prevout!.value).toBe(61_000);
    expect(tx.fee).toBe(1000);
    expect(tx.status).toEqual({
      confirmed: true,
      height: 800_000,
      hash: hex64('block 800000'),
      time: 1_700_800_000,
    });
    const un = parseTx(fakeTx('b', { confirmed: false }), '/tx/T');
    expect(un.status).toEqual({ confirmed: false, height: null, hash: null, time: null });
  });

  it.each(cases.tx.map((c) => [c.path.join('.'), c] as const))('rejects %s', (_name, c) => {
    const json = fakeTx('base');
    setPath(json, c.path, c.value);
    expectMalformed(() => parseTx(json, '/tx/T'), c.error);
  });

  it('absent scriptpubkey_address becomes null; extra mempool fields are ignored', () => {
    const json = fakeTx('c');
    const vout = json.vout as Record<string, unknown>[];
    delete vout[1]!.scriptpubkey_address;
    json.vsize = 140;
    expect(parseTx(json, '/tx/T').vout.map((o) => o.address)).toEqual(['bc1qfake0', null]);
  });

  it('accepts a coinbase with prevout null and rejects one with a prevout', () => {
    const json = fakeTx('cb');
    const vin = json.vin as Record<string, unknown>[];
    Object.assign(vin[0]!, { txid: '0'.repeat(64), vout: 4294967295, is_coinbase: true, prevout: null });
    json.fee = 0;
    const tx = parseTx(json, '/tx/T');
    expect(tx.vin[0]).toMatchObject({ coinbase: true, prevout: null, vout: 4294967295 });
    vin[0]!.prevout = { scriptpubkey: '', scriptpubkey_type: 'empty', value: 1 };
    expectMalformed(
      () => parseTx(json, '/tx/T'),
      'tx.vin[0].prevout: expected null for a coinbase input, got an object',
    );
  });

  it('a fee that disagrees with inputs - outputs is an IntegrityError, not data', () => {
    const json = fakeTx('d'); // inputs 31,000, outputs 30,000
    json.fee = 999;
    expect(() => parseTx(json, '/tx/T')).toThrow(IntegrityError);
    expect(() => parseTx(json, '/tx/T')).toThrow(
      `/tx/T: ${hex64('tx d')}: inputs 31000 sat - outputs 30000 sat = 1000 sat, but fee says 999 sat`,
    );
  });

  it('names the list index and the txid in a tx list', () => {
    const list = [fakeTx('e'), fakeTx('f')];
    setPath(list[1]!, ['vout', 0, 'value'], -3);
    expectMalformed(
      () => parseTxList(list, '/address/A/txs'),
      `/address/A/txs: txs[1] (${txidOf('f')}).vout[0].value`,
    );
    // Without a usable txid, the index alone.
    setPath(list[1]!, ['txid'], 'nope');
    expectMalformed(() => parseTxList(list, '/address/A/txs'), '/address/A/txs: txs[1].vout[0].value');
  });
});

describe('parseJson, outspends, address stats, tip height, hex', () => {
  it('a truncated body or an HTML page is MalformedBodyError naming the resource', () => {
    const body = JSON.stringify(fakeTx('g'));
    expectMalformed(() => parseJson(body.slice(0, 100), '/tx/T'), '/tx/T: body is not valid JSON');
    expectMalformed(
      () => parseJson('<html><body>502</body></html>', '/tx/T'),
      'starting "<html><body>502</body></html>"',
    );
  });

  it('outspends: unspent entries have null txid, vin and status', () => {
    const list = parseOutspends(
      [
        { spent: false },
        { spent: true, txid: hex64('s'), vin: 3, status: { confirmed: false } },
        { spent: true, txid: hex64('t'), vin: 0 },
      ],
      '/tx/T/outspends',
    );
    expect(list).toEqual([
      { spent: false, txid: null, vin: null, status: null },
      {
        spent: true,
        txid: hex64('s'),
        vin: 3,
        status: { confirmed: false, height: null, hash: null, time: null },
      },
      { spent: true, txid: hex64('t'), vin: 0, status: null },
    ]);
  });

  it.each(cases.outspends.map((c, k) => [k, c] as const))('rejects outspends case %i', (_k, c) => {
    const json = JSON.parse(JSON.stringify(c.json).replaceAll('<txid>', hex64('x'))) as unknown;
    expectMalformed(() => parseOutspends(json, '/tx/T/outspends'), c.error);
  });

  it.each(cases.addressStats.map((c, k) => [k, c] as const))('rejects address stats case %i', (_k, c) => {
    expectMalformed(() => parseAddressStats(c.json, '/address/A'), c.error);
  });

  it.each(cases.tipHeight.map((c) => [c.text, c] as const))('rejects tip height %j', (_t, c) => {
    expectMalformed(() => parseTipHeight(c.text, '/blocks/tip/height'), c.error);
  });

  it('reads a tip height with a trailing newline and raw hex', () => {
    expect(parseTipHeight('955873\n', '/blocks/tip/height')).toBe(955_873);
    expect(parseTxHex('0200ff\n', '/tx/T/hex')).toBe('0200ff');
    expectMalformed(
      () => parseTxHex('Transaction not found', '/tx/T/hex'),
      '/tx/T/hex: hex: expected the raw transaction',
    );
  });
});

// ---- real recorded Esplora answers (shared/realdata/esplora) ----

type Kind = 'tx' | 'txs' | 'outspends' | 'address' | 'tip';

/** Classifies each real file by the resource it answers (see realdata/SOURCES.md). */
function realFiles(): { rel: string; kind: Kind }[] {
  const out: { rel: string; kind: Kind }[] = [];
  for (const dir of readdirSync(ESPLORA).sort()) {
    if (!statSync(join(ESPLORA, dir)).isDirectory()) continue;
    for (const f of readdirSync(join(ESPLORA, dir)).sort()) {
      const rel = `esplora/${dir}/${f}`;
      if (f.endsWith('.txt')) out.push({ rel, kind: 'tip' });
      else if (f.endsWith('_outspends.json')) out.push({ rel, kind: 'outspends' });
      else if (f.startsWith('tx_')) out.push({ rel, kind: 'tx' });
      else if (f.startsWith('address_') && f.endsWith('_txs.json')) out.push({ rel, kind: 'txs' });
      else if (f.startsWith('address_')) out.push({ rel, kind: 'address' });
      else out.push({ rel, kind: 'txs' }); // paging recordings and mempool backend test data are tx lists
    }
  }
  return out;
}

function body(rel: string): unknown {
  const json = JSON.parse(readReal(rel)) as unknown;
  return rel.includes('/paging_') ? (json as Recorded).body : json;
}

describe.skipIf(!hasRealdata)('real Esplora recordings parse', () => {
  const txs = new Map<string, Tx>();
  let txObjects = 0;
  const counts: Record<Kind, number> = { tx: 0, txs: 0, outspends: 0, address: 0, tip: 0 };
  if (hasRealdata) {
    for (const { rel, kind } of realFiles()) {
      counts[kind]++;
      if (kind === 'tx' || kind === 'txs') {
        const list = kind === 'tx' ? [parseTx(body(rel), rel)] : parseTxList(body(rel), rel);
        txObjects += list.length;
        for (const tx of list) txs.set(tx.txid, tx);
      }
    }
  }

  it('finds 79 transaction objects (77 distinct txids) in 18 tx/txs files', () => {
    expect(counts).toEqual({ tx: 5, txs: 13, outspends: 2, address: 5, tip: 4 });
    expect(txObjects).toBe(79);
    expect(txs.size).toBe(77);
  });

  it('every parsed tx balances: inputs - outputs = fee, all safe integers', () => {
    let coinbase = 0;
    for (const tx of txs.values()) {
      if (tx.vin[0]!.coinbase) coinbase++;
      else expect(inputSum(tx) - outputSum(tx)).toBe(tx.fee);
      expect(Number.isSafeInteger(outputSum(tx))).toBe(true);
    }
    expect(coinbase).toBe(0);
  });

  it('Bitfinex seizure tx c49ff6bd: 562 inputs, 1,500,588,594,500 sat out, parsed in a few ms', () => {
    const rel =
      'esplora/bitfinex_2016/tx_c49ff6bd054fb386cd02fc94ca34b8773229ed8a5538e023ef7bea772d70c17a.json';
    const text = readReal(rel);
    const t0 = performance.now();
    const runs = 20;
    let tx!: Tx;
    for (let k = 0; k < runs; k++) tx = parseTx(JSON.parse(text), rel);
    const ms = (performance.now() - t0) / runs;
    console.log(`parse of the 562-input tx (JSON.parse included): ${ms.toFixed(2)} ms`);
    expect(ms).toBeLessThan(50);
    expect(tx.vin.length).toBe(562);
    expect(tx.vout.map((o) => o.value)).toEqual([588_594_500, 1_500_000_000_000]);
    expect(outputSum(tx)).toBe(1_500_588_594_500);
    expect(inputSum(tx)).toBe(1_500_589_651_874);
    expect(tx.fee).toBe(1_057_374);
    expect(tx.vout[1]!.address).toBe('bc1qazcm763858nkj2dj986etajv6wquslv8uxwczt');
    expect(tx.status.height).toBe(721_287);
    // The theft output 5c7134d4:0 (567.48055857 BTC to 1CGA4sr…) is spent here as vin 182.
    expect(tx.vin[182]).toMatchObject({
      txid: '5c7134d4dd030402a9d1315e2f34f46a7e6ace6bbfb572974a83359e3b8fa700',
      vout: 0,
      prevout: { value: 56_748_055_857, address: '1CGA4srJbPWhtJb7ezgY6GQf4PKhFuzD9w' },
    });
    expect(new Set(tx.vin.map((i) => i.prevout!.address)).size).toBe(166);
  });

  it('Colonial Pipeline: 75.0003 BTC ransom output and the 63.69996546 BTC seizure', () => {
    const ransom = [...txs.values()].find((t) => t.txid.startsWith('6a798026'))!;
    expect(ransom.vout[3]!.value).toBe(7_500_030_000);
    expect(ransom.vout[3]!.address).toBe('15JFh88FcE4WL6qeMLgX5VEAFCbRXjc9fr');
    const seizure = [...txs.values()].find((t) => t.txid.startsWith('943f2d57'))!;
    expect(seizure.vout.map((o) => o.value)).toEqual([590_422_177, 6_369_996_546]);
    expect(seizure.status.height).toBe(686_683);
  });

  it('Whirlpool mix 323df21f: 5 inputs, 5 outputs of 5,000,000 sat', () => {
    const mix = txs.get('323df21f0b0756f98336437aa3d2fb87e02b59f1946b714a7b09df04d429dec2')!;
    expect(mix.vin.length).toBe(5);
    expect(mix.vout.map((o) => o.value)).toEqual([5_000_000, 5_000_000, 5_000_000, 5_000_000, 5_000_000]);
  });

  it('P2PK f4184fc5 (block 170): no addresses anywhere, 10 + 40 BTC', () => {
    const tx = txs.get('f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16')!;
    expect(tx.vout.map((o) => [o.value, o.scriptType, o.address])).toEqual([
      [1_000_000_000, 'p2pk', null],
      [4_000_000_000, 'p2pk', null],
    ]);
    expect(tx.vin[0]!.prevout).toMatchObject({ value: 5_000_000_000, scriptType: 'p2pk', address: null });
    expect(tx.status.height).toBe(170);
    const rel =
      'esplora/early_p2pk_f4184fc5/tx_f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16_outspends.json';
    const spends = parseOutspends(body(rel), rel);
    expect(spends.map((s) => [s.txid!.slice(0, 8), s.vin, s.status!.height])).toEqual([
      ['ea44e972', 0, 92_240],
      ['a16f3ce4', 0, 181],
    ]);
  });

  it('mempool backend tx b10c…: every script type; address null for p2pk, multisig and op_return', () => {
    const tx = txs.get('b10c0000004da5a9d1d9b4ae32e09f0b3e62d21a5cce5428d4ad714fb444eb5d')!;
    expect(tx.vout.map((o) => [o.scriptType, o.address === null])).toEqual([
      ['p2pk', true],
      ['p2pkh', false],
      ['multisig', true],
      ['p2sh', false],
      ['v0_p2wpkh', false],
      ['v0_p2wsh', false],
      ['v1_p2tr', false],
      ['unknown', false],
      ['op_return', true],
    ]);
    expect(tx.fee).toBe(71_294);
    expect(tx.status.height).toBe(850_000);
  });

  it('unconfirmed txs in the mempool backend data have null block fields', () => {
    const unconfirmed = [...txs.values()].filter((t) => !t.status.confirmed);
    expect(unconfirmed.length).toBe(6);
    for (const t of unconfirmed)
      expect(t.status).toEqual({ confirmed: false, height: null, hash: null, time: null });
  });

  it('breez outspends: both outputs spent, blocks 674365 and 797168', () => {
    const rel =
      'esplora/breez_bc1qvhyke/tx_5e0668bf1cd24f2f8656ee82d4886f5303a06b26838e24b7db73afc59e228985_outspends.json';
    const spends = parseOutspends(body(rel), rel);
    expect(spends.map((s) => [s.spent, s.txid!.slice(0, 8), s.vin, s.status!.height])).toEqual([
      [true, '4da22eff', 1, 674_365],
      [true, '61585c40', 0, 797_168],
    ]);
  });

  it('address stats and tip heights parse with their recorded numbers', () => {
    const rel = 'esplora/colonial_pipeline/address_15JFh88FcE4WL6qeMLgX5VEAFCbRXjc9fr.json';
    const stats = parseAddressStats(body(rel), rel);
    expect(stats.chain).toEqual({
      fundedTxoCount: 2,
      fundedTxoSum: 7_500_050_000,
      spentTxoCount: 2,
      spentTxoSum: 7_500_050_000,
      txCount: 3,
    });
    expect(stats.mempool.txCount).toBe(0);
    const tips = realFiles()
      .filter((f) => f.kind === 'tip')
      .map((f) => parseTipHeight(readFileSync(join(ESPLORA, '..', f.rel), 'utf8'), f.rel));
    expect(tips.length).toBe(4);
    for (const h of tips) expect(h).toBeGreaterThanOrEqual(955_873);
    for (const f of realFiles().filter((x) => x.kind === 'address')) {
      const s = parseAddressStats(body(f.rel), f.rel);
      expect(Number.isSafeInteger(s.chain.fundedTxoSum)).toBe(true);
    }
  });
});
