// The persistent cache's storage: one SQLite file (better-sqlite3) holding explorer answers keyed
// by (origin, Esplora path). Policy (what is kept how long) lives in cache.ts; this module only
// stores rows and guarantees that what it returns is what was stored.
//
// Sharing and damage:
// - WAL journal and a busy timeout (default 5 s) let several btctrace processes read and write
//   one file at once; every write is its own short transaction. synchronous=NORMAL: a power cut
//   may lose the last answers written, never the file (they are re-fetched).
// - On open the file must be SQLite, pass `PRAGMA quick_check`, and carry this schema version.
//   Otherwise it is moved aside (<file>.corrupt-<UTC time>) and an empty cache is built, with a
//   warning; the moved file is kept for inspection until `btctrace cache clear`.
// - Every row carries the sha256 of all its columns; a row whose checksum fails is deleted and
//   reported as absent, so damage inside the file costs a request, never a wrong answer.
// - A file locked by another program beyond the busy timeout is CacheLockedError, naming the file
//   and suggesting --no-cache.

import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  CacheCorruptError,
  CacheError,
  connect,
  isBusy,
  isCorrupt,
  lockedError,
  moveAside,
  sqliteCode,
  UnusableCacheFile,
} from './cache-db.js';

export { CACHE_SCHEMA_VERSION, CacheCorruptError, CacheError, CacheLockedError } from './cache-db.js';

export const CACHE_FILE_NAME = 'cache.sqlite';
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * What a row holds, which decides how long it is trusted (cache.ts):
 * tx = confirmed transaction JSON, tx-unconfirmed, tx-hex = raw transaction, outspends,
 * address = address stats, address-txs = a history page, tip-height, price = a historical price.
 */
export type CacheKind =
  'tx' | 'tx-unconfirmed' | 'tx-hex' | 'outspends' | 'address' | 'address-txs' | 'tip-height' | 'price';

export const CACHE_KINDS: readonly CacheKind[] = [
  'tx',
  'tx-unconfirmed',
  'tx-hex',
  'outspends',
  'address',
  'address-txs',
  'tip-height',
  'price',
];

export interface CacheEntry {
  /** Which explorer answered (its base URL), so two explorers never share entries. */
  origin: string;
  /** Esplora path, e.g. "/tx/<txid>/outspends". */
  path: string;
  kind: CacheKind;
  /** The body exactly as the explorer sent it. */
  body: string;
  /** When the answer was received, ms since the Unix epoch. */
  fetchedAt: number;
  /** The chain tip height known when the answer was stored; null when none was known yet. */
  tipHeight: number | null;
}

export interface CacheStoreOptions {
  /** How long to wait for another process's lock before giving up (default 5000 ms). */
  busyTimeoutMs?: number;
  /** Told when a damaged file is moved aside or a damaged row is discarded. */
  onWarning?: (message: string) => void;
  /** Clock for the moved-aside file's name (default Date.now). */
  now?: () => number;
}

export interface KindSummary {
  entries: number;
  /** Sum of body lengths (characters, which is bytes for the ASCII bodies Esplora sends). */
  bodyChars: number;
  oldestMs: number | null;
  newestMs: number | null;
}

interface Row {
  origin: unknown;
  path: unknown;
  kind: unknown;
  body: unknown;
  fetched_at: unknown;
  tip_height: unknown;
  sha256: unknown;
}

/** The checksum pins the body to its key, kind, time and tip, so no column can drift alone. */
export function entryChecksum(e: CacheEntry): string {
  return createHash('sha256')
    .update(`${e.origin}\n${e.path}\n${e.kind}\n${e.fetchedAt}\n${e.tipHeight ?? ''}\n`)
    .update(e.body)
    .digest('hex');
}

export class CacheStore {
  private readonly select: Database.Statement<[string, string], Row>;
  private readonly upsert: Database.Statement<
    [string, string, string, string, number, number | null, string]
  >;
  private readonly remove: Database.Statement<[string, string]>;
  private readonly warn: (message: string) => void;
  private closed = false;

  private constructor(
    readonly file: string,
    private readonly db: Database.Database,
    options: CacheStoreOptions,
  ) {
    this.warn = options.onWarning ?? (() => undefined);
    this.select = db.prepare(
      'SELECT origin, path, kind, body, fetched_at, tip_height, sha256 FROM entries WHERE origin = ? AND path = ?',
    );
    this.upsert = db.prepare(
      `INSERT INTO entries (origin, path, kind, body, fetched_at, tip_height, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (origin, path) DO UPDATE SET kind = excluded.kind, body = excluded.body,
         fetched_at = excluded.fetched_at, tip_height = excluded.tip_height, sha256 = excluded.sha256`,
    );
    this.remove = db.prepare('DELETE FROM entries WHERE origin = ? AND path = ?');
  }

  /**
   * Opens (creating if needed) the cache file. A file that is not a usable cache is moved aside
   * and replaced by an empty one (onWarning says so); a lock held beyond the busy timeout throws
   * CacheLockedError; anything else that prevents opening throws CacheError.
   */
  static open(file: string, options: CacheStoreOptions = {}): CacheStore {
    const timeout = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    try {
      mkdirSync(dirname(file), { recursive: true });
    } catch (e) {
      throw new CacheError(
        `cannot create the cache directory ${dirname(file)}: ${(e as Error).message} (use --cache-dir or --no-cache)`,
        file,
      );
    }
    try {
      return new CacheStore(file, connect(file, timeout), options);
    } catch (e) {
      if (!(e instanceof UnusableCacheFile)) throw e;
      const aside = moveAside(file, options.now ?? Date.now);
      options.onWarning?.(`cache file ${file} ${e.message}; moved it to ${aside} and started an empty cache`);
      try {
        return new CacheStore(file, connect(file, timeout), options);
      } catch (e2) {
        if (e2 instanceof UnusableCacheFile) {
          throw new CacheError(
            `cache file ${file} ${e2.message} even after rebuilding (use --no-cache)`,
            file,
          );
        }
        throw e2;
      }
    }
  }

  /** The stored answer, or null; a row whose checksum fails is deleted and reported as absent. */
  get(origin: string, path: string): CacheEntry | null {
    const row = this.run(() => this.select.get(origin, path));
    if (row === undefined) return null;
    const entry = toEntry(row);
    if (entry === null || row.sha256 !== entryChecksum(entry)) {
      this.run(() => this.remove.run(origin, path));
      this.warn(`cache entry ${origin} ${path} failed its checksum; discarded it and asking the explorer`);
      return null;
    }
    return entry;
  }

  put(entry: CacheEntry): void {
    const { origin, path, kind, body, fetchedAt, tipHeight } = entry;
    this.run(() => this.upsert.run(origin, path, kind, body, fetchedAt, tipHeight, entryChecksum(entry)));
  }

  delete(origin: string, path: string): void {
    this.run(() => this.remove.run(origin, path));
  }

  /** Entry counts and ages per kind (only kinds present). */
  summary(): Map<string, KindSummary> {
    const rows = this.run(() =>
      this.db
        .prepare<
          [],
          { kind: string; n: number; chars: number | null; oldest: number | null; newest: number | null }
        >(
          `SELECT kind, count(*) AS n, sum(length(body)) AS chars, min(fetched_at) AS oldest, max(fetched_at) AS newest
           FROM entries GROUP BY kind ORDER BY kind`,
        )
        .all(),
    );
    const out = new Map<string, KindSummary>();
    for (const r of rows) {
      out.set(r.kind, { entries: r.n, bodyChars: r.chars ?? 0, oldestMs: r.oldest, newestMs: r.newest });
    }
    return out;
  }

  /** Deletes every entry and gives the space back to the file system; returns how many went. */
  clear(): number {
    const removed = this.run(() => this.db.prepare('DELETE FROM entries').run().changes);
    this.run(() => {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      this.db.exec('VACUUM');
    });
    return removed;
  }

  /** Rows failing `PRAGMA quick_check` messages, or "ok". */
  quickCheck(): string {
    return this.run(() => String(this.db.pragma('quick_check', { simple: true })));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  /** Runs one database call, turning SQLite errors into CacheError subclasses naming the file. */
  private run<T>(call: () => T): T {
    if (this.closed) throw new CacheError(`cache file ${this.file} is closed`, this.file);
    try {
      return call();
    } catch (e) {
      const code = sqliteCode(e);
      if (isBusy(code)) throw lockedError(this.file);
      if (isCorrupt(code)) {
        throw new CacheCorruptError(
          `cache file ${this.file} is damaged (${(e as Error).message}); it will be rebuilt on the next run`,
          this.file,
        );
      }
      throw new CacheError(`cache file ${this.file}: ${(e as Error).message}`, this.file);
    }
  }
}

function toEntry(row: Row): CacheEntry | null {
  const { origin, path, kind, body, fetched_at, tip_height } = row;
  if (typeof origin !== 'string' || typeof path !== 'string' || typeof body !== 'string') return null;
  if (typeof kind !== 'string' || !(CACHE_KINDS as readonly string[]).includes(kind)) return null;
  if (typeof fetched_at !== 'number' || !Number.isSafeInteger(fetched_at)) return null;
  if (tip_height !== null && (typeof tip_height !== 'number' || !Number.isSafeInteger(tip_height)))
    return null;
  return { origin, path, kind: kind as CacheKind, body, fetchedAt: fetched_at, tipHeight: tip_height };
}
