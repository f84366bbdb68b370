import { describe, expect, it } from 'vitest';
import { labelName, summarize } from '../../src/output/summary.js';
import { loadTrace, shuffled } from './load.js';

describe('summarize, forward haircut', () => {
  const result = loadTrace('forward-haircut.json');
  const s = summarize(result);

  it('totals the seed and the fee taint (sums of printed values)', () => {
    expect(s.rows).toBe(9);
    expect(s.seedSat).toBe(300050000);
    expect(s.feeTaintedSat).toBe(3333 + 3333 + 9500);
  });

  it('totals by status, in status order, on rounded amounts', () => {
    expect(s.byStatus).toEqual([
      { status: 'seed', outputs: 2, taintedSat: 300050000 },
      { status: 'spent', outputs: 1, taintedSat: 133333333 },
      { status: 'unspent', outputs: 2, taintedSat: 99996667 + 83330000 },
      { status: 'stopped', outputs: 2, taintedSat: 66666667 + 50000000 },
      { status: 'below-min', outputs: 1, taintedSat: 500 },
      { status: 'truncated', outputs: 1, taintedSat: 40000 },
    ]);
  });

  it('balances: seed taint = where it ended (not spent) + fee taint', () => {
    const ended = s.byStatus
      .filter((t) => t.status !== 'seed' && t.status !== 'spent')
      .reduce((a, t) => a + t.taintedSat, 0);
    expect(ended + s.feeTaintedSat).toBe(s.seedSat);
  });

  it('totals by label, highest first', () => {
    expect(s.byLabel).toEqual([
      {
        name: "=cmd|' /C calc'!A0 (gambling)",
        outputs: 1,
        taintedSat: 133333333,
        internalOutputs: 0,
        internalTaintedSat: 0,
      },
      {
        name: 'ExchangeX (exchange)',
        outputs: 2,
        taintedSat: 116666667,
        internalOutputs: 0,
        internalTaintedSat: 0,
      },
      { name: 'mixer (unnamed)', outputs: 1, taintedSat: 500, internalOutputs: 0, internalTaintedSat: 0 },
    ]);
    expect(s.byCluster).toBeNull();
  });

  it('writes one sentence per labelled group and the haircut caveat', () => {
    expect(s.sentences).toEqual([
      "=cmd|' /C calc'!A0 (gambling) received 1.33333333 BTC of tainted funds in 1 output.",
      'ExchangeX (exchange) received 1.16666667 BTC of tainted funds in 2 outputs.',
      'mixer (unnamed) received 0.00000500 BTC of tainted funds in 1 output.',
    ]);
    expect(s.caveats).toHaveLength(1);
    expect(s.caveats[0]).toMatch(/^Haircut model: amounts are proportional estimates/);
  });

  it('does not depend on input order', () => {
    expect(summarize(shuffled(result, 5))).toEqual(s);
  });
});

describe('summarize, forward poison', () => {
  it('says "reached" and warns that sums overstate', () => {
    const result = { ...loadTrace('forward-haircut.json'), model: 'poison' as const };
    const s = summarize(result);
    expect(s.sentences[1]).toBe(
      'Tainted funds reached ExchangeX (exchange) in 2 outputs worth 1.16666667 BTC.',
    );
    expect(s.caveats).toHaveLength(1);
    expect(s.caveats[0]).toMatch(
      /^Poison model: .*values reached, not amounts of tainted funds; they overstate/,
    );
  });

  it('has no caveat for fifo', () => {
    expect(summarize({ ...loadTrace('forward-haircut.json'), model: 'fifo' }).caveats).toEqual([]);
  });
});

describe('summarize, forward internal moves', () => {
  it('does not count a group twice when it pays itself (exchange sweep)', () => {
    const result = loadTrace('forward-haircut.json');
    // The gambling output (b0..:1) becomes an ExchangeX deposit swept by c0.. into ExchangeX's hot wallet.
    const gambling = result.rows.find((r) => r.status === 'spent')!;
    gambling.label = 'ExchangeX';
    gambling.category = 'exchange';
    const s = summarize(result);
    expect(s.byLabel[0]).toEqual({
      name: 'ExchangeX (exchange)',
      outputs: 2, // b0..:0 and b0..:1, both paid from the seed
      taintedSat: 66666667 + 133333333,
      internalOutputs: 1, // c0..:0, paid by ExchangeX's own b0..:1
      internalTaintedSat: 50000000,
    });
    expect(s.sentences[0]).toBe(
      'ExchangeX (exchange) received 2.00000000 BTC of tainted funds in 2 outputs ' +
        '(plus 1 output moving it between its own addresses, not counted again).',
    );
  });
});

describe('summarize, backward haircut', () => {
  const s = summarize(loadTrace('backward-haircut.json'));

  it('says "came from" and counts newly mined coins', () => {
    expect(s.sentences).toEqual([
      '1.50000000 BTC came from ExchangeX (exchange) in 2 outputs ' +
        '(plus 1 output moving it between its own addresses, not counted again).',
      '0.18750000 BTC of newly mined coins (coinbase) in 1 output.',
    ]);
  });

  it('explains the haircut estimate for the backward direction', () => {
    expect(s.caveats).toEqual([
      'Haircut model: amounts are proportional estimates (each input is credited with a share of the amount ' +
        'traced in proportion to its value), rounded to whole satoshis per output only when printed.',
    ]);
  });

  it('totals by status and label', () => {
    expect(s.seedSat).toBe(150000000);
    expect(s.feeTaintedSat).toBe(0);
    expect(s.byStatus).toEqual([
      { status: 'seed', outputs: 1, taintedSat: 150000000 },
      { status: 'spent', outputs: 1, taintedSat: 56250000 },
      { status: 'stopped', outputs: 2, taintedSat: 93750000 + 37500000 },
      { status: 'coinbase', outputs: 1, taintedSat: 18750000 },
    ]);
    expect(s.byLabel).toEqual([
      {
        name: 'ExchangeX (exchange)',
        outputs: 2,
        taintedSat: 150000000,
        internalOutputs: 1,
        internalTaintedSat: 37500000,
      },
    ]);
  });

  it('poison backward says the funds reached the traced outputs', () => {
    const p = summarize({ ...loadTrace('backward-haircut.json'), model: 'poison' });
    expect(p.sentences[1]).toBe(
      'Newly mined coins (coinbase) reached the traced outputs: 1 output worth 0.18750000 BTC.',
    );
    expect(p.sentences[0]).toMatch(
      /^Funds from ExchangeX \(exchange\) reached the traced outputs: 2 outputs worth 1\.50000000 BTC/,
    );
  });
});

describe('summarize by cluster', () => {
  it('totals clusters when rows carry them', () => {
    const result = loadTrace('forward-haircut.json');
    for (const r of result.rows) if (r.txid.startsWith('c0')) r.cluster = 'cl-7';
    result.rows.find((r) => r.status === 'spent')!.cluster = 'cl-7';
    const s = summarize(result);
    expect(s.byCluster).toEqual([
      {
        name: 'cl-7',
        outputs: 1,
        taintedSat: 133333333,
        internalOutputs: 2,
        internalTaintedSat: 133330000,
        members: 3,
        seedOutputs: 0,
        seedSat: 0,
      },
    ]);
  });
});

describe('labelName', () => {
  it.each([
    ['ExchangeX', 'exchange', 'ExchangeX (exchange)'],
    ['ExchangeX', null, 'ExchangeX'],
    [null, 'exchange', 'exchange (unnamed)'],
    [null, null, null],
  ])('%s / %s -> %s', (label, category, name) => {
    expect(labelName(label, category)).toBe(name);
  });
});
