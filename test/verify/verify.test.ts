import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IntegrityError } from '../../src/sources/errors.js';
import { memoized } from '../../src/sources/memo.js';
import { parseTx } from '../../src/sources/parse.js';
import { checkTxAgainstRaw, rawTxSummary, scriptAddress, templateType } from '../../src/sources/raw-tx.js';
import { verifiedSource } from '../../src/sources/verify.js';
import {
  ESPLORA,
  FakeSource,
  clone,
  family,
  makeCoinbase,
  hasRealdata,
  pay,
  rawHexOf,
  readRealTx,
  realTransactions,
  type Json,
} from './build.js';

if (!hasRealdata) console.warn(`skipping real-data verification tests: ${ESPLORA} is absent`);

async function integrity(p: Promise<unknown>): Promise<IntegrityError> {
  const e: unknown = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(IntegrityError);
  return e as IntegrityError;
}

describe('self-made transactions (no real data needed)', () => {
  it('the test serializer rebuilds the exact raw bytes from the JSON', () => {
    const { parent, child } = family();
    expect(rawHexOf(parent.json)).toBe(parent.hex);
    expect(rawHexOf(child.json)).toBe(child.hex);
    expect(rawTxSummary(child.txid, child.hex).outs.map((o) => o.value)).toEqual([44_000n, 5_000n, 0n]);
  });

  it('an honest answer passes and is counted', async () => {
    const { parent, child } = family();
    const fake = new FakeSource().add(parent, child);
    const source = verifiedSource(fake);
    const tx = await source.getTx(child.txid);
    expect(tx.vout.map((o) => o.value)).toEqual([44_000, 5_000, 0]);
    expect(source.verification()).toEqual({
      txs: 1,
      rawTxs: 1,
      prevoutsChecked: 0,
      prevoutsUnchecked: 1,
      outspendsChecked: 0,
      outspendsUnchecked: 0,
    });
    // The parent arrives later: the child's input value is checked against its raw output.
    await source.getTx(parent.txid);
    expect(source.verification()).toMatchObject({
      txs: 2,
      rawTxs: 2,
      prevoutsChecked: 1,
      prevoutsUnchecked: 1,
    });
    expect(fake.calls.hex).toBe(2);
  });

  // Each line: a tampering a lying explorer could do (keeping its JSON self-consistent so the
  // parser accepts it) and the field the error must name.
  const tamperings: { name: string; field: string; edit: (j: Json) => void }[] = [
    {
      name: 'one output value +1 sat (fee -1)',
      field: 'vout[0].value',
      edit: (j) => (j.vout[0]!.value++, j.fee--),
    },
    {
      name: 'output paid to another address (script and address swapped)',
      field: 'vout[0].scriptpubkey',
      edit: (j) => {
        const other = pay('p2sh', 'mallory', 0);
        j.vout[0]!.scriptpubkey = other.script;
        j.vout[0]!.scriptpubkey_address = other.address;
      },
    },
    {
      name: 'address changed, script kept',
      field: 'vout[1].address',
      edit: (j) => (j.vout[1]!.scriptpubkey_address = pay('p2wsh', 'mallory', 0).address),
    },
    {
      name: 'address dropped',
      field: 'vout[0].address',
      edit: (j) => delete j.vout[0]!.scriptpubkey_address,
    },
    {
      name: 'script type relabelled',
      field: 'vout[0].scriptType',
      edit: (j) => (j.vout[0]!.scriptpubkey_type = 'p2pkh'),
    },
    {
      name: 'input spends another txid',
      field: 'vin[0].txid',
      edit: (j) => (j.vin[0]!.txid = 'ab'.repeat(32)),
    },
    { name: 'input spends another vout', field: 'vin[0].vout', edit: (j) => (j.vin[0]!.vout = 1) },
    { name: 'sequence', field: 'vin[0].sequence', edit: (j) => (j.vin[0]!.sequence = 0xffffffff) },
    { name: 'version', field: 'version', edit: (j) => (j.version = 1) },
    { name: 'locktime', field: 'locktime', edit: (j) => (j.locktime = 0) },
    { name: 'size', field: 'size', edit: (j) => (j.size += 1) },
    { name: 'weight', field: 'weight', edit: (j) => (j.weight -= 4) },
    {
      name: 'an output hidden (fee raised to match)',
      field: 'number of outputs',
      edit: (j) => (j.fee += j.vout.pop()!.value),
    },
    {
      name: 'prevout address that is not its script',
      field: 'vin[0].prevout.address',
      edit: (j) => (j.vin[0]!.prevout!.scriptpubkey_address = pay('p2wpkh', 'mallory', 0).address),
    },
  ];

  it.each(tamperings)('catches: $name', async ({ field, edit }) => {
    const { parent, child } = family();
    const fake = new FakeSource().add(parent, child);
    const json = clone(child.json);
    edit(json);
    fake.txs.set(child.txid, json);
    const e = await integrity(verifiedSource(fake).getTx(child.txid));
    expect(e.message).toContain(`transaction ${child.txid}: ${field}`);
    expect(e.resource).toBe(`/tx/${child.txid}`);
  });

  it('a coinbase passes; a memoized answer seen twice is checked once', async () => {
    const cb = makeCoinbase(840_000, pay('p2wpkh', 'miner', 312_500_000));
    const fake = new FakeSource().add(cb);
    const source = verifiedSource(fake);
    const tx = await source.getTx(cb.txid);
    expect(tx.vin[0]!.coinbase).toBe(true);
    await source.getTx(cb.txid); // the fake parses a new object: checked again, counted again
    expect(source.verification()).toMatchObject({ txs: 2, rawTxs: 1, prevoutsUnchecked: 0 });

    const memo = verifiedSource(memoized(fake)); // hands out the same Tx object again
    await memo.getTx(cb.txid);
    await memo.getTx(cb.txid);
    expect(memo.verification()).toMatchObject({ txs: 1, rawTxs: 1 });
  });

  it('catches raw hex that hashes to another txid', async () => {
    const { parent, child } = family();
    const fake = new FakeSource().add(parent, child);
    fake.hexes.set(child.txid, parent.hex);
    const e = await integrity(verifiedSource(fake).getTx(child.txid));
    expect(e.message).toBe(
      `transaction ${child.txid}: the explorer's raw hex hashes to ${parent.txid}, not to the txid asked for`,
    );
    // getTxHex itself checks every answer too.
    await integrity(verifiedSource(fake).getTxHex(child.txid));
  });

  it('catches raw hex that is not a transaction', async () => {
    const { parent, child } = family();
    const fake = new FakeSource().add(parent, child);
    fake.hexes.set(child.txid, 'deadbeef');
    const e = await integrity(verifiedSource(fake).getTx(child.txid));
    expect(e.message).toContain(`transaction ${child.txid}: the explorer's raw hex is not a transaction`);
  });

  describe('input values (prevouts), which only the parent proves', () => {
    function lyingChild() {
      const { parent, child } = family();
      const json = clone(child.json);
      json.vin[0]!.prevout!.value += 100; // inflated input, fee raised to match: the JSON balances
      json.fee += 100;
      const fake = new FakeSource().add(parent, child);
      fake.txs.set(child.txid, json);
      return { parent, child, fake };
    }

    it("mode 'seen': unproven until the parent comes up, then caught", async () => {
      const { parent, child, fake } = lyingChild();
      const source = verifiedSource(fake);
      await source.getTx(child.txid);
      expect(source.verification()).toMatchObject({ prevoutsChecked: 0, prevoutsUnchecked: 1 });
      const e = await integrity(source.getTx(parent.txid));
      expect(e.message).toBe(
        `transaction ${child.txid}: vin[0].prevout (output 0 of ${parent.txid}).value: ` +
          `the explorer's JSON says 50100 sat, the raw transaction says 50000 sat`,
      );
    });

    it("mode 'seen': caught at once when the parent was verified first", async () => {
      const { parent, child, fake } = lyingChild();
      const source = verifiedSource(fake);
      await source.getTx(parent.txid);
      const e = await integrity(source.getTx(child.txid));
      expect(e.message).toContain(
        `transaction ${child.txid}: vin[0].prevout (output 0 of ${parent.txid}).value`,
      );
    });

    it("mode 'fetch': the parent's raw hex is fetched and the lie caught", async () => {
      const { child, fake } = lyingChild();
      const e = await integrity(verifiedSource(fake, { prevouts: 'fetch' }).getTx(child.txid));
      expect(e.message).toContain(`transaction ${child.txid}: vin[0].prevout`);
      expect(fake.calls).toMatchObject({ tx: 1, hex: 2 });
    });

    it("mode 'fetch': an honest answer has every input proven", async () => {
      const { parent, child } = family();
      const fake = new FakeSource().add(parent, child);
      const source = verifiedSource(fake, { prevouts: 'fetch' });
      await source.getTx(child.txid);
      expect(source.verification()).toMatchObject({
        txs: 1,
        rawTxs: 2,
        prevoutsChecked: 1,
        prevoutsUnchecked: 0,
      });
    });
  });

  describe('outspends', () => {
    const spentBy = (txid: string, vin: number) => ({ spent: true, txid, vin, status: null });
    const unspent = { spent: false, txid: null, vin: null, status: null };

    it('a true claim is checked against the spender', async () => {
      const { parent, child } = family();
      const fake = new FakeSource().add(parent, child);
      fake.outspends.set(parent.txid, [spentBy(child.txid, 0), unspent]);
      const source = verifiedSource(fake);
      await source.getOutspends(parent.txid);
      expect(source.verification()).toMatchObject({ outspendsChecked: 0, outspendsUnchecked: 1 });
      await source.getTx(child.txid);
      expect(source.verification()).toMatchObject({ outspendsChecked: 1, outspendsUnchecked: 0 });
    });

    it('a false spender is caught', async () => {
      const { parent, child } = family();
      const fake = new FakeSource().add(parent, child);
      fake.outspends.set(parent.txid, [unspent, spentBy(child.txid, 0)]);
      const source = verifiedSource(fake);
      await source.getTx(child.txid);
      const e = await integrity(source.getOutspends(parent.txid));
      expect(e.message).toBe(
        `transaction ${parent.txid}: outspends[1]: the explorer says input 0 of ${child.txid} spends it, ` +
          `but that input spends ${parent.txid}:0 in the raw transaction`,
      );
    });

    it('a list longer than the raw outputs is caught', async () => {
      const { parent, child } = family();
      const fake = new FakeSource().add(parent, child);
      fake.outspends.set(parent.txid, [unspent, unspent, unspent]);
      const source = verifiedSource(fake);
      await source.getTx(parent.txid);
      const e = await integrity(source.getOutspends(parent.txid));
      expect(e.message).toContain('listed 3 outspends, the raw transaction has 2 outputs');
    });
  });

  it('checks every transaction of an address history', async () => {
    const { parent, child } = family();
    const fake = new FakeSource().add(parent, child);
    fake.histories.set('bc1qtest', [child.json, parent.json]);
    const source = verifiedSource(fake);
    const h = await source.getAddressHistory('bc1qtest', 100);
    expect(h.txs.map((t) => t.txid)).toEqual([child.txid, parent.txid]);
    expect(source.verification()).toMatchObject({ txs: 2, rawTxs: 2, prevoutsChecked: 1 });

    const bad = clone(child.json);
    bad.vout[1]!.value -= 1;
    bad.fee += 1;
    fake.histories.set('bc1qtest', [bad, parent.json]);
    const e = await integrity(verifiedSource(fake).getAddressHistory('bc1qtest', 100));
    expect(e.message).toContain(`transaction ${child.txid}: vout[1].value`);
  });
});

describe('script addresses and types', () => {
  // BIP173/BIP350 vectors and the two earliest base58 addresses.
  it.each([
    [
      '0014751e76e8199196d454941c45d1b3a323f1433bd6',
      'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
      'v0_p2wpkh',
    ],
    [
      '00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262',
      'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3',
      'v0_p2wsh',
    ],
    [
      '5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6',
      'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y',
      null,
    ],
    ['6002751e', 'bc1sw50qgdz25j', null],
    ['76a91462e907b15cbf27d5425399ebf6f0fb50ebb88f1888ac', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'p2pkh'],
    ['a914b472a266d0bd89c13706a4132ccfb16f7c3b9fcb87', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'p2sh'],
    ['6a0568656c6c6f', null, null],
    ['0015751e76e8199196d454941c45d1b3a323f1433bd6aa', null, null], // v0 program of 21 bytes
  ])('%s -> %s', (script, addr, type) => {
    expect(scriptAddress(script)).toBe(addr);
    expect(templateType(script)).toBe(type);
  });

  it('uses testnet prefixes for testnet and signet', () => {
    expect(scriptAddress('0014751e76e8199196d454941c45d1b3a323f1433bd6', 'signet')).toBe(
      'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx',
    );
  });
});

describe.skipIf(!hasRealdata)('real transactions (shared/realdata)', () => {
  const all = hasRealdata ? realTransactions() : [];

  it('finds the 77 distinct real transactions', () => {
    expect(all.length).toBe(77);
  });

  it.each(all.map((j: Json) => [j.txid, j] as const))('%s passes against its own bytes', (txid, json) => {
    const hex = rawHexOf(json);
    const raw = rawTxSummary(txid, hex); // throws unless the rebuilt bytes hash to the txid
    expect(raw.txid).toBe(txid);
    expect(() => checkTxAgainstRaw(parseTx(json, `/tx/${txid}`), raw)).not.toThrow();
  });

  const COLONIAL = '943f2d576ed8d9f388ba75eb82fe35cce29479b84121827ac368a5a94f44cf7a';
  const PAGE = 'colonial_pipeline/address_bc1qq2euq8pw950klpjcawuy4uj39ym43hs6cfsegq_txs.json';

  function colonial() {
    const json = readRealTx(PAGE, COLONIAL);
    const fake = new FakeSource();
    fake.txs.set(COLONIAL, json);
    fake.hexes.set(COLONIAL, rawHexOf(json));
    return { json, fake };
  }

  it('Colonial Pipeline seizure tx 943f2d57… passes', async () => {
    const { fake } = colonial();
    const source = verifiedSource(fake);
    const tx = await source.getTx(COLONIAL);
    expect(tx.vout.map((o) => o.value)).toEqual([590_422_177, 6_369_996_546]);
    expect(source.verification()).toMatchObject({ txs: 1, rawTxs: 1 });
  });

  it('943f2d57… with the FBI output raised by 1 sat is caught', async () => {
    const { json, fake } = colonial();
    const bad = clone(json);
    bad.vout[1]!.value += 1;
    bad.fee -= 1;
    fake.txs.set(COLONIAL, bad);
    const e = await integrity(verifiedSource(fake).getTx(COLONIAL));
    expect(e.message).toBe(
      `transaction ${COLONIAL}: vout[1].value: the explorer's JSON says 6369996547 sat, the raw transaction says 6369996546 sat`,
    );
  });

  it('943f2d57… with the FBI output redirected to another address is caught', async () => {
    const { json, fake } = colonial();
    const bad = clone(json);
    const other = pay('p2wpkh', 'launderer', 0);
    bad.vout[1]!.scriptpubkey = other.script;
    bad.vout[1]!.scriptpubkey_address = other.address;
    fake.txs.set(COLONIAL, bad);
    const e = await integrity(verifiedSource(fake).getTx(COLONIAL));
    expect(e.message).toContain(`transaction ${COLONIAL}: vout[1].scriptpubkey`);
  });

  it('an address history proves the inputs whose parents are in it (2 of 57)', async () => {
    const fake = new FakeSource();
    const page = JSON.parse(readFileSync(join(ESPLORA, PAGE), 'utf8')) as Json[];
    for (const j of page) fake.hexes.set(j.txid, rawHexOf(j));
    fake.histories.set('bc1qq2euq8pw950klpjcawuy4uj39ym43hs6cfsegq', page);
    const source = verifiedSource(fake);
    const h = await source.getAddressHistory('bc1qq2euq8pw950klpjcawuy4uj39ym43hs6cfsegq', 100);
    expect(h.txs.length).toBe(4);
    expect(source.verification()).toMatchObject({
      txs: 4,
      rawTxs: 4,
      prevoutsChecked: 2,
      prevoutsUnchecked: 55,
    });
  });
});
