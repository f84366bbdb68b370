import { describe, expect, it } from 'vitest';
import { parseSeeds } from '../../src/model/seed.js';
import { bookOf } from '../support/labels.js';
import { MODELS } from '../../src/trace/models/index.js';
import type { FlowRow, TraceResult } from '../../src/trace/result.js';
import type { ModelName } from '../../src/trace/taint.js';
import { trace } from '../../src/trace/walk.js';
import { FakeChain, txidOf } from './fake-chain.js';

// Real-looking mainnet addresses (valid checksums) so seeds parse like user input.
const SHOP = 'bc1qq2euq8pw950klpjcawuy4uj39ym43hs6cfsegq';
const EXCH = 'bc1qpx7vyv5tp7dm0g475ev527krg764t73dh77gls';
const labels = bookOf([[EXCH, { label: 'ExchangeX', category: 'exchange' }]]);

function opts(
  model: ModelName,
  over: Partial<{ hops: number; minSat: number; maxTxs: number; stopAt: string[] }> = {},
) {
  return {
    model: MODELS[model],
    hops: 3,
    minSat: 0,
    maxTxs: 1000,
    maxAddressTxs: 1000,
    stopAt: ['exchange'],
    ...over,
  };
}

function row(r: TraceResult, name: string, vout: number, chain: FakeChain): FlowRow | undefined {
  return r.rows.find((x) => x.txid === txidOf(name) && x.vout === vout && chain.names.has(x.txid));
}

/** TV3 of the reference notes as a walk: the shop's 0.5 BTC and 1.5 BTC clean coins, one payment + change. */
function tv3Chain(): FakeChain {
  const c = new FakeChain();
  c.add('cb1', ['coinbase'], [{ address: SHOP, value: 50_000_000 }]);
  c.add('cb2', ['coinbase'], [{ address: 'clean', value: 150_000_000 }]);
  c.add(
    'pay',
    ['cb1:0', 'cb2:0'],
    [
      { address: EXCH, value: 120_000_000 },
      { address: 'change', value: 79_990_000 },
    ],
  );
  c.add('onward', ['pay:1'], [{ address: 'far', value: 79_980_000 }]);
  return c;
}

describe('forward walk', () => {
  it('gives TV3 numbers per model and stops at the labelled exchange', async () => {
    const expected: Record<ModelName, [number, number]> = {
      poison: [120_000_000, 79_990_000],
      haircut: [30_000_000, 19_997_500],
      fifo: [50_000_000, 0],
      lifo: [0, 49_990_000],
      tiho: [50_000_000, 0],
    };
    for (const m of Object.keys(expected) as ModelName[]) {
      const c = tv3Chain();
      const r = await trace('forward', parseSeeds([SHOP], 'mainnet'), opts(m), { source: c, labels });
      const seed = row(r, 'cb1', 0, c)!;
      expect(seed.status).toBe('seed');
      expect(seed.hop).toBe(0);
      expect(seed.spentBy).toBe(txidOf('pay'));
      expect(r.seedTotal).toBe(50_000_000);
      const [e0, e1] = expected[m];
      const ex = row(r, 'pay', 0, c);
      if (e0 > 0) {
        expect(ex?.taintedSat).toBeCloseTo(e0, 6);
        expect(ex?.status).toBe('stopped');
        expect(ex?.label).toBe('ExchangeX');
        expect(ex?.hop).toBe(1);
      } else expect(ex).toBeUndefined();
      const ch = row(r, 'pay', 1, c);
      if (e1 > 0) {
        expect(ch?.taintedSat).toBeCloseTo(e1, 6);
        expect(ch?.status).toBe('spent');
        expect(row(r, 'onward', 0, c)?.hop).toBe(2);
        expect(row(r, 'onward', 0, c)?.status).toBe('unspent');
      } else expect(ch).toBeUndefined();
      const pay = r.txs.find((t) => t.txid === txidOf('pay'))!;
      if (m !== 'poison') expect(pay.taintOut + pay.feeTainted).toBeCloseTo(pay.taintIn, 6);
      expect(r.partial).toBe(false);
      expect(c.stats().repeated).toBe(0);
    }
  });

  it('uses the seed history for spenders: no outspends request for seed funding transactions', async () => {
    const c = tv3Chain();
    await trace('forward', parseSeeds([SHOP], 'mainnet'), opts('fifo'), { source: c, labels });
    expect(c.counts.get(`/tx/${txidOf('cb1')}/outspends`)).toBeUndefined();
    expect(c.counts.get(`/tx/${txidOf('pay')}`)).toBeUndefined(); // the history had it
    expect(c.counts.get(`/tx/${txidOf('pay')}/outspends`)).toBe(1);
  });

  it('marks hop-limit, below-min and unspent at the frontier', async () => {
    const c = tv3Chain();
    const r1 = await trace('forward', parseSeeds([SHOP], 'mainnet'), opts('poison', { hops: 1 }), {
      source: c,
      labels,
    });
    expect(row(r1, 'pay', 1, c)?.status).toBe('hop-limit');
    expect(row(r1, 'onward', 0, c)).toBeUndefined();
    const r2 = await trace(
      'forward',
      parseSeeds([SHOP], 'mainnet'),
      opts('haircut', { minSat: 20_000_000 }),
      {
        source: tv3Chain(),
        labels,
      },
    );
    expect(r2.rows.find((x) => x.vout === 1 && x.valueSat === 79_990_000)?.status).toBe('below-min');
    expect(r2.rows.some((x) => x.valueSat === 79_980_000)).toBe(false);
  });

  it('follows everything with stop-at none', async () => {
    const c = tv3Chain();
    c.add('deposit-out', ['pay:0'], [{ address: 'hot', value: 119_990_000 }]);
    const r = await trace('forward', parseSeeds([SHOP], 'mainnet'), opts('poison', { stopAt: [] }), {
      source: c,
      labels,
    });
    expect(row(r, 'pay', 0, c)?.status).toBe('spent');
    expect(row(r, 'deposit-out', 0, c)?.taintedSat).toBe(119_990_000);
  });

  it('reports an unreadable spender as error and the result as partial', async () => {
    const c = tv3Chain();
    c.failing.add(`/tx/${txidOf('onward')}`);
    const r = await trace('forward', parseSeeds([SHOP], 'mainnet'), opts('poison'), { source: c, labels });
    const ch = row(r, 'pay', 1, c)!;
    expect(ch.status).toBe('error');
    expect(ch.note).toMatch(/injected failure/);
    expect(r.partial).toBe(true);
  });

  it('cuts at --max-txs and says so', async () => {
    const c = new FakeChain();
    c.add('f', ['coinbase'], [{ address: SHOP, value: 10_000_000 }]);
    let prev = 'f';
    for (let i = 0; i < 6; i++) {
      c.add(`p${i}`, [`${prev}:0`], [{ address: `a${i}`, value: 10_000_000 - (i + 1) * 1000 }]);
      prev = `p${i}`;
    }
    const r = await trace('forward', parseSeeds([SHOP], 'mainnet'), opts('poison', { hops: 10, maxTxs: 3 }), {
      source: c,
      labels,
    });
    expect(r.partial).toBe(true);
    expect(r.warnings.join()).toMatch(/--max-txs 3/);
    expect(r.rows.filter((x) => x.status === 'truncated')).toHaveLength(1);
    expect(r.txs).toHaveLength(3);
  });

  it('keeps a seed output at hop 0 when a later transaction pays the seed again', async () => {
    const c = new FakeChain();
    c.add('f', ['coinbase'], [{ address: SHOP, value: 10_000_000 }]);
    c.add('out', ['f:0'], [{ address: 'mid', value: 9_990_000 }]);
    c.add('back', ['out:0'], [{ address: SHOP, value: 9_980_000 }]);
    const r = await trace('forward', parseSeeds([SHOP], 'mainnet'), opts('fifo'), { source: c, labels });
    const back = row(r, 'back', 0, c)!;
    expect(back.hop).toBe(0);
    expect(back.status).toBe('seed');
    expect(r.seedTotal).toBe(19_980_000);
  });

  it('computes a merge with two tainted inputs once, with both (BlockSci Chain A)', async () => {
    // reference notes "Chain A": seed addr_1 (99,990,000); t(addr_6) per model
    const expected: Record<ModelName, number> = {
      poison: 1_499_940_000,
      haircut: 44_989_200_809_982_000 / 449_955_001,
      fifo: 99_990_000,
      lifo: 99_980_000,
      tiho: 99_990_000,
    };
    for (const m of Object.keys(expected) as ModelName[]) {
      const c = new FakeChain();
      c.add('s1', ['coinbase'], [{ address: 'start_1', value: 700_000_000 }]);
      c.add('s2', ['coinbase'], [{ address: 'start_2', value: 800_000_000 }]);
      c.add(
        'split',
        ['s1:0'],
        [
          { address: SHOP, value: 99_990_000 },
          { address: 'addr_2', value: 199_990_000 },
          { address: 'addr_3', value: 399_990_000 },
        ],
      );
      c.add('m1', ['split:0', 'split:1'], [{ address: 'addr_4', value: 299_970_000 }]);
      c.add('m2', ['split:2', 's2:0'], [{ address: 'addr_5', value: 1_199_980_000 }]);
      c.add('m3', ['m1:0', 'm2:0'], [{ address: 'addr_6', value: 1_499_940_000 }]);
      const r = await trace('forward', parseSeeds([SHOP], 'mainnet'), opts(m), { source: c, labels });
      expect(row(r, 'm3', 0, c)!.taintedSat).toBeCloseTo(expected[m], 4);
      expect(row(r, 'm3', 0, c)!.hop).toBe(2);
    }
  });

  it('gives the same rows whatever order the explorer answers in', async () => {
    const build = () => {
      const c = new FakeChain();
      c.add(
        'f1',
        ['coinbase'],
        [
          { address: SHOP, value: 40_000_000 },
          { address: SHOP, value: 7_000_000 },
        ],
      );
      c.add('f2', ['coinbase'], [{ address: 'x', value: 30_000_000 }]);
      c.add(
        'a',
        ['f1:0', 'f2:0'],
        [
          { address: 'a0', value: 25_000_000 },
          { address: 'a1', value: 44_990_000 },
        ],
      );
      c.add(
        'b',
        ['f1:1'],
        [
          { address: 'b0', value: 3_000_000 },
          { address: 'b1', value: 3_990_000 },
        ],
      );
      c.add('c', ['a:1', 'b:0'], [{ address: 'c0', value: 47_980_000 }]);
      c.add(
        'd',
        ['a:0', 'c:0', 'b:1'],
        [
          { address: 'd0', value: 50_000_000 },
          { address: EXCH, value: 26_960_000 },
        ],
      );
      c.add('e', ['d:0'], [{ address: 'e0', value: 49_990_000 }]);
      return c;
    };
    for (const m of ['poison', 'haircut', 'fifo', 'lifo', 'tiho'] as ModelName[]) {
      const base = await trace('forward', parseSeeds([SHOP], 'mainnet'), opts(m, { hops: 5 }), {
        source: build(),
        labels,
      });
      for (const seed of [1, 2, 3, 4, 5]) {
        const r = await trace('forward', parseSeeds([SHOP], 'mainnet'), opts(m, { hops: 5 }), {
          source: build().scramble(seed, 8),
          labels,
        });
        expect(r.rows).toEqual(base.rows);
        expect(r.txs).toEqual(base.txs);
      }
      expect(base.rows.length).toBeGreaterThan(5);
    }
  });
  it('recomputes what a seed output feeds when the seed arrives after the walk passed through it', async () => {
    // b spends the shop's 10M and 30M clean coins; b:0 is also given as a seed. Whichever answer
    // comes first, c must end with b:0's full taint (a seed is full-taint), never with the 1/4
    // share b:0 had before its seed was known.
    const build = () => {
      const c = new FakeChain();
      c.add('f1', ['coinbase'], [{ address: SHOP, value: 10_000_000 }]);
      c.add('f2', ['coinbase'], [{ address: 'x', value: 30_000_000 }]);
      c.add('b', ['f1:0', 'f2:0'], [{ address: 'b0', value: 39_990_000 }]);
      c.add('c', ['b:0'], [{ address: 'c0', value: 39_980_000 }]);
      return c;
    };
    const seeds = parseSeeds([SHOP, `${txidOf('b')}:0`], 'mainnet');
    for (const late of [false, true]) {
      const c = build();
      // late: the outpoint seed's body is answered only after the walk has admitted b and c
      // and computed c from b:0's share (two turns of the event loop after c joined)
      let release = () => {};
      const gate = new Promise<void>((r) => (release = r));
      const source = Object.create(c) as FakeChain;
      source.getTx = async (txid) => {
        if (late && txid === txidOf('b')) await gate;
        return c.getTx(txid);
      };
      const onProgress = (p: { txs: number }) => {
        if (p.txs === 2) setImmediate(() => setImmediate(release));
      };
      const r = await trace('forward', seeds, opts('haircut'), { source, labels, onProgress });
      expect(row(r, 'b', 0, c)).toMatchObject({ status: 'seed', hop: 0, taintedSat: 39_990_000 });
      expect(row(r, 'c', 0, c)).toMatchObject({ hop: 1, taintedSat: 39_980_000 });
      expect(r.txs.find((t) => t.txid === txidOf('c'))).toMatchObject({ hop: 1, taintIn: 39_990_000 });
    }
  });
});

describe('answers the source holds (knownTx / knownOutspends)', () => {
  for (const direction of ['forward', 'backward'] as const) {
    it(`${direction}: the same result as asked answers, with no body or outspends requested`, async () => {
      for (const m of ['poison', 'haircut', 'fifo', 'lifo', 'tiho'] as ModelName[]) {
        const seeds = parseSeeds(direction === 'forward' ? [SHOP] : [`${txidOf('onward')}:0`], 'mainnet');
        const o = opts(m, { hops: 5, stopAt: [] });
        const asked = tv3Chain();
        const base = await trace(direction, seeds, o, { source: asked, labels });
        const held = tv3Chain().holdAll();
        const r = await trace(direction, seeds, o, { source: held, labels });
        expect(r).toEqual(base);
        const requested = [...held.counts.keys()].filter((k) => k.startsWith('/tx/'));
        // only the seed transaction itself (read as the seed, before any walking)
        expect(requested).toEqual(direction === 'forward' ? [] : [`/tx/${txidOf('onward')}`]);
        expect([...held.counts.keys()].some((k) => k.startsWith('held '))).toBe(true);
        expect(base.rows.length).toBeGreaterThanOrEqual(2);
      }
    });
  }
});

describe('backward walk', () => {
  it('attributes TV3 output 0 to its inputs per model (reference section 1.9)', async () => {
    const expected: Record<ModelName, [number, number]> = {
      haircut: [30_000_000, 90_000_000],
      fifo: [50_000_000, 70_000_000],
      poison: [50_000_000, 150_000_000],
      lifo: [0, 120_000_000],
      tiho: [0, 120_000_000],
    };
    for (const m of Object.keys(expected) as ModelName[]) {
      const c = tv3Chain();
      const seed = `${txidOf('pay')}:0`;
      const r = await trace('backward', parseSeeds([seed], 'mainnet'), opts(m), { source: c, labels });
      const [e0, e1] = expected[m];
      const i0 = row(r, 'cb1', 0, c);
      const i1 = row(r, 'cb2', 0, c);
      if (e0 > 0) expect(i0?.taintedSat).toBeCloseTo(e0, 6);
      else expect(i0).toBeUndefined();
      expect(i1?.taintedSat).toBeCloseTo(e1, 6);
      expect(i1?.status).toBe('coinbase');
      expect(i1?.hop).toBe(1);
      expect(i1?.spentBy).toBe(txidOf('pay'));
      expect(row(r, 'pay', 0, c)?.status).toBe('seed');
    }
  });

  it('stops at a labelled source and marks hop-limit', async () => {
    const c = new FakeChain();
    c.add('cb', ['coinbase'], [{ address: EXCH, value: 100_000_000 }]);
    c.add(
      'w',
      ['cb:0'],
      [
        { address: 'u1', value: 60_000_000 },
        { address: 'hot', value: 39_990_000 },
      ],
    );
    c.add('x', ['w:0'], [{ address: 'u2', value: 59_990_000 }]);
    c.add('y', ['x:0'], [{ address: SHOP, value: 59_980_000 }]);
    const r = await trace('backward', parseSeeds([SHOP], 'mainnet'), opts('fifo', { hops: 5 }), {
      source: c,
      labels,
    });
    // fifo: the fee is the last satoshis, so the seed's 59,980,000 are the first ones of each source
    expect(row(r, 'x', 0, c)).toMatchObject({ hop: 1, status: 'spent', taintedSat: 59_980_000 });
    expect(row(r, 'w', 0, c)).toMatchObject({ hop: 2, status: 'spent', taintedSat: 59_980_000 });
    expect(row(r, 'cb', 0, c)).toMatchObject({
      hop: 3,
      status: 'stopped',
      label: 'ExchangeX',
      taintedSat: 59_980_000,
    });
    const r2 = await trace('backward', parseSeeds([SHOP], 'mainnet'), opts('fifo', { hops: 2 }), {
      source: c,
      labels,
    });
    expect(row(r2, 'w', 0, c)?.status).toBe('hop-limit');
    expect(row(r2, 'cb', 0, c)).toBeUndefined();
  });
});
