import { describe, expect, it } from 'vitest';
import type { ExpandLimits } from '../../src/cluster/cluster-result.js';
import { expandCluster } from '../../src/cluster/expand.js';
import { InputError } from '../../src/model/errors.js';
import { buildTx, buildTxs, fakeTxid } from './build.js';
import { FakeChainSource } from './fake-source.js';
import chain from './fixtures/expand.json' with { type: 'json' };

const txs = [...buildTxs(chain.txs).values()];
const roomy: ExpandLimits = { maxAddresses: 100, maxTxs: 100, maxAddressTxs: 50 };
const SHOP = ['bc1-shop-s1', 'bc1-shop-s2', 'bc1-shop-s3', 'bc1-shop-s4'];

describe('expandCluster: shop linked through one consolidation', () => {
  it('finds all four shop addresses from one seed, and no customer', async () => {
    const source = new FakeChainSource(txs);
    const r = await expandCluster(source, ['bc1-shop-s3'], roomy);
    expect(r.members).toEqual([
      { address: 'bc1-shop-s3', clusterId: 'bc1-shop-s1', linkedByTxid: null, hop: 0 },
      { address: 'bc1-shop-s1', clusterId: 'bc1-shop-s1', linkedByTxid: fakeTxid('consolidate'), hop: 1 },
      { address: 'bc1-shop-s2', clusterId: 'bc1-shop-s1', linkedByTxid: fakeTxid('consolidate'), hop: 1 },
      { address: 'bc1-shop-s4', clusterId: 'bc1-shop-s1', linkedByTxid: fakeTxid('consolidate'), hop: 1 },
    ]);
    expect(r.complete).toBe(true);
    expect(r.incomplete).toEqual([]);
    expect(r.clusters).toEqual([{ id: 'bc1-shop-s1', size: 4 }]);
    expect(r.linkTxids).toEqual([fakeTxid('consolidate')]);
    // s3 first, then s1, s2, s4; 5 distinct txs: 4 payments + the consolidation
    expect(source.historyCalls).toEqual(['bc1-shop-s3', 'bc1-shop-s1', 'bc1-shop-s2', 'bc1-shop-s4']);
    expect(r.counts).toEqual({
      members: 4,
      addressesExpanded: 4,
      txsExamined: 5,
      linkingTxs: 1,
      skippedCoinJoins: 0,
    });
    expect(r.members.some((m) => m.address.startsWith('bc1-cust'))).toBe(false);
  });

  it('gives the same result whatever order the answers arrive in', async () => {
    const results = [];
    for (const delaySeed of [1, 2, 3]) {
      const source = new FakeChainSource(txs, { delaySeed, maxDelayMs: 4 });
      results.push(
        JSON.stringify(await expandCluster(source, ['bc1-shop-s2', 'bc1-a1'], roomy, { concurrency: 4 })),
      );
      expect(source.maxInFlight).toBeLessThanOrEqual(4);
    }
    expect(results[1]).toBe(results[0]);
    expect(results[2]).toBe(results[0]);
  });

  it('never has more histories in flight than the concurrency', async () => {
    const source = new FakeChainSource(txs, { delaySeed: 7, maxDelayMs: 3 });
    await expandCluster(source, ['bc1-shop-s1', 'bc1-a1', 'bc1-p1', 'bc1-cust-c2'], roomy, {
      concurrency: 2,
    });
    expect(source.maxInFlight).toBe(2);
  });
});

describe('expandCluster: hops, seeds and CoinJoins', () => {
  it('counts hops along a chain of co-spends', async () => {
    const r = await expandCluster(new FakeChainSource(txs), ['bc1-a1'], roomy);
    expect(r.members.map((m) => [m.address, m.hop, m.linkedByTxid])).toEqual([
      ['bc1-a1', 0, null],
      ['bc1-a2', 1, fakeTxid('chain-1')],
      ['bc1-a3', 2, fakeTxid('chain-2')],
    ]);
    expect(r.complete).toBe(true);
  });

  it('CoinJoin participants stay apart; the mix is listed as skipped with its detector', async () => {
    const r = await expandCluster(new FakeChainSource(txs), ['bc1-p1'], roomy);
    expect(r.members.map((m) => m.address)).toEqual(['bc1-p1', 'bc1-p1b']);
    const seen = {
      txid: fakeTxid('mix'),
      detectors: ['whirlpool'],
      confidence: 'definite',
      reasons: [expect.stringMatching(/^whirlpool: Whirlpool \d+ sat pool: /)],
    };
    expect(r.skipped).toEqual([seen]);
    expect(r.flagged).toEqual([seen]);
    expect(r.veto).toBe('likely');
    expect(r.counts.skippedCoinJoins).toBe(1);
    expect(r.complete).toBe(true);
  });

  it('unlinked seeds form separate clusters, sorted by id', async () => {
    const r = await expandCluster(new FakeChainSource(txs), ['bc1-shop-s4', 'bc1-a3', 'bc1-shop-s4 '], roomy);
    expect(r.seeds).toEqual(['bc1-a3', 'bc1-shop-s4']);
    expect(r.clusters).toEqual([
      { id: 'bc1-a1', size: 3 },
      { id: 'bc1-shop-s1', size: 4 },
    ]);
    expect(r.members.map((m) => m.clusterId)).toEqual([
      'bc1-a1',
      'bc1-a1',
      'bc1-a1',
      'bc1-shop-s1',
      'bc1-shop-s1',
      'bc1-shop-s1',
      'bc1-shop-s1',
    ]);
  });

  it('a customer paying from two addresses is linked to them, not to the shop', async () => {
    const r = await expandCluster(new FakeChainSource(txs), ['bc1-cust-c1a'], roomy);
    expect(r.members.map((m) => m.address)).toEqual(['bc1-cust-c1a', 'bc1-cust-c1b']);
  });

  it('an address-less member cannot be expanded and makes the result incomplete', async () => {
    const p2pk = buildTx({
      id: 'p2pk-cospend',
      height: 50,
      in: [
        { value: 5_000_000_000, type: 'p2pk' },
        { value: 1_000, address: 'bc1-old' },
      ],
      out: [4_999_990_000],
    });
    const r = await expandCluster(new FakeChainSource([p2pk]), ['bc1-old'], roomy);
    expect(r.members.length).toBe(2);
    expect(r.complete).toBe(false);
    expect(r.incomplete.map((x) => x.kind)).toEqual(['no-address-history']);
    expect(r.incomplete[0]!.address).toBe('script:' + p2pk.vin[0]!.prevout!.script);
  });
});

describe('expandCluster: limits cut the cluster and say so', () => {
  it('maxAddresses: two members listed, two more linked ones counted', async () => {
    const r = await expandCluster(new FakeChainSource(txs), ['bc1-shop-s1'], { ...roomy, maxAddresses: 2 });
    expect(r.members.map((m) => m.address)).toEqual(['bc1-shop-s1', 'bc1-shop-s2']);
    expect(r.complete).toBe(false);
    expect(r.incomplete).toEqual([
      {
        kind: 'max-addresses',
        address: null,
        message:
          'stopped at 2 addresses (--max-addresses); 2 further linked addresses not listed (first bc1-shop-s3); 1 member history not read',
      },
    ]);
  });

  it('maxAddresses equal to the cluster size: complete once every history shows nothing new', async () => {
    const r = await expandCluster(new FakeChainSource(txs), ['bc1-shop-s1'], { ...roomy, maxAddresses: 4 });
    expect(r.members.length).toBe(4);
    expect(r.complete).toBe(true);
  });

  it('maxTxs: the walk stops before the consolidation is read', async () => {
    const r = await expandCluster(new FakeChainSource(txs), ['bc1-shop-s1'], { ...roomy, maxTxs: 1 });
    expect(r.members.map((m) => m.address)).toEqual(['bc1-shop-s1']);
    expect(r.complete).toBe(false);
    expect(r.incomplete).toEqual([
      {
        kind: 'max-txs',
        address: null,
        message: 'stopped after 1 transaction (--max-txs); 1 member history not read to the end',
      },
    ]);
    expect(r.counts.txsExamined).toBe(1);
  });

  it('maxTxs reached exactly without needing more is not a cut', async () => {
    const r = await expandCluster(new FakeChainSource(txs), ['bc1-shop-s1'], { ...roomy, maxTxs: 5 });
    expect(r.members.length).toBe(4);
    expect(r.complete).toBe(true);
  });

  it('maxAddressTxs: cut histories mark the cluster incomplete, each address named', async () => {
    const r = await expandCluster(new FakeChainSource(txs), ['bc1-shop-s1'], { ...roomy, maxAddressTxs: 1 });
    // newest first: each shop address's single visible tx is the consolidation
    expect(r.members.length).toBe(4);
    expect(r.complete).toBe(false);
    expect(r.incomplete.map((x) => [x.kind, x.address])).toEqual(SHOP.map((a) => ['address-history-cut', a]));
    expect(r.incomplete[0]!.message).toBe(
      'history of bc1-shop-s1 was cut at 1 transaction (--max-address-txs)',
    );
  });

  it('a failed history is reported, the rest still expands', async () => {
    const source = new FakeChainSource(txs, { failing: ['bc1-shop-s2'] });
    const r = await expandCluster(source, ['bc1-shop-s1'], roomy);
    expect(r.members.length).toBe(4);
    expect(r.complete).toBe(false);
    expect(r.incomplete).toEqual([
      {
        kind: 'fetch-error',
        address: 'bc1-shop-s2',
        message: 'history of bc1-shop-s2 could not be read: HTTP 503 for /address/bc1-shop-s2/txs',
      },
    ]);
    expect(r.counts.addressesExpanded).toBe(3);
  });

  it('rejects bad limits and empty seeds as input errors', async () => {
    const source = new FakeChainSource(txs);
    await expect(expandCluster(source, ['x'], { ...roomy, maxTxs: 0 })).rejects.toThrow(InputError);
    await expect(expandCluster(source, ['x'], { ...roomy, maxAddresses: 1.5 })).rejects.toThrow(
      'maxAddresses must be a positive integer, got 1.5',
    );
    await expect(expandCluster(source, [' '], roomy)).rejects.toThrow('no seed address given');
  });
});
