// --prices and --fx tables: strict rows, a missing day is an error naming the day, bounded reads.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/errors.js';
import { decimalText } from '../../src/prices/decimal.js';
import { FiatPricer } from '../../src/prices/fiat.js';
import { FxTable, PriceTable, readBounded } from '../../src/prices/tables.js';
import { MissingPriceError } from '../../src/prices/types.js';

const dir = mkdtempSync(join(tmpdir(), 'btctrace-prices-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PRICES =
  'date,currency,price\n2024-06-25,USD,61804.52\n2024-06-26,usd,60864.44\n2024-06-26,EUR,56932.07\n';
const FX = 'date,from,to,rate\n2024-06-26,USD,KGS,86.804\n2024-06-26,EUR,KGS,93.0\n';
// 2024-06-26T00:00:00Z and the last second of that day
const DAY_START = 1719360000;
const DAY_END = DAY_START + 86_399;

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('PriceTable', () => {
  const t = new PriceTable(PRICES, 'p.csv');

  it('prices a time by its UTC day, both ends of the day', async () => {
    for (const at of [DAY_START, DAY_END]) {
      const p = await t.priceAt('USD', at);
      expect(decimalText(p.price)).toBe('60864.44');
      expect(p.time).toBe(DAY_START);
    }
    expect(decimalText((await t.priceAt('USD', DAY_START - 1)).price)).toBe('61804.52');
  });

  it('a missing day is an error naming the day and currency, never the nearest day', async () => {
    const e = await rejection(t.priceAt('USD', DAY_END + 1));
    expect(e).toBeInstanceOf(MissingPriceError);
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toBe('--prices p.csv: no USD price for 2024-06-27 (UTC), needed for a row of that day');
    expect((await rejection(t.priceAt('EUR', DAY_START - 1))).message).toMatch(/no EUR price for 2024-06-25/);
  });

  it('knows which currencies it has', () => {
    expect(t.supports('USD')).toBe(true);
    expect(t.supports('EUR')).toBe(true);
    expect(t.supports('KGS')).toBe(false);
  });

  it.each([
    ['2024-02-30,USD,1', /line 2: date "2024-02-30" is not a day/],
    ['24-06-26,USD,1', /date "24-06-26"/],
    ['2024-06-26,US,1', /currency "US" is not a 3-letter/],
    ['2024-06-26,USD,0', /price "0" is not a positive decimal/],
    ['2024-06-26,USD,-5', /price "-5"/],
    ['2024-06-26,USD,1e5', /price "1e5"/],
    ['2024-06-26,USD,"60,864.44"', /price "60,864.44"/],
  ])('refuses the row %s', (row, message) => {
    expect(() => new PriceTable(`date,currency,price\n${row}\n`, 'p.csv')).toThrow(message);
  });

  it('refuses a day listed twice with different prices, accepts an exact repeat', () => {
    expect(() => new PriceTable(`${PRICES}2024-06-26,USD,60864.45\n`, 'p.csv')).toThrow(
      /line 5: USD on 2024-06-26 is listed twice \(60864.44 and 60864.45\)/,
    );
    expect(() => new PriceTable(`${PRICES}2024-06-26,USD,60864.440\n`, 'p.csv')).not.toThrow();
  });

  it('needs the three columns', () => {
    expect(() => new PriceTable('day,currency,price\n', 'p.csv')).toThrow(
      /header must have columns date,currency,price/,
    );
  });
});

describe('FxTable and FiatPricer', () => {
  const prices = new PriceTable(PRICES, 'p.csv');
  const fx = new FxTable(FX, 'fx.csv');

  it('converts through USD first, multiplying before any rounding, and shows the rate and its day', async () => {
    const pricer = new FiatPricer('KGS', prices, fx);
    const p = await pricer.priceAt(DAY_START + 3600);
    // 60864.44 x 86.804 = 5283276.84976, kept exact
    expect(decimalText(p.price)).toBe('5283276.84976');
    expect(p.currency).toBe('KGS');
    expect(p.source).toBe('prices file p.csv (daily, UTC) USD 60864.44 x --fx USD->KGS 2024-06-26 86.804');
    expect(pricer.description).toMatch(/USD converted to KGS by --fx fx\.csv/);
  });

  it('a missing FX day is an error naming it', async () => {
    const e = await rejection(new FiatPricer('KGS', prices, fx).priceAt(DAY_START - 1));
    expect(e).toBeInstanceOf(MissingPriceError);
    expect(e.message).toBe(
      '--fx fx.csv: no USD->KGS rate for 2024-06-25 (UTC), needed for a row of that day',
    );
  });

  it('a currency neither priced nor converted is bad input', () => {
    expect(() => new FiatPricer('RUB', prices, fx)).toThrow(/fx\.csv converts no currency it has into RUB/);
    expect(() => new FiatPricer('RUB', prices, null)).toThrow(/no RUB prices in prices file p\.csv/);
  });

  it('prices the currency directly when the source has it (no FX)', async () => {
    const p = await new FiatPricer('EUR', prices, fx).priceAt(DAY_START);
    expect(decimalText(p.price)).toBe('56932.07');
    expect(p.source).toBe('prices file p.csv (daily, UTC)');
  });

  it('refuses from = to and a zero rate', () => {
    expect(() => new FxTable('date,from,to,rate\n2024-06-26,USD,USD,1\n', 'fx.csv')).toThrow(/both USD/);
    expect(() => new FxTable('date,from,to,rate\n2024-06-26,USD,KGS,0.0\n', 'fx.csv')).toThrow(/rate "0.0"/);
  });
});

describe('readBounded', () => {
  it('reads a regular file up to the cap, not one byte more', () => {
    const f = join(dir, 'ten.csv');
    writeFileSync(f, '0123456789');
    expect(readBounded(f, '--prices', 10)).toBe('0123456789');
    expect(() => readBounded(f, '--prices', 9)).toThrow(`--prices ${f}: 10 bytes, more than 9`);
  });

  it('refuses a directory and a missing file with one line', () => {
    expect(() => readBounded(dir, '--fx')).toThrow(`--fx ${dir}: not a regular file`);
    expect(() => readBounded(join(dir, 'nope.csv'), '--fx')).toThrow(/cannot read \(ENOENT\)/);
  });
});
