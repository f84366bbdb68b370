import { describe, expect, it } from 'vitest';
import { createWhirlpoolDetector, DETECTORS, esplora } from '../../src/cluster/coinjoin/index.js';
import { buildClusters } from '../../src/cluster/common-input.js';
import type { Tx } from '../../src/model/tx.js';
import { buildTx, buildTxs, coinbaseTx, fakeTxid } from './build.js';
import { mulberry32 } from './prng.js';
import cl1 from './fixtures/clustering.json' with { type: 'json' };

const cl1Txs = [...buildTxs(cl1.txs).values()];

describe('CL1: BlockSci merge motif', () => {
  const result = buildClusters(cl1Txs);

  it('links exactly the three co-spent addresses; funding addresses stay alone', () => {
    expect(result.clusters.map((c) => c.addresses)).toEqual(cl1.expect.clusters);
    expect(result.clusters[0]!.addresses.length).toBe(3);
    expect(result.clusters.map((c) => c.id)).toEqual([
      'bcrt1-addr1',
      'bcrt1-merge-0',
      'bcrt1-merge-1',
      'bcrt1-merge-2',
    ]);
  });

  it('every member carries the transaction that linked it', () => {
    for (const [address, id] of Object.entries(cl1.expect.linkedBy)) {
      const m = result.members.find((x) => x.address === address)!;
      expect(m.linkedByTxid).toBe(id === null ? null : fakeTxid(id));
    }
    expect(result.links).toEqual([
      { txid: fakeTxid('cl1-merge'), height: 501, addresses: ['bcrt1-addr1', 'bcrt1-addr2', 'bcrt1-addr3'] },
    ]);
    expect(result.members.length).toBe(6);
    expect(result.skipped).toEqual([]);
  });

  it('the destination, which never spends, is not a member', () => {
    expect(result.members.some((m) => m.address === 'bcrt1-dest')).toBe(false);
  });
});

describe('common-input rules', () => {
  const mix = buildTx({
    id: 'mix',
    height: 600_000,
    in: [
      { value: 1_000_000, address: 'bc1-alice' },
      { value: 1_000_000, address: 'bc1-bob' },
      { value: 1_000_170, address: 'bc1-carol' },
      { value: 1_000_250, address: 'bc1-dave' },
      { value: 1_000_300, address: 'bc1-erin' },
    ],
    out: [1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000],
  });
  const aliceSpend = buildTx({
    id: 'alice-two-inputs',
    height: 600_010,
    in: [
      { value: 500_000, address: 'bc1-alice' },
      { value: 700_000, address: 'bc1-alice2' },
    ],
    out: [1_190_000],
  });
  const cb = coinbaseTx('cb', '1Miner', 1_250_000_000, 600_000);

  it('a CoinJoin never merges and is recorded with its detector names', () => {
    const r = buildClusters([mix, aliceSpend, cb]);
    expect(r.clusters.map((c) => c.addresses)).toEqual([['bc1-alice', 'bc1-alice2']]);
    expect(r.skipped).toEqual([
      { txid: cb.txid, reason: 'coinbase', detectors: [], confidence: null },
      { txid: mix.txid, reason: 'coinjoin', detectors: ['whirlpool'], confidence: 'definite' },
    ]);
  });

  it('without the Whirlpool detector the same mix would merge all five participants', () => {
    const others = DETECTORS.filter((d) => d.name !== 'whirlpool');
    const r = buildClusters([mix, aliceSpend], { detectors: others });
    expect(r.clusters.map((c) => c.addresses.length)).toEqual([6]);
    expect(r.members.find((m) => m.address === 'bc1-bob')!.linkedByTxid).toBe(mix.txid);
  });

  it('a configured detector set is used (Esplora rule vetoes the batch payout at veto "possible")', () => {
    const batch = buildTx({
      id: 'batch',
      in: [
        { value: 5_000_000, address: '1ExchangeA' },
        { value: 4_000_000, address: '1ExchangeB' },
      ],
      out: [2_000_000, 2_000_000, 2_000_000, 2_990_000],
    });
    expect(buildClusters([batch]).clusters.map((c) => c.addresses)).toEqual([['1ExchangeA', '1ExchangeB']]);
    expect(buildClusters([batch], { detectors: [...DETECTORS, esplora] }).skipped).toEqual([]);
    expect(buildClusters([batch], { detectors: [...DETECTORS, esplora], veto: 'possible' }).skipped).toEqual([
      { txid: batch.txid, reason: 'coinjoin', detectors: ['esplora'], confidence: 'possible' },
    ]);
    expect(
      buildClusters([mix], { detectors: [createWhirlpoolDetector({ pools: [5_000_000] })] }).clusters.length,
    ).toBe(1);
  });

  it('address-less inputs are keyed by their script', () => {
    const p2pk = buildTx({
      id: 'p2pk-spend',
      height: 100,
      in: [
        { value: 5_000_000_000, type: 'p2pk' },
        { value: 1_000_000, type: 'p2pkh', address: '1Early' },
      ],
      out: [{ value: 5_000_990_000, type: 'p2pkh', address: '1Dest' }],
    });
    const r = buildClusters([p2pk]);
    const keys = r.clusters[0]!.addresses;
    expect(keys.length).toBe(2);
    expect(keys[0]).toBe('1Early');
    expect(keys[1]).toBe('script:' + p2pk.vin[0]!.prevout!.script);
    expect(keys[1]!.startsWith('script:21')).toBe(true);
  });

  it('linkedByTxid is the first linking transaction in chain order, whatever the input order', () => {
    const early = buildTx({
      id: 'early',
      height: 10,
      in: [
        { value: 10, address: 'b' },
        { value: 10, address: 'c' },
      ],
      out: [15],
    });
    const late = buildTx({
      id: 'late',
      height: 20,
      in: [
        { value: 10, address: 'a' },
        { value: 10, address: 'b' },
      ],
      out: [15],
    });
    const pending = buildTx({
      id: 'pending',
      height: null,
      in: [
        { value: 10, address: 'c' },
        { value: 10, address: 'd' },
      ],
      out: [15],
    });
    const r1 = buildClusters([pending, late, early, late]);
    const r2 = buildClusters([early, late, pending]);
    expect(r1).toEqual(r2);
    expect(r1.members.map((m) => [m.address, m.linkedByTxid])).toEqual([
      ['a', late.txid],
      ['b', early.txid],
      ['c', early.txid],
      ['d', pending.txid],
    ]);
    expect(r1.links.map((l) => l.txid)).toEqual([early.txid, late.txid, pending.txid]);
  });

  it('output is byte-identical for any permutation of a random transaction set', () => {
    const rnd = mulberry32(99);
    const txs: Tx[] = [];
    for (let t = 0; t < 300; t++) {
      const n = 1 + Math.floor(rnd() * 3);
      const ins = Array.from({ length: n }, () => ({
        value: 1_000 + Math.floor(rnd() * 1_000),
        address: `addr${Math.floor(rnd() * 200)}`,
      }));
      txs.push(buildTx({ id: `r${t}`, height: 1_000 + Math.floor(rnd() * 50), in: ins, out: [500] }));
    }
    const shuffled = [...txs];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const a = JSON.stringify(buildClusters(txs));
    const b = JSON.stringify(buildClusters(shuffled));
    expect(a).toBe(b);
    const r = buildClusters(txs);
    expect(r.members.length).toBe(new Set(txs.flatMap((t) => t.vin.map((i) => i.prevout!.address))).size);
  });
});
