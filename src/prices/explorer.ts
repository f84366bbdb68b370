// BTC prices from mempool.space's price history:
//   GET /api/v1/historical-price?currency=EUR&timestamp=1500000000
//   -> {"prices":[{"time":1499904000,"EUR":1964,"USD":2254.9}],"exchangeRates":{"USDEUR":0.92,...}}
// The backend answers the last price row strictly before `timestamp` (PricesRepository
// $getNearestHistoricalPrice: hourly rows in recent years, daily ones in early years), with a
// fake {"time":1279497600,"<CUR>":0} row before its data starts (2010-07-19) and -1 or 0 where a
// currency is missing; an unknown currency answers null. Zero, negative or missing prices are
// "no price", never a value.
//
// Requests go through the chain data's own transport (rate limit, retries on 429/5xx, the
// persistent cache, --record and --offline), one per distinct time, each at most once a run.
// A price is a JSON number: its shortest decimal text (what the explorer wrote, for prices with
// up to 15 significant digits) is read as an exact decimal; exponent notation is refused.

import type { ValidatingTransport } from '../sources/http.js';
import { MalformedBodyError } from '../sources/parse.js';
import { esploraPath } from '../sources/resources.js';
import { formatTime } from '../output/time.js';
import { parseDecimal, type Decimal } from './decimal.js';
import { PriceUnavailableError, type PricePoint, type PriceSource } from './types.js';

/** What mempool.space keeps prices in (the rest need an API key on their side). */
export const EXPLORER_CURRENCIES: readonly string[] = ['USD', 'EUR', 'GBP', 'CAD', 'CHF', 'AUD', 'JPY'];

/** A price row older than this before the asked time is too far to stand for it. */
export const MAX_PRICE_AGE_S = 7 * 86_400;

interface Parsed {
  time: number;
  price: Decimal | null;
}

/** Reads one answer; MalformedBodyError (retried) when it is not the documented shape. */
export function parseHistoricalPrice(body: string, currency: string, resource: string): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MalformedBodyError(`${resource}: body is not valid JSON (${body.length} chars)`, resource);
  }
  if (json === null) return { time: 0, price: null }; // the currency is unknown to the explorer
  const prices = (json as { prices?: unknown }).prices;
  if (typeof json !== 'object' || !Array.isArray(prices)) {
    throw new MalformedBodyError(`${resource}: expected an object with a "prices" array`, resource);
  }
  if (prices.length === 0) return { time: 0, price: null };
  const row = prices[0] as Record<string, unknown> | null;
  const time = row?.time;
  if (typeof time !== 'number' || !Number.isSafeInteger(time) || time < 0) {
    throw new MalformedBodyError(
      `${resource}: prices[0].time: expected unix seconds, got ${String(time)}`,
      resource,
    );
  }
  const value = row![currency];
  if (value === undefined || value === null) return { time, price: null };
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new MalformedBodyError(`${resource}: prices[0].${currency}: expected a number`, resource);
  }
  if (value <= 0) return { time, price: null };
  const price = parseDecimal(String(value));
  if (price === null) {
    throw new MalformedBodyError(
      `${resource}: prices[0].${currency}: ${String(value)} is not a plain decimal`,
      resource,
    );
  }
  return { time, price };
}

export class ExplorerPrices implements PriceSource {
  readonly description: string;
  private readonly asked = new Map<string, Promise<PricePoint>>();

  constructor(private readonly transport: ValidatingTransport) {
    this.description = `mempool historical-price ${transport.description} (last price before the block time)`;
  }

  supports(currency: string): boolean {
    return EXPLORER_CURRENCIES.includes(currency);
  }

  priceAt(currency: string, at: number): Promise<PricePoint> {
    const key = `${currency} ${at}`;
    let p = this.asked.get(key);
    if (!p) {
      p = this.fetch(currency, at);
      this.asked.set(key, p);
    }
    return p;
  }

  private async fetch(currency: string, at: number): Promise<PricePoint> {
    const path = esploraPath.historicalPrice(currency, at);
    const response = await this.transport.get(path, {
      validate: (r) => void parseHistoricalPrice(r.body, currency, path),
    });
    const { time, price } = parseHistoricalPrice(response.body, currency, path);
    const when = formatTime(at);
    if (price === null) {
      throw new PriceUnavailableError(
        `${this.transport.description}${path}: no ${currency} price before ${when}`,
        path,
      );
    }
    if (time > at || at - time > MAX_PRICE_AGE_S) {
      throw new PriceUnavailableError(
        `${this.transport.description}${path}: the ${currency} price nearest before ${when} is from ${formatTime(time)}, not usable for it`,
        path,
      );
    }
    return { currency, price, time, source: this.description };
  }
}
