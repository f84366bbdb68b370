// tx and address with --fiat over the demo recording: inputs, outputs and fee at the block day
// (through the FX table for KGS), a balance at the run time; values worked in Python decimal.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIO, DEMO_DIR, REPO, SHOP_A } from '../cli/helpers.js';

const PRICES = path.join(REPO, 'fixtures/prices/demo-prices.csv');
const FX = path.join(REPO, 'fixtures/prices/demo-fx.csv');
// A peel step of the demo, block time 2024-06-26T14:20:00Z: 1 input of 1.47393130 BTC.
const PEEL = '0101f07df1e42226169d48e0d659055b4d66ead9dc26cf78d1593ec436d98512';
const dir = mkdtempSync(path.join(tmpdir(), 'btctrace-fiat-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]) {
  const io = captureIO(); // clock: 2026-01-01T00:00:00Z
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('tx --fiat', () => {
  it('values inputs, outputs and fee in KGS at the block day (60864.44 USD x 86.804)', async () => {
    const r = await run([
      'tx',
      PEEL,
      '--offline',
      DEMO_DIR,
      '--format',
      'json',
      '--fiat',
      'KGS',
      '--prices',
      PRICES,
      '--fx',
      FX,
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as {
      inputs: Record<string, unknown>[];
      outputs: Record<string, unknown>[];
      fee_fiat_value: string;
      fiat: { prices: { price: string }[] };
    };
    expect(doc.inputs[0]).toMatchObject({
      value_sat: 147393130,
      fiat_currency: 'KGS',
      price: '5283276.84976',
      fiat_value: '7787187.12',
    });
    expect(doc.outputs.map((o) => o.fiat_value)).toEqual(['2113310.74', '5673816.78']);
    expect(doc.outputs[0]!.price_time).toBe('2024-06-26T00:00:00Z');
    expect(doc.fee_fiat_value).toBe('59.60');
    expect(doc.fiat.prices.map((p) => p.price)).toEqual(['5283276.84976']);
  });

  it('the table gets a currency column and a price line; without --fiat neither', async () => {
    const r = await run(['tx', PEEL, '--offline', DEMO_DIR, '--fiat', 'EUR', '--prices', PRICES]);
    expect(r.code).toBe(0);
    // 1.47393130 x 56932.07 = 83913.959946791 -> 83913.96
    expect(r.out).toMatch(/│ 1\.47393130 │ 83913\.96 │/);
    expect(r.out).toContain('EUR: price 56932.07 at 2024-06-26T00:00:00Z');
    const plain = await run(['tx', PEEL, '--offline', DEMO_DIR]);
    expect(plain.out).not.toMatch(/EUR|price/);
  });
});

describe('address --fiat', () => {
  it('values the balance at the run time, and needs that day in the prices file', async () => {
    const missing = await run([
      'address',
      SHOP_A,
      '--offline',
      DEMO_DIR,
      '--fiat',
      'USD',
      '--prices',
      PRICES,
    ]);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe(
      `btctrace: --prices ${PRICES}: no USD price for 2026-01-01 (UTC), needed for a row of that day\n`,
    );
    const file = path.join(dir, 'today.csv');
    writeFileSync(file, 'date,currency,price\n2026-01-01,USD,87654.32\n');
    const r = await run([
      'address',
      SHOP_A,
      '--offline',
      DEMO_DIR,
      '--format',
      'json',
      '--fiat',
      'USD',
      '--prices',
      file,
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { balance_sat: number; balance_fiat_value: string };
    // 14,000,000 sat x 87654.32 / 1e8 = 12271.6048 -> 12271.60
    expect(doc.balance_sat).toBe(14_000_000);
    expect(doc.balance_fiat_value).toBe('12271.60');
  });
});
