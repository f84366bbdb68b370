import { describe, expect, it } from 'vitest';
import { traceJson } from '../../src/output/json.js';
import { META, loadTrace, shuffled } from './load.js';

type Doc = {
  meta: Record<string, unknown>;
  trace: Record<string, unknown>;
  rows: Record<string, unknown>[];
  transactions: Record<string, unknown>[];
  totals: Record<string, unknown>;
};

describe('traceJson, forward haircut', () => {
  const result = loadTrace('forward-haircut.json');
  const text = traceJson(result, META);
  const doc = JSON.parse(text) as Doc;

  it('has a fixed key order, 2-space indent and a trailing newline', () => {
    expect(Object.keys(doc)).toEqual(['meta', 'trace', 'rows', 'transactions', 'totals']);
    expect(text.startsWith('{\n  "meta": {\n    "tool": "btctrace",\n')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.endsWith('}\n\n')).toBe(false);
  });

  it('is byte-identical when rows and transactions come in another order', () => {
    for (const seed of [3, 11, 2024]) expect(traceJson(shuffled(result, seed), META)).toBe(text);
  });

  it('writes meta in snake_case, with the trace marked partial and its warnings added', () => {
    expect(doc.meta).toEqual({
      tool: 'btctrace',
      version: '0.1.0',
      command: ['trace', '1SeedVictimAddr9xQwErTyUiOpAsDfGh', '--hops', '2', '--format', 'json'],
      options: {
        api_url: null,
        direction: 'forward',
        hops: 2,
        max_txs: 2,
        min_sat: 1000,
        model: 'haircut',
        stop_at: ['exchange'],
      },
      source: 'offline:fixtures/demo',
      network: 'bitcoin',
      tip_height: 700200,
      model_conventions: 'haircut: fee takes its share; exact until printed; round half up per output',
      partial: true,
      partial_reasons: [
        'provider answered 1 request with HTTP 429 (retried)',
        '--max-txs 2 reached: 0f0f0f0f…0f0f:0 not followed',
      ],
      warnings: [
        'provider answered 1 request with HTTP 429 (retried)',
        '--max-txs 2 reached: 0f0f0f0f…0f0f:0 not followed',
      ],
    });
    // run times and request counts vary between runs of the same trace: manifest only
    expect(Object.keys(doc.meta)).toEqual([
      'tool',
      'version',
      'command',
      'options',
      'source',
      'network',
      'tip_height',
      'model_conventions',
      'partial',
      'partial_reasons',
      'warnings',
    ]);
    expect(doc.trace).toEqual({
      direction: 'forward',
      model: 'haircut',
      seeds: ['1SeedVictimAddr9xQwErTyUiOpAsDfGh'],
    });
  });

  it('writes rows with the CSV values: rounded tainted_sat, exact beside it, nulls, flags as a list', () => {
    expect(
      doc.rows.map((r) => `${r.hop as number}:${(r.txid as string).slice(0, 4)}:${r.vout as number}`),
    ).toEqual([
      '0:fafa:0',
      '0:0e0e:3',
      '1:b0b0:0',
      '1:b0b0:1',
      '1:b0b0:2',
      '1:0f0f:0',
      '1:0f0f:1',
      '2:c0c0:0',
      '2:c0c0:1',
    ]);
    expect(doc.rows[2]).toEqual({
      hop: 1,
      txid: 'b0'.repeat(32),
      vout: 0,
      address: 'bc1qexchangexdeposit000000000000000000000',
      value_sat: 200000000,
      tainted_sat: 66666667,
      tainted_sat_exact: 66666666.666666664,
      status: 'stopped',
      block_height: 680010,
      block_time: '2021-06-07T06:40:00Z',
      label: 'ExchangeX',
      category: 'exchange',
      script_type: 'v0_p2wpkh',
      spent_by: null,
      flags: [],
      note: null,
      abuse: null,
      label_confidence: null,
      label_source: null,
      label_via: null,
    });
    expect(Object.keys(doc.rows[2]!)).toEqual([
      'hop',
      'txid',
      'vout',
      'address',
      'value_sat',
      'tainted_sat',
      'tainted_sat_exact',
      'status',
      'block_height',
      'block_time',
      'label',
      'category',
      'script_type',
      'spent_by',
      'flags',
      'note',
      'abuse',
      'label_confidence',
      'label_source',
      'label_via',
    ]);
    // No formula guard in JSON: the label is the label.
    expect(doc.rows[3]!.label).toBe("=cmd|' /C calc'!A0");
    expect(doc.rows[4]!.address).toBeNull();
    expect(doc.rows[5]!.note).toBe('+ not followed: --max-txs 2 reached');
    expect(doc.rows[7]!.block_height).toBeNull();
    expect(doc.rows[7]!.block_time).toBeNull();
    expect(doc.rows[8]!.flags).toEqual(['round-amount', 'change:fresh-type']);
  });

  it('summarises transactions by hop then txid, rounded with exact values beside', () => {
    expect(doc.transactions).toEqual([
      {
        txid: '0f'.repeat(32),
        hop: 1,
        taint_in_sat: 50000,
        taint_out_sat: 40500,
        fee_tainted_sat: 9500,
        taint_in_sat_exact: 50000,
        taint_out_sat_exact: 40500,
        fee_tainted_sat_exact: 9500,
      },
      {
        txid: 'b0'.repeat(32),
        hop: 1,
        taint_in_sat: 300000000,
        taint_out_sat: 299996667,
        fee_tainted_sat: 3333,
        taint_in_sat_exact: 300000000,
        taint_out_sat_exact: 299996666.6666667,
        fee_tainted_sat_exact: 3333.3333333333335,
      },
      {
        txid: 'c0'.repeat(32),
        hop: 2,
        taint_in_sat: 133333333,
        taint_out_sat: 133330000,
        fee_tainted_sat: 3333,
        taint_in_sat_exact: 133333333.33333333,
        taint_out_sat_exact: 133330000,
        fee_tainted_sat_exact: 3333.333333333333,
      },
    ]);
  });

  it('writes the totals', () => {
    expect(doc.totals.rows).toBe(9);
    expect(doc.totals.seed_sat).toBe(300050000);
    expect(doc.totals.fee_tainted_sat).toBe(16166);
    expect(doc.totals.by_status).toEqual([
      { status: 'seed', outputs: 2 },
      { status: 'spent', outputs: 1 },
      { status: 'unspent', outputs: 2 },
      { status: 'stopped', outputs: 2 },
      { status: 'below-min', outputs: 1 },
      { status: 'truncated', outputs: 1 },
    ]);
    const c = doc.totals.conservation as {
      seed_sat: number;
      total_sat: number;
      lines: { kind: string; sat: number }[];
    };
    expect(c.seed_sat).toBe(300050000);
    expect(c.total_sat).toBe(300050000);
    expect(c.lines.reduce((a, l) => a + l.sat, 0)).toBe(300050000);
    expect(c.lines).toEqual([
      { kind: 'labelled', label: 'ExchangeX (exchange), stopped', outputs: 2, sat: 116666667 },
      { kind: 'labelled', label: 'mixer (unnamed), below-min', outputs: 1, sat: 500 },
      { kind: 'unspent', label: 'unspent, unlabelled', outputs: 2, sat: 183326667 },
      { kind: 'not-followed', label: 'not followed: error or limit (see notes)', outputs: 1, sat: 40000 },
      { kind: 'fees', label: 'paid as fees to miners (3 transactions)', outputs: 0, sat: 16166 },
    ]);
    expect(doc.totals.by_label).toEqual([
      {
        name: "=cmd|' /C calc'!A0 (gambling)",
        outputs: 1,
        tainted_sat: 133333333,
        internal_outputs: 0,
        internal_tainted_sat: 0,
      },
      {
        name: 'ExchangeX (exchange)',
        outputs: 2,
        tainted_sat: 116666667,
        internal_outputs: 0,
        internal_tainted_sat: 0,
      },
      { name: 'mixer (unnamed)', outputs: 1, tainted_sat: 500, internal_outputs: 0, internal_tainted_sat: 0 },
    ]);
    expect(doc.totals.by_cluster).toBeUndefined();
    expect(doc.totals.sentences).toHaveLength(3);
    expect(doc.totals.caveats).toHaveLength(1);
  });
});

describe('traceJson, other models and options', () => {
  it('has no *_exact fields outside haircut', () => {
    const result = { ...loadTrace('forward-haircut.json'), model: 'fifo' as const };
    for (const r of result.rows) r.taintedSat = Math.round(r.taintedSat);
    for (const t of result.txs)
      [t.taintIn, t.taintOut, t.feeTainted] = [t.taintIn, t.taintOut, t.feeTainted].map(Math.round) as [
        number,
        number,
        number,
      ];
    const text = traceJson(result, META);
    expect(text.includes('_exact')).toBe(false);
    const doc = JSON.parse(text) as Doc;
    expect(doc.rows[2]!.tainted_sat).toBe(66666667);
  });

  it('adds cluster to each row and by_cluster to the totals when asked', () => {
    const result = loadTrace('backward-haircut.json');
    result.rows[1]!.cluster = 'cl-1';
    const doc = JSON.parse(
      traceJson(result, { ...META, partial: false, warnings: [], requests: undefined }, { cluster: true }),
    ) as Doc;
    expect(doc.rows.map((r) => r.cluster)).toEqual([null, 'cl-1', null, null, null]); // a1a1..:0 is the first hop-1 row (height 700050);
    expect(doc.totals.by_cluster).toEqual([
      {
        name: 'cl-1',
        outputs: 1,
        tainted_sat: 93750000,
        internal_outputs: 0,
        internal_tainted_sat: 0,
        members_seen: 1,
        seed_outputs: 0,
        seed_tainted_sat: 0,
      },
    ]);
    expect(doc.meta.partial).toBe(false);
    expect(doc.meta.warnings).toEqual([]);
    expect('requests' in doc.meta).toBe(false);
    expect(doc.trace.direction).toBe('backward');
  });
});
