// Exact arithmetic on explorer values: every value is an integer in 0..2.1e15 sat and so is each
// transaction's input sum and output sum (src/sources/parse.ts), so Number sums stay exact. A
// hostile explorer whose inputs sum past 2^53 is refused as a data error naming the txid — no
// stack trace, no 126M BTC in a CSV.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntegrityError, MalformedBodyError } from '../../src/sources/index.js';
import { MAX_MONEY, parseTx } from '../../src/sources/parse.js';
import type { EsploraServer } from '../support/esplora-server.js';
import { fakeTx } from '../sources/helpers.js';
import { CONSOLIDATION, demoTrace, hostileServer, run, tamperTx } from './hostile.js';

type J = {
  vin: { prevout: { value: number } | null; is_coinbase: boolean; txid: string }[];
  vout: { value: number }[];
  fee: number;
};

/** fakeTx with a second input; input values a and b, outputs as fakeTx makes them (10,000 + 20,000). */
function twoInputs(a: number, b: number): J {
  const t = fakeTx('sums') as unknown as J;
  const second = structuredClone(t.vin[0]!);
  second.txid = 'cd'.repeat(32);
  t.vin[0]!.prevout!.value = a;
  second.prevout!.value = b;
  t.vin.push(second);
  t.fee = a + b - 30_000;
  return t;
}

describe('parse: sums bounded by the money supply', () => {
  it('inputs summing to exactly 2,100,000,000,000,000 sat are accepted, one sat more is refused', () => {
    const ok = parseTx(twoInputs(MAX_MONEY - 1_000_000, 1_000_000), '/tx/x');
    expect(ok.fee).toBe(MAX_MONEY - 30_000);
    const over = () => parseTx(twoInputs(MAX_MONEY - 1_000_000, 1_000_001), '/tx/x');
    expect(over).toThrow(IntegrityError);
    expect(over).toThrow(/inputs 0\.\.1 sum past the money supply \(2100000000000000 sat\)/);
  });

  it('a single value above the supply, negative or fractional is malformed; at the supply it is a value', () => {
    for (const v of [MAX_MONEY + 1, -1, 0.5]) {
      expect(() => parseTx(twoInputs(v, 0), '/tx/x')).toThrow(MalformedBodyError);
    }
    expect(parseTx(twoInputs(MAX_MONEY, 0), '/tx/x').vin[0]!.prevout!.value).toBe(MAX_MONEY);
  });

  it('outputs summing past the supply are refused even on a coinbase (no fee check there)', () => {
    const t = fakeTx('coinbase') as unknown as J;
    t.vin[0] = { ...t.vin[0]!, is_coinbase: true, prevout: null, txid: '00'.repeat(32) };
    t.vout[0]!.value = MAX_MONEY;
    t.vout[1]!.value = 0;
    expect(parseTx(t, '/tx/c').vout[0]!.value).toBe(MAX_MONEY);
    t.vout[1]!.value = 1;
    expect(() => parseTx(t, '/tx/c')).toThrow(/outputs 0\.\.1 sum past the money supply/);
  });
});

describe('a hostile explorer whose 11 inputs and 5 outputs sum past 2^53 (the fee balancing)', () => {
  let server: EsploraServer;
  beforeAll(async () => {
    // 11 × 910,000,000,000,000 = 10,010,000,000,000,000 sat in, 5 × 2,000,000,000,000,000 out,
    // fee 10,000,000,000,000: every value alone is valid and the fee balances.
    server = await hostileServer(
      tamperTx(CONSOLIDATION, (tx) => {
        for (const i of tx.vin) i.prevout!.value = 910_000_000_000_000;
        const out = tx.vout[0]!;
        tx.vout = Array.from({ length: 5 }, () => ({ ...out, value: 2_000_000_000_000_000 }));
        tx.fee = 10_000_000_000_000;
      }),
    );
  });
  afterAll(() => server.close());

  const refusal = `${CONSOLIDATION}: inputs 0..2 sum past the money supply`;

  it('tx: exit 1, one line naming the txid, no stack trace', async () => {
    for (const format of ['table', 'json']) {
      const r = await run(['tx', CONSOLIDATION, '--api-url', server.url, '--format', format]);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toContain(refusal);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });

  it('trace --format json and csv: exit 1, nothing printed as a result', async () => {
    for (const format of ['json', 'csv']) {
      const r = await demoTrace(server.url, ['--format', format]);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toContain(refusal);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });
});
