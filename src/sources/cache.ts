// The persistent cache of explorer answers: open it for a run (openCache, whose wrapTransport
// puts a CachedTransport, cache-transport.ts, under the Esplora source), and the `cache stats`
// and `cache clear` commands. What is kept how long is in cache-transport.ts; the SQLite file,
// its schema and errors in cache-store.ts and cache-db.ts.

import { existsSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import {
  CACHE_FILE_NAME,
  CACHE_SCHEMA_VERSION,
  CacheStore,
  type CacheKind,
  type CacheStoreOptions,
} from './cache-store.js';
import type { ValidatingTransport } from './http.js';
import { CachedTransport, type CacheCounts, type CachePolicy } from './cache-transport.js';

export {
  CACHE_HEADER,
  CachedTransport,
  DEFAULT_CACHE_POLICY,
  PRICE_SETTLE_S,
  pathKind,
  type CacheCounts,
  type CachedTransportOptions,
  type CachePolicy,
} from './cache-transport.js';
export { defaultCacheDir } from './cache-paths.js';

export function cacheFile(dir: string): string {
  return path.join(dir, CACHE_FILE_NAME);
}

export interface OpenCacheOptions extends CacheStoreOptions {
  dir: string;
  policy?: Partial<CachePolicy>;
}

/**
 * An open cache for one run. `wrapTransport` fits createSource's option of that name; counts()
 * adds up every transport it wrapped.
 */
export interface RunCache {
  readonly store: CacheStore;
  wrapTransport(transport: ValidatingTransport): CachedTransport;
  counts(): CacheCounts;
  close(): void;
}

export function openCache(options: OpenCacheOptions): RunCache {
  const store = CacheStore.open(cacheFile(options.dir), options);
  const wrapped: CachedTransport[] = [];
  return {
    store,
    wrapTransport(transport) {
      const t = new CachedTransport(transport, store, {
        ...(options.policy && { policy: options.policy }),
        ...(options.now && { now: options.now }),
        ...(options.onWarning && { onWarning: options.onWarning }),
      });
      wrapped.push(t);
      return t;
    },
    counts() {
      const sum: CacheCounts = { hits: 0, misses: 0, expired: 0, stored: 0, rejected: 0 };
      for (const t of wrapped) {
        const c = t.cacheCounts();
        for (const k of Object.keys(sum) as (keyof CacheCounts)[]) sum[k] += c[k];
      }
      return sum;
    },
    close: () => store.close(),
  };
}

export interface CacheStats {
  file: string;
  exists: boolean;
  schemaVersion: number;
  /** The database with its WAL and shared-memory files. */
  bytes: number;
  entries: number;
  /** Entries per kind, every kind listed (0 when none). */
  byKind: Record<CacheKind, number>;
  /** fetched_at of the oldest and newest entries, UTC ISO-8601; null when empty. */
  oldest: string | null;
  newest: string | null;
  /** Damaged files moved aside (<file>.corrupt-*), kept until `cache clear`. */
  movedAside: string[];
}

function emptyByKind(): Record<CacheKind, number> {
  return {
    tx: 0,
    'tx-unconfirmed': 0,
    'tx-hex': 0,
    outspends: 0,
    address: 0,
    'address-txs': 0,
    'tip-height': 0,
    price: 0,
  };
}

function fileBytes(file: string): number {
  let bytes = 0;
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) bytes += statSync(f).size;
  return bytes;
}

function asideFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const prefix = `${CACHE_FILE_NAME}.corrupt-`;
  return readdirSync(dir)
    .filter((n) => n.startsWith(prefix))
    .sort()
    .map((n) => path.join(dir, n));
}

/** What the cache in `dir` holds. A missing cache is reported as empty and not created. */
export function cacheStats(dir: string, options: CacheStoreOptions = {}): CacheStats {
  const file = cacheFile(dir);
  const stats: CacheStats = {
    file,
    exists: existsSync(file),
    schemaVersion: CACHE_SCHEMA_VERSION,
    bytes: 0,
    entries: 0,
    byKind: emptyByKind(),
    oldest: null,
    newest: null,
    movedAside: [],
  };
  if (stats.exists) {
    const store = CacheStore.open(file, options);
    let oldest = Infinity;
    let newest = -Infinity;
    try {
      for (const [kind, s] of store.summary()) {
        if (kind in stats.byKind) stats.byKind[kind as CacheKind] = s.entries;
        stats.entries += s.entries;
        if (s.oldestMs !== null) oldest = Math.min(oldest, s.oldestMs);
        if (s.newestMs !== null) newest = Math.max(newest, s.newestMs);
      }
    } finally {
      store.close();
    }
    if (stats.entries > 0) {
      stats.oldest = new Date(oldest).toISOString();
      stats.newest = new Date(newest).toISOString();
    }
    stats.bytes = fileBytes(file);
  }
  stats.movedAside = asideFiles(dir).filter((f) => !/-(wal|shm)$/.test(f));
  return stats;
}

export interface ClearResult {
  file: string;
  entriesRemoved: number;
  bytesBefore: number;
  bytesAfter: number;
  /** Moved-aside damaged files deleted. */
  filesRemoved: string[];
}

/**
 * Empties the cache in `dir` (the file stays, so processes using it keep a valid database) and
 * deletes damaged files moved aside earlier. CacheLockedError when another process holds it.
 */
export function clearCache(dir: string, options: CacheStoreOptions = {}): ClearResult {
  const file = cacheFile(dir);
  const result: ClearResult = { file, entriesRemoved: 0, bytesBefore: 0, bytesAfter: 0, filesRemoved: [] };
  if (existsSync(file)) {
    result.bytesBefore = fileBytes(file);
    const store = CacheStore.open(file, options);
    try {
      result.entriesRemoved = store.clear();
    } finally {
      store.close();
    }
    result.bytesAfter = fileBytes(file);
  }
  for (const f of asideFiles(dir)) {
    unlinkSync(f);
    result.filesRemoved.push(f);
  }
  return result;
}

export { CacheCorruptError, CacheError, CacheLockedError, CacheStore } from './cache-store.js';
export type { CacheEntry, CacheKind, CacheStoreOptions } from './cache-store.js';
