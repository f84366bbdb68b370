// What a price source answers, and the errors it raises.
import { InputError } from '../model/errors.js';
import { SourceError } from '../sources/errors.js';
import type { Decimal } from './decimal.js';

/** The price of 1 BTC in one currency, and where and when it was taken. */
export interface PricePoint {
  currency: string;
  price: Decimal;
  /** Unix seconds: the explorer's price row, or 00:00 UTC of a table's day. */
  time: number;
  /** Who said so: "mempool <url> (hourly)" or "prices file <path> (daily)". */
  source: string;
}

/** One source of BTC prices: the explorer's history or an offline table. */
export interface PriceSource {
  readonly description: string;
  /** Currencies it can price directly (upper case). */
  supports(currency: string): boolean;
  /** The price in force at unix time `at`; rejects when there is none (never a guess). */
  priceAt(currency: string, at: number): Promise<PricePoint>;
}

/** A prices or FX table has no entry for a day a row needs: bad input, exit 2. */
export class MissingPriceError extends InputError {}

/** The explorer has no usable price for a time (no data, or only far older data): exit 1. */
export class PriceUnavailableError extends SourceError {
  override readonly name = 'PriceUnavailableError';
}

/** ISO-4217-style code: three upper-case letters (KGS, USD ...). */
export const CURRENCY = /^[A-Z]{3}$/;

/** "2024-06-26" of a unix time, UTC. */
export function utcDay(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}
