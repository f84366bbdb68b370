// Rule boundaries of the walk that had no test: taint exactly at --min-sat (followed; one sat
// less is below-min), forward and backward; and the hop of a transaction that spends tainted
// outputs of different hops (the minimum + 1). Poison taint, so every figure is exact.
import { describe, expect, it } from 'vitest';
import { parseSeeds } from '../../src/model/seed.js';
import { MODELS } from '../../src/trace/models/index.js';
import type { TraceResult } from '../../src/trace/result.js';
import { trace } from '../../src/trace/walk.js';
import { FakeChain, txidOf } from './fake-chain.js';
import { EMPTY_BOOK } from '../../src/labels/memory-book.js';

const SHOP = 'bc1qq2euq8pw950klpjcawuy4uj39ym43hs6cfsegq';

function opts(minSat: number, hops = 3) {
  return { model: MODELS.poison, hops, minSat, maxTxs: 100, maxAddressTxs: 100, stopAt: [] };
}

const status = (r: TraceResult, name: string, vout: number) =>
  r.rows.find((x) => x.txid === txidOf(name) && x.vout === vout)?.status;
const inTrace = (r: TraceResult, name: string) => r.txs.some((t) => t.txid === txidOf(name));

describe('--min-sat is "follow when taint >= min"', () => {
  // The shop's 1,000 sat pay 600 + 390 (fee 10); each output is spent onward.
  function forwardChain(): FakeChain {
    const c = new FakeChain();
    c.add('cb', ['coinbase'], [{ address: SHOP, value: 1_000 }]);
    c.add(
      'pay',
      ['cb:0'],
      [
        { address: 'a', value: 600 },
        { address: 'b', value: 390 },
      ],
    );
    c.add('nextA', ['pay:0'], [{ address: 'a2', value: 590 }]);
    c.add('nextB', ['pay:1'], [{ address: 'b2', value: 380 }]);
    return c;
  }

  it('forward: an output tainted exactly min-sat is followed; at min-sat + 1 it is below-min', async () => {
    const c = forwardChain();
    const at = await trace('forward', parseSeeds([SHOP], 'mainnet'), opts(600), {
      source: c,
      labels: EMPTY_BOOK,
    });
    expect(status(at, 'pay', 0)).toBe('spent');
    expect(inTrace(at, 'nextA')).toBe(true);
    expect(status(at, 'nextA', 0)).toBe('below-min'); // 590 < 600
    expect(status(at, 'pay', 1)).toBe('below-min'); // 390 < 600
    expect(inTrace(at, 'nextB')).toBe(false);
    const above = await trace('forward', parseSeeds([SHOP], 'mainnet'), opts(601), {
      source: c,
      labels: EMPTY_BOOK,
    });
    expect(status(above, 'pay', 0)).toBe('below-min');
    expect(inTrace(above, 'nextA')).toBe(false);
  });

  it('forward: a seed output exactly at min-sat is followed, one sat under is flagged not-followed', async () => {
    const c = forwardChain();
    const at = await trace('forward', parseSeeds([SHOP], 'mainnet'), opts(1_000), {
      source: c,
      labels: EMPTY_BOOK,
    });
    expect(inTrace(at, 'pay')).toBe(true);
    const under = await trace('forward', parseSeeds([SHOP], 'mainnet'), opts(1_001), {
      source: c,
      labels: EMPTY_BOOK,
    });
    expect(inTrace(under, 'pay')).toBe(false);
    expect(under.rows[0]!.flags).toContain('not-followed:below-min');
  });

  it('backward: a source of exactly min-sat is followed to its coinbase; at min-sat + 1 it is below-min', async () => {
    const c = new FakeChain();
    c.add('cb1', ['coinbase'], [{ address: 'p1', value: 600 }]);
    c.add('cb2', ['coinbase'], [{ address: 'p2', value: 400 }]);
    c.add('pay', ['cb1:0', 'cb2:0'], [{ address: SHOP, value: 990 }]);
    const at = await trace('backward', parseSeeds([SHOP], 'mainnet'), opts(600), {
      source: c,
      labels: EMPTY_BOOK,
    });
    expect(status(at, 'cb1', 0)).toBe('coinbase');
    expect(status(at, 'cb2', 0)).toBe('below-min');
    expect(inTrace(at, 'cb1')).toBe(true);
    const above = await trace('backward', parseSeeds([SHOP], 'mainnet'), opts(601), {
      source: c,
      labels: EMPTY_BOOK,
    });
    expect(status(above, 'cb1', 0)).toBe('below-min');
    expect(inTrace(above, 'cb1')).toBe(false);
  });

  it('backward: a source that is not a coinbase, exactly at min-sat, is hop-limit; at min-sat + 1 below-min', async () => {
    // The coinbase status above is decided before min-sat; here only min-sat decides the row.
    const c = new FakeChain();
    c.add('cb', ['coinbase'], [{ address: 'p0', value: 700 }]);
    c.add('mid', ['cb:0'], [{ address: 'p1', value: 600 }]);
    c.add('cb2', ['coinbase'], [{ address: 'p2', value: 400 }]);
    c.add('pay', ['mid:0', 'cb2:0'], [{ address: SHOP, value: 1_000 }]);
    const deps = { source: c, labels: EMPTY_BOOK };
    const at = await trace('backward', parseSeeds([SHOP], 'mainnet'), opts(600, 1), deps);
    expect([status(at, 'mid', 0), status(at, 'cb2', 0)]).toEqual(['hop-limit', 'below-min']);
    const above = await trace('backward', parseSeeds([SHOP], 'mainnet'), opts(601, 1), deps);
    expect(status(above, 'mid', 0)).toBe('below-min');
  });
});

describe('hops', () => {
  it('a transaction spending tainted outputs of hop 1 and hop 2 is at hop 2 (the minimum + 1)', async () => {
    const c = new FakeChain();
    c.add('cb', ['coinbase'], [{ address: SHOP, value: 10_000 }]);
    c.add(
      'a',
      ['cb:0'],
      [
        { address: 'x', value: 5_000 },
        { address: 'y', value: 4_990 },
      ],
    ); // hop 1
    c.add('b', ['a:0'], [{ address: 'z', value: 4_990 }]); // hop 2
    c.add('m', ['b:0', 'a:1'], [{ address: 'w', value: 9_970 }]); // inputs of hop 2 and hop 1
    const r = await trace('forward', parseSeeds([SHOP], 'mainnet'), opts(0, 10), {
      source: c,
      labels: EMPTY_BOOK,
    });
    const hop = (name: string) => r.txs.find((t) => t.txid === txidOf(name))?.hop;
    expect([hop('a'), hop('b'), hop('m')]).toEqual([1, 2, 2]);
    expect(r.rows.find((x) => x.txid === txidOf('m'))).toMatchObject({ hop: 2, taintedSat: 9_970 });
  });

  it('with --hops 2 the mixed transaction is still reached (through its hop-1 input)', async () => {
    const c = new FakeChain();
    c.add('cb', ['coinbase'], [{ address: SHOP, value: 10_000 }]);
    c.add(
      'a',
      ['cb:0'],
      [
        { address: 'x', value: 5_000 },
        { address: 'y', value: 4_990 },
      ],
    );
    c.add('b', ['a:0'], [{ address: 'z', value: 4_990 }]);
    c.add('m', ['b:0', 'a:1'], [{ address: 'w', value: 9_970 }]);
    const r = await trace('forward', parseSeeds([SHOP], 'mainnet'), opts(0, 2), {
      source: c,
      labels: EMPTY_BOOK,
    });
    expect(r.rows.find((x) => x.txid === txidOf('m'))).toMatchObject({ hop: 2, status: 'unspent' });
  });
});

describe('the seed total stays exact', () => {
  function twoSeeds(a: number, b: number): FakeChain {
    const c = new FakeChain();
    c.add('cb1', ['coinbase'], [{ address: SHOP, value: a }]);
    c.add('cb2', ['coinbase'], [{ address: SHOP, value: b }]);
    return c;
  }

  it('a total of exactly 2^53 - 1 sat is kept; one sat more is refused, never rounded', async () => {
    const ok = await trace('forward', parseSeeds([SHOP], 'mainnet'), opts(0), {
      source: twoSeeds(4_503_599_627_370_495, 4_503_599_627_370_496),
      labels: EMPTY_BOOK,
    });
    expect(ok.seedTotal).toBe(Number.MAX_SAFE_INTEGER);
    await expect(
      trace('forward', parseSeeds([SHOP], 'mainnet'), opts(0), {
        source: twoSeeds(4_503_599_627_370_496, 4_503_599_627_370_496),
        labels: EMPTY_BOOK,
      }),
    ).rejects.toThrow(/the seed outputs total more than 9007199254740991 sat/);
  });
});
