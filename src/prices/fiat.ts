// Values in a currency people know: each row's satoshis at the price of its block time
// (unconfirmed rows: the run's time, marked), optionally through an FX table for currencies the
// price source lacks. Exact decimals end to end; one rounding per printed amount (decimal.ts).

import { InputError } from '../model/errors.js';
import { formatTime } from '../output/time.js';
import { decimalText, fiatAmount, multiply, sumAmounts, type Decimal } from './decimal.js';
import type { FxTable } from './tables.js';
import { type PricePoint, type PriceSource } from './types.js';

/** The price of 1 BTC in the asked currency at one time, conversions included. */
export interface FiatPrice {
  currency: string;
  /** Exact: the source's price times the FX rate when converted. */
  price: Decimal;
  /** Unix seconds of the source's price. */
  time: number;
  /** The source, and the FX rate with its day when converted. */
  source: string;
}

/** Prices in one currency, from a source directly or through an FX table. */
export class FiatPricer {
  readonly currency: string;
  readonly description: string;
  private readonly via: string | null;

  constructor(
    currency: string,
    private readonly source: PriceSource,
    private readonly fx: FxTable | null,
  ) {
    this.currency = currency;
    if (source.supports(currency)) {
      this.via = null;
    } else {
      const via = fx?.sourcesFor(currency).find((c) => source.supports(c)) ?? null;
      if (via === null) {
        throw new InputError(
          fx
            ? `no ${currency} prices in ${source.description}, and ${fx.file} converts no currency it has into ${currency}`
            : `no ${currency} prices in ${source.description}: give --prices with ${currency} rows, or --fx with a rate into ${currency}`,
        );
      }
      this.via = via;
    }
    this.description = this.via
      ? `${source.description}, ${this.via} converted to ${currency} by --fx ${fx!.file} (daily, UTC)`
      : source.description;
  }

  async priceAt(at: number): Promise<FiatPrice> {
    if (this.via === null) return fromPoint(await this.source.priceAt(this.currency, at), this.currency);
    // The rate of the row's day (the price's own day may be the day before, for a price row
    // just before midnight): the row is what is being valued.
    const rate = this.fx!.rateOn(this.via, this.currency, at);
    const base = await this.source.priceAt(this.via, at);
    return {
      currency: this.currency,
      price: multiply(base.price, rate.rate),
      time: base.time,
      source: `${base.source} ${this.via} ${decimalText(base.price)} x --fx ${this.via}->${this.currency} ${rate.day} ${decimalText(rate.rate)}`,
    };
  }
}

function fromPoint(p: PricePoint, currency: string): FiatPrice {
  return { currency, price: p.price, time: p.time, source: p.source };
}

/** Something to value: an output of a trace, an input or output of a transaction, a balance. */
export interface FiatItem {
  key: string;
  valueSat: number;
  /** Tainted satoshis as printed (whole), or null where taint does not apply. */
  taintedSat: number | null;
  /** Unix seconds; null = unconfirmed, valued at the run's time. */
  blockTime: number | null;
}

/** The fiat columns of one row, as printed (CSV and JSON alike). */
export interface FiatCells {
  fiat_currency: string;
  price: string;
  price_time: string;
  price_source: string;
  fiat_value: string;
  fiat_tainted: string | null;
}

export const FIAT_COLUMNS = [
  'fiat_currency',
  'price',
  'price_time',
  'price_source',
  'fiat_value',
  'fiat_tainted',
] as const;

/** A price used, for the manifest: one entry per distinct time and price. */
export interface PriceUsed {
  currency: string;
  price: string;
  price_time: string;
  source: string;
  /** Rows valued with it. */
  rows: number;
}

export interface FiatValues {
  currency: string;
  /** The pricer's description: source, conversion. */
  source: string;
  /** The run time used for unconfirmed rows, when any. */
  runTime: string | null;
  cells: Map<string, FiatCells>;
  prices: PriceUsed[];
}

/** Marker on rows valued at the run's time (DESIGN.md: unconfirmed rows, marked). */
export const UNCONFIRMED_MARK = ' [unconfirmed: valued at run time]';

/**
 * Values every item, one price per distinct time; a missing price rejects the whole valuation
 * (a value is never guessed).
 */
export async function valueItems(
  pricer: FiatPricer,
  items: readonly FiatItem[],
  now: Date,
): Promise<FiatValues> {
  const runAt = Math.floor(now.getTime() / 1000);
  // Distinct times in item order, asked together (the transport bounds what is in flight).
  const times = [...new Set(items.map((i) => i.blockTime ?? runAt))];
  const answers = await Promise.all(times.map((t) => pricer.priceAt(t)));
  const byTime = new Map(times.map((t, k) => [t, answers[k]!]));
  const cells = new Map<string, FiatCells>();
  const used = new Map<string, PriceUsed>();
  let unconfirmed = false;
  for (const item of items) {
    const at = item.blockTime ?? runAt;
    const p = byTime.get(at)!;
    if (item.blockTime === null) unconfirmed = true;
    const price = decimalText(p.price);
    const priceTime = formatTime(p.time);
    cells.set(item.key, {
      fiat_currency: p.currency,
      price,
      price_time: priceTime,
      price_source: item.blockTime === null ? p.source + UNCONFIRMED_MARK : p.source,
      fiat_value: fiatAmount(item.valueSat, p.price),
      fiat_tainted: item.taintedSat === null ? null : fiatAmount(item.taintedSat, p.price),
    });
    const k = `${priceTime} ${price} ${p.source}`;
    const u = used.get(k);
    if (u) u.rows++;
    else used.set(k, { currency: p.currency, price, price_time: priceTime, source: p.source, rows: 1 });
  }
  const prices = [...used.values()].sort((a, b) =>
    a.price_time < b.price_time ? -1 : a.price_time > b.price_time ? 1 : a.source < b.source ? -1 : 1,
  );
  return {
    currency: pricer.currency,
    source: pricer.description,
    runTime: unconfirmed ? formatTime(runAt) : null,
    cells,
    prices,
  };
}

/** Sum of the printed fiat_tainted (or fiat_value) of the given keys; "0.00" for none. */
export function fiatTotal(
  values: FiatValues,
  keys: Iterable<string>,
  field: 'fiat_value' | 'fiat_tainted',
): string {
  const amounts: string[] = [];
  for (const k of keys) {
    const a = values.cells.get(k)?.[field];
    if (a) amounts.push(a);
  }
  return sumAmounts(amounts);
}

/** The manifest's record of the valuation (JSON meta key `fiat`). */
export function fiatMeta(values: FiatValues): Record<string, unknown> {
  return {
    currency: values.currency,
    price_source: values.source,
    rounding:
      'fiat = satoshis x price / 100,000,000 in exact decimals (FX rates multiplied in first), rounded half up to 2 places once; fiat_tainted uses tainted_sat as printed',
    unconfirmed_valued_at: values.runTime,
    prices: values.prices.map((p) => ({ ...p })),
  };
}

export interface FiatStatusTotal {
  status: string;
  outputs: number;
  fiat_value: string;
  fiat_tainted: string;
}

/**
 * Fiat totals of trace rows by status (in the order given), each the sum of the rows' printed
 * amounts, so a spreadsheet SUM over the CSV gives the same figure. Rows valued at different
 * times add up at their own prices: a total is "what each output was worth when it moved".
 */
export function fiatTotals(
  values: FiatValues,
  rows: readonly { txid: string; vout: number; status: string }[],
  order: readonly string[] = [],
): { currency: string; by_status: FiatStatusTotal[] } {
  const groups = new Map<string, string[]>();
  for (const r of rows) {
    const keys = groups.get(r.status) ?? [];
    keys.push(`${r.txid}:${r.vout}`);
    groups.set(r.status, keys);
  }
  const rank = (s: string) => (order.includes(s) ? order.indexOf(s) : order.length);
  const statuses = [...groups.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return {
    currency: values.currency,
    by_status: statuses.map((status) => {
      const keys = groups.get(status)!;
      return {
        status,
        outputs: keys.length,
        fiat_value: fiatTotal(values, keys, 'fiat_value'),
        fiat_tainted: fiatTotal(values, keys, 'fiat_tainted'),
      };
    }),
  };
}
