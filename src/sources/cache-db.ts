// The cache file itself: opening a SQLite connection, checking and building its schema, moving a
// damaged file aside, and the errors that name the file. cache-store.ts keeps the rows.

import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, unlinkSync } from 'node:fs';

/** Bump when the table layout or the checksum recipe changes; older files are then rebuilt. */
export const CACHE_SCHEMA_VERSION = 1;

/** The cache file could not be used; the message names the file and what to do. */
export class CacheError extends Error {
  override readonly name: string = 'CacheError';
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
  }
}

/** Another process held the cache file locked for longer than the busy timeout. */
export class CacheLockedError extends CacheError {
  override readonly name = 'CacheLockedError';
}

/** The file turned out damaged while in use (after the checks at open time passed). */
export class CacheCorruptError extends CacheError {
  override readonly name = 'CacheCorruptError';
}

/** Internal: the file at open time is not a usable cache and is to be moved aside. */
export class UnusableCacheFile extends Error {}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
  origin TEXT NOT NULL,
  path TEXT NOT NULL,
  kind TEXT NOT NULL,
  body TEXT NOT NULL,
  fetched_at INTEGER NOT NULL,
  tip_height INTEGER,
  sha256 TEXT NOT NULL,
  PRIMARY KEY (origin, path)
);
INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '${CACHE_SCHEMA_VERSION}');
`;

export function sqliteCode(e: unknown): string {
  return e instanceof Database.SqliteError ? e.code : '';
}

export function isBusy(code: string): boolean {
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

export function isCorrupt(code: string): boolean {
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT');
}

export function lockedError(file: string): CacheLockedError {
  return new CacheLockedError(
    `cache file ${file} is locked by another process (waited for the busy timeout); ` +
      'wait for it to finish, or run with --no-cache or another --cache-dir',
    file,
  );
}

/** Opens and checks one connection; throws UnusableCacheFile, CacheLockedError or CacheError. */
export function connect(file: string, timeoutMs: number): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { timeout: timeoutMs });
    enableWal(db, timeoutMs);
    db.pragma('synchronous = NORMAL');
    const check = String(db.pragma('quick_check', { simple: true }));
    if (check !== 'ok') throw new UnusableCacheFile(`failed its integrity check (${check.split('\n')[0]})`);
    ensureSchema(db);
    return db;
  } catch (e) {
    db?.close();
    if (e instanceof UnusableCacheFile) throw e;
    const code = sqliteCode(e);
    if (isBusy(code)) throw lockedError(file);
    if (isCorrupt(code))
      throw new UnusableCacheFile(`is not a readable SQLite database (${(e as Error).message})`);
    throw new CacheError(
      `cannot open cache file ${file}: ${(e as Error).message} (check its permissions, or use --cache-dir or --no-cache)`,
      file,
    );
  }
}

/**
 * Switches a file to WAL (a persistent setting: once per file). SQLite answers SQLITE_BUSY at once,
 * without waiting, when another connection has the file open during the switch, as happens when
 * two processes create a new cache together; so wait and retry here, within the busy timeout.
 */
export function enableWal(db: Database.Database, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    try {
      if (String(db.pragma('journal_mode', { simple: true })) === 'wal') return;
      db.pragma('journal_mode = WAL');
      return;
    } catch (e) {
      if (!isBusy(sqliteCode(e)) || Date.now() >= deadline) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, delay);
    }
  }
}

export function ensureSchema(db: Database.Database): void {
  const tables = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
  // A new (empty) file: create the tables. IMMEDIATE and IF NOT EXISTS make two processes that
  // both found it empty agree.
  if (tables.length === 0) db.transaction(() => db.exec(SCHEMA)).immediate();
  const missing = (e: unknown): never => {
    if (sqliteCode(e) === 'SQLITE_ERROR')
      throw new UnusableCacheFile('is not a btctrace cache (tables missing)');
    throw e;
  };
  let version: string | undefined;
  try {
    version = db.prepare<[], string>("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get();
  } catch (e) {
    missing(e);
  }
  if (version !== String(CACHE_SCHEMA_VERSION)) {
    throw new UnusableCacheFile(
      `has cache schema version ${version ?? 'none'}, this btctrace uses ${CACHE_SCHEMA_VERSION}`,
    );
  }
  try {
    db.prepare('SELECT origin, path, kind, body, fetched_at, tip_height, sha256 FROM entries LIMIT 0').all();
  } catch (e) {
    missing(e);
  }
}

/** Renames the file (and its WAL) out of the way; returns the new name. */
export function moveAside(file: string, now: () => number): string {
  const stamp = new Date(now())
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  let aside = `${file}.corrupt-${stamp}`;
  if (existsSync(aside)) aside += `-${process.pid}-${randomBytes(3).toString('hex')}`;
  try {
    renameSync(file, aside);
  } catch (e) {
    // Another process that found the same damage may have moved it first.
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new CacheError(
        `cache file ${file} is damaged and could not be moved aside: ${(e as Error).message} (use --no-cache)`,
        file,
      );
    }
  }
  // The WAL and shared-memory files go too: a WAL left beside a new file would be replayed into it.
  for (const [from, to] of [
    [`${file}-wal`, `${aside}-wal`],
    [`${file}-shm`, null],
  ] as const) {
    if (!existsSync(from)) continue;
    try {
      if (to === null) unlinkSync(from);
      else renameSync(from, to);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new CacheError(
        `cache file ${from} could not be moved aside: ${(e as Error).message} (use --no-cache)`,
        file,
      );
    }
  }
  return aside;
}
