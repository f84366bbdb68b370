// The persistent cache as a Transport wrapper: answers the Esplora paths it may keep from the
// store (cache-store.ts), asks the wrapped transport for the rest and stores what it may keep.
// It sits below the Esplora source, so a cached body goes through the same parsing and checks as
// a live one; a cached body that fails them is deleted and fetched again.
//
// What is kept how long (DESIGN.md "Confirmed transactions never change"):
// - /tx/:txid whose JSON says status.confirmed: forever. Unconfirmed: unconfirmedTtlMs (1 min).
// - /tx/:txid/hex: forever. The txid is the hash of the bytes, so they cannot change (only the
//   witness of a segwit tx can be re-made before it confirms, and nothing btctrace reads or
//   verifies depends on witness bytes).
// - outspends, address stats, address history pages: ttlMs (10 min); the tip height: tipTtlMs (30 s).
// - /v1/historical-price?currency=C&timestamp=T (src/prices): forever, a past price never changes;
//   not stored when T is within PRICE_SETTLE_S of now (the "last price before T" may still grow).
// - Bulk outspends (/txs/outspends?txids=...) are kept per transaction, as the /tx/:txid/outspends
//   answer, so single and bulk requests share entries and a bulk request asks only for the rest.
// Only 2xx answers that passed the caller's validation are stored: errors never are. Each entry
// records when it was fetched and the chain tip height known then. Entries are keyed by origin
// (the explorer's base URL), so two explorers never answer for each other.
//
// Failure policy: a cache that breaks mid-run (locked beyond the busy timeout, damaged) never
// changes an answer: a locked store is skipped for that answer, a damaged one for the rest of the
// run, each with a warning; the explorer answers instead.

import { CacheError, CacheLockedError, CacheStore, type CacheEntry, type CacheKind } from './cache-store.js';
import {
  CACHE_HEADER,
  confirmedStatus,
  DEFAULT_CACHE_POLICY,
  hitResponse,
  pathKind,
  PRICE_SETTLE_S,
  splitBulk,
  type CachedTransportOptions,
  type CacheCounts,
  type CachePolicy,
  type PathKind,
} from './cache-policy.js';
import type { GetOptions, ValidatingTransport } from './http.js';
import { esploraPath, HISTORICAL_PRICE_PATH } from './resources.js';
import type { Transport, TransportResponse, TransportStats } from './transport.js';

export {
  CACHE_HEADER,
  DEFAULT_CACHE_POLICY,
  PRICE_SETTLE_S,
  pathKind,
  type CacheCounts,
  type CachedTransportOptions,
  type CachePolicy,
} from './cache-policy.js';
export class CachedTransport implements ValidatingTransport {
  readonly description: string;
  readonly origin: string;
  private readonly policy: CachePolicy;
  private readonly now: () => number;
  private readonly warn: (message: string) => void;
  private readonly counts: CacheCounts = { hits: 0, misses: 0, expired: 0, stored: 0, rejected: 0 };
  private tip: number | null = null;
  /** Set when the store broke beyond use: the rest of the run goes straight to the explorer. */
  private disabled = false;
  private warnedLocked = false;

  constructor(
    private readonly inner: Transport | ValidatingTransport,
    private readonly store: CacheStore,
    options: CachedTransportOptions = {},
  ) {
    this.description = inner.description;
    this.origin = options.origin ?? inner.description;
    this.policy = { ...DEFAULT_CACHE_POLICY, ...options.policy };
    for (const [k, v] of Object.entries(this.policy)) {
      if (!(typeof v === 'number' && v >= 0))
        throw new RangeError(`cache ${k} must be >= 0 ms, got ${String(v)}`);
    }
    this.now = options.now ?? Date.now;
    this.warn = options.onWarning ?? (() => undefined);
  }

  /** The wrapped transport's request counts: cache hits are not requests. */
  stats(): TransportStats {
    return this.inner.stats();
  }

  cacheCounts(): CacheCounts {
    return { ...this.counts };
  }

  /** The chain tip height this transport last saw (or was told); stored with each entry. */
  get tipHeight(): number | null {
    return this.tip;
  }

  setTipHeight(height: number): void {
    if (Number.isSafeInteger(height) && height >= 0) this.tip = height;
  }

  async get(p: string, options: GetOptions = {}): Promise<TransportResponse> {
    const kind = this.disabled ? null : pathKind(p);
    if (kind === null) return this.inner.get(p, options);
    if (kind === 'bulk-outspends') return this.getBulk(p, options);

    const entry = this.lookup(p);
    if (entry !== null) {
      const response = hitResponse(entry);
      if (this.accepts(response, options, [p])) {
        this.counts.hits++;
        this.noteTip(p, entry.body);
        return response;
      }
    }
    this.counts.misses++;
    const response = await this.fetchValidated(p, options);
    this.noteTip(p, response.body);
    this.save(p, kind, response);
    return response;
  }

  /**
   * Bulk outspends: slots already cached are served from the cache, the others asked in one bulk
   * request for just them, and the answer is put back together in the order asked.
   */
  private async getBulk(p: string, options: GetOptions, useCache = true): Promise<TransportResponse> {
    const txids = p.slice(p.indexOf('=') + 1).split(',');
    const paths = txids.map((t) => esploraPath.outspends(t));
    const slots = paths.map((sp) => (useCache ? (this.lookup(sp)?.body ?? null) : null));
    const missing = txids.filter((_, k) => slots[k] === null);
    if (missing.length === txids.length) {
      this.counts.misses += txids.length;
      const response = await this.fetchValidated(p, options);
      const parts = splitBulk(response.body, txids.length, p);
      parts.forEach((part, k) => this.saveSlot(paths[k]!, part));
      return response;
    }
    if (missing.length > 0) {
      const sub = esploraPath.outspendsMany(missing);
      // Check the shape inside the HTTP retry loop, so a truncated answer is retried there.
      const response = await this.inner.get(sub, {
        validate: (r) => void splitBulk(r.body, missing.length, sub),
      });
      const parts = splitBulk(response.body, missing.length, sub);
      let m = 0;
      slots.forEach((s, k) => {
        if (s === null) slots[k] = parts[m++]!;
      });
    }
    const response: TransportResponse = {
      status: 200,
      body: `[${slots.join(',')}]`,
      headers: { [CACHE_HEADER]: missing.length > 0 ? 'partial' : 'hit' },
    };
    const fetched = new Set(missing);
    const cachedPaths = paths.filter((_, k) => !fetched.has(txids[k]!));
    if (!this.accepts(response, options, cachedPaths)) {
      // A slot was bad (the cached ones are deleted now): ask the explorer for the whole request.
      return this.getBulk(p, options, false);
    }
    // Only now, validated together with the rest, are the fetched slots kept.
    txids.forEach((t, k) => {
      if (fetched.has(t)) this.saveSlot(paths[k]!, slots[k]!);
    });
    this.counts.hits += txids.length - missing.length;
    this.counts.misses += missing.length;
    return response;
  }

  /** GETs from the wrapped transport, making sure the caller's validation ran on the answer. */
  private async fetchValidated(p: string, options: GetOptions): Promise<TransportResponse> {
    const validate = options.validate;
    if (!validate) return this.inner.get(p);
    let validated = false;
    const response = await this.inner.get(p, {
      validate: (r) => {
        validate(r);
        validated = true;
      },
    });
    // A transport that ignores GetOptions (a plain Transport) left it to us.
    if (!validated) validate(response);
    return response;
  }

  /** Runs the caller's validation on a cached answer; on failure deletes the entries it came from. */
  private accepts(response: TransportResponse, options: GetOptions, paths: string[]): boolean {
    try {
      options.validate?.(response);
      return true;
    } catch {
      this.counts.rejected++;
      for (const sp of paths) this.safely(() => this.store.delete(this.origin, sp), undefined);
      return false;
    }
  }

  /** A fresh entry for the path, or null (absent, expired, damaged, or the store unusable). */
  private lookup(p: string): CacheEntry | null {
    const entry = this.safely(() => this.store.get(this.origin, p), null);
    if (entry === null) return null;
    if (!this.fresh(entry)) {
      this.counts.expired++;
      return null;
    }
    return entry;
  }

  private fresh(entry: CacheEntry): boolean {
    const age = this.now() - entry.fetchedAt;
    // An entry dated in the future means the clock moved back or the file was written elsewhere:
    // its age is unknown and its fetched_at would be a false statement in a manifest, so it is
    // stale, even for a confirmed transaction that would otherwise be kept forever.
    if (age < 0) return false;
    const ttl = this.ttl(entry.kind);
    return ttl === Infinity || age < ttl;
  }

  private ttl(kind: CacheKind): number {
    switch (kind) {
      case 'tx':
      case 'tx-hex':
      case 'price':
        return Infinity;
      case 'tx-unconfirmed':
        return this.policy.unconfirmedTtlMs;
      case 'tip-height':
        return this.policy.tipTtlMs;
      default:
        return this.policy.ttlMs;
    }
  }

  private save(p: string, kind: Exclude<PathKind, 'bulk-outspends'>, response: TransportResponse): void {
    if (response.status < 200 || response.status >= 300 || this.disabled) return;
    let stored: CacheKind = kind;
    if (kind === 'tx') {
      const confirmed = confirmedStatus(response.body);
      if (confirmed === null) return;
      stored = confirmed ? 'tx' : 'tx-unconfirmed';
    }
    if (
      kind === 'price' &&
      Number(HISTORICAL_PRICE_PATH.exec(p)![2]) * 1000 > this.now() - PRICE_SETTLE_S * 1000
    ) {
      return;
    }
    this.put(p, stored, response.body);
  }

  /** One transaction's outspends out of a bulk answer; an empty slot (unknown txid) is not kept. */
  private saveSlot(p: string, body: string): void {
    if (body !== '[]' && !this.disabled) this.put(p, 'outspends', body);
  }

  private put(p: string, kind: CacheKind, body: string): void {
    if (this.ttl(kind) === 0) return;
    const entry: CacheEntry = {
      origin: this.origin,
      path: p,
      kind,
      body,
      fetchedAt: this.now(),
      tipHeight: this.tip,
    };
    if (this.safely(() => (this.store.put(entry), true), false)) this.counts.stored++;
  }

  private noteTip(p: string, body: string): void {
    if (p !== esploraPath.tipHeight()) return;
    const t = body.trim();
    if (/^\d{1,10}$/.test(t)) this.setTipHeight(Number(t));
  }

  /**
   * Runs a store call. Locked: warn once, use the fallback for this call. Damaged or otherwise
   * broken: warn, and stop using the store for the rest of the run.
   */
  private safely<T>(call: () => T, fallback: T): T {
    if (this.disabled) return fallback;
    try {
      return call();
    } catch (e) {
      if (!(e instanceof CacheError)) throw e;
      if (e instanceof CacheLockedError) {
        if (!this.warnedLocked) this.warn(`${e.message}; answering from the explorer meanwhile`);
        this.warnedLocked = true;
        return fallback;
      }
      this.disabled = true;
      this.warn(`${e.message}; not using the cache for the rest of this run`);
      return fallback;
    }
  }
}
