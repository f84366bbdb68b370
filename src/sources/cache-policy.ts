// What the cache keeps and how it reads what it keeps: the expiry policy, the kinds of Esplora
// path it recognises, and the few body readers its decisions need (cache-transport.ts uses them).

import type { CacheEntry } from './cache-store.js';
import { MalformedBodyError } from './parse.js';
import { HISTORICAL_PRICE_PATH } from './resources.js';
import type { TransportResponse } from './transport.js';

export interface CachePolicy {
  /** Outspends, address stats and address history pages (default 10 min). 0 = not cached. */
  ttlMs: number;
  /** Unconfirmed transactions (default 1 min). 0 = not cached. */
  unconfirmedTtlMs: number;
  /** The chain tip height (default 30 s). 0 = not cached. */
  tipTtlMs: number;
}

export const DEFAULT_CACHE_POLICY: Readonly<CachePolicy> = {
  ttlMs: 10 * 60_000,
  unconfirmedTtlMs: 60_000,
  tipTtlMs: 30_000,
};

export interface CachedTransportOptions {
  /** Key prefix naming the explorer (default: the wrapped transport's description, its base URL). */
  origin?: string;
  policy?: Partial<CachePolicy>;
  /** Clock, ms since the epoch (default Date.now). */
  now?: () => number;
  onWarning?: (message: string) => void;
}

export interface CacheCounts {
  /** Answers served from the cache (a bulk request counts one per transaction). */
  hits: number;
  /** Cacheable answers that had to be asked of the explorer. */
  misses: number;
  /** Entries found but past their expiry (also counted as misses). */
  expired: number;
  /** Entries written. */
  stored: number;
  /** Entries found whose body the caller's validation rejected (deleted, fetched again). */
  rejected: number;
}

/** Header on answers served from the cache: "hit; fetched_at=<ISO>; tip_height=<n>". */
export const CACHE_HEADER = 'x-btctrace-cache';

export type PathKind =
  'tx' | 'tx-hex' | 'outspends' | 'address' | 'address-txs' | 'tip-height' | 'bulk-outspends' | 'price';

/** A price asked for a time this close to now is not cached (explorers add hourly rows late). */
export const PRICE_SETTLE_S = 2 * 86_400;

const TXID = '[0-9a-f]{64}';
const ADDR = '[A-Za-z0-9]{1,100}';
const PATTERNS: [RegExp, PathKind][] = [
  [new RegExp(`^/tx/${TXID}$`), 'tx'],
  [new RegExp(`^/tx/${TXID}/hex$`), 'tx-hex'],
  [new RegExp(`^/tx/${TXID}/outspends$`), 'outspends'],
  [new RegExp(`^/address/${ADDR}$`), 'address'],
  [new RegExp(`^/address/${ADDR}/txs(?:/chain(?:/${TXID})?)?$`), 'address-txs'],
  [/^\/blocks\/tip\/height$/, 'tip-height'],
  [new RegExp(`^/txs/outspends\\?txids=${TXID}(?:,${TXID})*$`), 'bulk-outspends'],
  [HISTORICAL_PRICE_PATH, 'price'],
];

/** Which cacheable resource a path is, or null for paths passed straight through. */
export function pathKind(p: string): PathKind | null {
  for (const [re, kind] of PATTERNS) if (re.test(p)) return kind;
  return null;
}

export function hitResponse(entry: CacheEntry): TransportResponse {
  const tip = entry.tipHeight === null ? '' : `; tip_height=${entry.tipHeight}`;
  return {
    status: 200,
    body: entry.body,
    headers: { [CACHE_HEADER]: `hit; fetched_at=${new Date(entry.fetchedAt).toISOString()}${tip}` },
  };
}

/** status.confirmed of a tx JSON body, or null when the body cannot say. */
export function confirmedStatus(body: string): boolean | null {
  try {
    const status = (JSON.parse(body) as { status?: { confirmed?: unknown } } | null)?.status;
    return typeof status?.confirmed === 'boolean' ? status.confirmed : null;
  } catch {
    return null;
  }
}

/** A bulk outspends body as one JSON text per slot; MalformedBodyError when it has the wrong shape. */
export function splitBulk(body: string, n: number, resource: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MalformedBodyError(`${resource}: body is not valid JSON (${body.length} chars)`, resource);
  }
  if (!Array.isArray(json) || json.length !== n || !json.every(Array.isArray)) {
    throw new MalformedBodyError(`${resource}: expected an array of ${n} outspend lists`, resource);
  }
  return json.map((slot) => JSON.stringify(slot));
}
