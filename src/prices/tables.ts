// Offline price tables the analyst brings: `--prices` (date,currency,price: the price of 1 BTC
// on a UTC day, any currency) and `--fx` (date,from,to,rate: 1 unit of `from` in `to`, e.g. USD
// -> KGS). A day a row needs and the table lacks is an error naming that day: never the nearest
// day, never an interpolation. Files are read bounded (regular file, size cap) and every cell is
// checked: a wrong price in a case file is worse than none.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { InputError } from '../model/errors.js';
import { decimalText, isZero, parseDecimal, type Decimal } from './decimal.js';
import { CURRENCY, MissingPriceError, utcDay, type PricePoint, type PriceSource } from './types.js';

/** Larger than any honest table (a daily price since 2009 in 30 currencies is ~7 MiB). */
export const MAX_TABLE_BYTES = 32 * 1024 * 1024;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Reads a local file whole, refusing anything but a regular file of at most `maxBytes`. */
export function readBounded(file: string, flag: string, maxBytes = MAX_TABLE_BYTES): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new InputError(`${flag} ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputError(`${flag} ${file}: not a regular file`);
    if (st.size > maxBytes) throw new InputError(`${flag} ${file}: ${st.size} bytes, more than ${maxBytes}`);
    // Read at most maxBytes + 1 whatever stat said: the file may grow while it is read.
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n === buf.length) break;
    }
    if (n > maxBytes) throw new InputError(`${flag} ${file}: more than ${maxBytes} bytes`);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function checkDay(value: string, where: string): string {
  if (
    !DAY.test(value) ||
    Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ||
    utcDay(Date.parse(`${value}T00:00:00Z`) / 1000) !== value
  ) {
    throw new InputError(`${where}: date ${JSON.stringify(value)} is not a day YYYY-MM-DD`);
  }
  return value;
}

function checkCurrency(value: string, where: string, column: string): string {
  const c = value.toUpperCase();
  if (!CURRENCY.test(c))
    throw new InputError(`${where}: ${column} ${JSON.stringify(value)} is not a 3-letter currency code`);
  return c;
}

function checkAmount(value: string, where: string, column: string): Decimal {
  const d = parseDecimal(value);
  if (d === null || isZero(d)) {
    throw new InputError(
      `${where}: ${column} ${JSON.stringify(value)} is not a positive decimal number (digits and a point, e.g. 64123.45)`,
    );
  }
  return d;
}

/** Rows of a CSV with the named columns (any order, more allowed), as [line, cells by name]. */
function records(
  text: string,
  file: string,
  flag: string,
  columns: readonly string[],
): [number, Record<string, string>][] {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (e) {
    throw new InputError(
      `${flag} ${file}: not a readable CSV (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  const header = (rows[0] ?? []).map((h) => h.toLowerCase());
  const index = columns.map((c) => {
    const i = header.indexOf(c);
    if (i < 0)
      throw new InputError(
        `${flag} ${file}: the header must have columns ${columns.join(',')} (found: ${header.join(',') || 'nothing'})`,
      );
    return i;
  });
  const out: [number, Record<string, string>][] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    if ((row[index[0]!] ?? '').startsWith('#')) continue;
    const cells: Record<string, string> = {};
    columns.forEach((c, k) => (cells[c] = row[index[k]!] ?? ''));
    out.push([r + 1, cells]);
  }
  return out;
}

/** Daily BTC prices from `--prices`: date,currency,price. */
export class PriceTable implements PriceSource {
  readonly description: string;
  private readonly prices = new Map<string, Decimal>();
  private readonly currencies = new Set<string>();

  constructor(
    text: string,
    readonly file: string,
  ) {
    this.description = `prices file ${file} (daily, UTC)`;
    for (const [line, c] of records(text, file, '--prices', ['date', 'currency', 'price'])) {
      const where = `--prices ${file} line ${line}`;
      const day = checkDay(c.date!, where);
      const cur = checkCurrency(c.currency!, where, 'currency');
      const price = checkAmount(c.price!, where, 'price');
      const key = `${day} ${cur}`;
      const prev = this.prices.get(key);
      if (prev && decimalText(prev) !== decimalText(price)) {
        throw new InputError(
          `${where}: ${cur} on ${day} is listed twice (${decimalText(prev)} and ${decimalText(price)})`,
        );
      }
      this.prices.set(key, price);
      this.currencies.add(cur);
    }
  }

  supports(currency: string): boolean {
    return this.currencies.has(currency);
  }

  priceAt(currency: string, at: number): Promise<PricePoint> {
    const day = utcDay(at);
    const price = this.prices.get(`${day} ${currency}`);
    if (!price) {
      return Promise.reject(
        new MissingPriceError(
          `--prices ${this.file}: no ${currency} price for ${day} (UTC), needed for a row of that day`,
        ),
      );
    }
    return Promise.resolve({
      currency,
      price,
      time: Date.parse(`${day}T00:00:00Z`) / 1000,
      source: this.description,
    });
  }
}

export interface FxRate {
  from: string;
  to: string;
  day: string;
  rate: Decimal;
}

/** Daily exchange rates from `--fx`: date,from,to,rate (1 `from` = rate `to`). */
export class FxTable {
  private readonly rates = new Map<string, Decimal>();
  /** "FROM TO" pairs present. */
  private readonly pairs = new Set<string>();

  constructor(
    text: string,
    readonly file: string,
  ) {
    for (const [line, c] of records(text, file, '--fx', ['date', 'from', 'to', 'rate'])) {
      const where = `--fx ${file} line ${line}`;
      const day = checkDay(c.date!, where);
      const from = checkCurrency(c.from!, where, 'from');
      const to = checkCurrency(c.to!, where, 'to');
      if (from === to) throw new InputError(`${where}: from and to are both ${from}`);
      const rate = checkAmount(c.rate!, where, 'rate');
      const key = `${day} ${from} ${to}`;
      const prev = this.rates.get(key);
      if (prev && decimalText(prev) !== decimalText(rate)) {
        throw new InputError(
          `${where}: ${from}->${to} on ${day} is listed twice (${decimalText(prev)} and ${decimalText(rate)})`,
        );
      }
      this.rates.set(key, rate);
      this.pairs.add(`${from} ${to}`);
    }
  }

  /** Currencies the table converts into `to`, sorted (USD first: the usual pivot). */
  sourcesFor(to: string): string[] {
    const out: string[] = [];
    for (const p of this.pairs) {
      const [from, t] = p.split(' ');
      if (t === to) out.push(from!);
    }
    return out.sort((a, b) => (a === 'USD' ? -1 : b === 'USD' ? 1 : a < b ? -1 : a > b ? 1 : 0));
  }

  rateOn(from: string, to: string, at: number): FxRate {
    const day = utcDay(at);
    const rate = this.rates.get(`${day} ${from} ${to}`);
    if (!rate)
      throw new MissingPriceError(
        `--fx ${this.file}: no ${from}->${to} rate for ${day} (UTC), needed for a row of that day`,
      );
    return { from, to, day, rate };
  }
}
