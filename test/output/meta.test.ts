import { describe, expect, it } from 'vitest';
import { jsonSafe, metaJson, snakeCase } from '../../src/output/meta.js';
import { META } from './load.js';

describe('snakeCase', () => {
  it.each([
    ['minSat', 'min_sat'],
    ['apiUrl', 'api_url'],
    ['apiURL', 'api_url'],
    ['maxAddressTxs', 'max_address_txs'],
    ['stop-at', 'stop_at'],
    ['hops', 'hops'],
    ['tip_height', 'tip_height'],
  ])('%s -> %s', (key, snake) => {
    expect(snakeCase(key)).toBe(snake);
  });
});

describe('jsonSafe', () => {
  it('sorts keys at every depth and maps values JSON cannot hold', () => {
    const v = jsonSafe({
      zeta: 1,
      alphaBeta: { yKey: undefined, xKey: 10n },
      when: new Date(0),
      n: NaN,
      f: () => 1,
    });
    expect(JSON.stringify(v)).toBe(
      '{"alpha_beta":{"x_key":"10","y_key":null},"f":null,"n":null,"when":"1970-01-01T00:00:00.000Z","zeta":1}',
    );
  });

  it('gives the same bytes for the same options built in another order', () => {
    const a = JSON.stringify(jsonSafe({ hops: 3, model: 'fifo', stopAt: ['exchange', 'mixer'] }));
    const b = JSON.stringify(jsonSafe({ stopAt: ['exchange', 'mixer'], model: 'fifo', hops: 3 }));
    expect(a).toBe(b);
    expect(a).toBe('{"hops":3,"model":"fifo","stop_at":["exchange","mixer"]}');
  });
});

describe('metaJson', () => {
  it('keeps the run flags when the trace is complete', () => {
    const m = metaJson(META, { partial: false, warnings: [], tipHeight: 1 });
    expect(m.partial).toBe(false);
    expect(m.warnings).toEqual(['provider answered 1 request with HTTP 429 (retried)']);
    expect(m.tip_height).toBe(700200);
  });

  it('marks partial and merges warnings without duplicates when the trace was cut', () => {
    const m = metaJson(META, {
      partial: true,
      warnings: ['provider answered 1 request with HTTP 429 (retried)', 'history of 1Big cut at 500 txs'],
      tipHeight: null,
    });
    expect(m.partial).toBe(true);
    expect(m.warnings).toEqual([
      'provider answered 1 request with HTTP 429 (retried)',
      'history of 1Big cut at 500 txs',
    ]);
  });

  it("falls back to the trace's tip height and leaves out requests when not counted", () => {
    const m = metaJson(
      { ...META, tipHeight: null, requests: undefined },
      { partial: false, warnings: [], tipHeight: 812345 },
    );
    expect(m.tip_height).toBe(812345);
    expect('requests' in m).toBe(false);
  });
});
