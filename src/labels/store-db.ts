// The label store file: opening it, its schema, and the error that names the file. One row per
// label (several per address), one per imported list, one per actor; a list's labels go with it.
import type Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { InputError } from '../model/errors.js';

/** Bump when the table layout changes. */
export const LABELS_SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS lists (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  date TEXT,
  file TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  bad INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS labels (
  list_id INTEGER NOT NULL,
  address TEXT NOT NULL,
  label TEXT NOT NULL,
  category TEXT,
  abuse TEXT,
  actor TEXT,
  confidence INTEGER,
  source TEXT,
  defines_cluster INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS labels_address ON labels (address);
CREATE INDEX IF NOT EXISTS labels_list ON labels (list_id);
CREATE TABLE IF NOT EXISTS actors (
  id TEXT PRIMARY KEY,
  list_id INTEGER NOT NULL,
  label TEXT NOT NULL,
  uri TEXT,
  categories TEXT NOT NULL,
  jurisdictions TEXT NOT NULL
);
INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '${LABELS_SCHEMA_VERSION}');
`;

/** Waits this long for another btctrace writing the store (an import) before giving up. */
const BUSY_TIMEOUT_MS = 10_000;

function unusable(file: string, why: string): InputError {
  return new InputError(`${file}: not a usable btctrace label store (${why}); choose another --labels-db`);
}

// Loaded when a store is opened: every command imports this module (through its --labels-db
// option), and most runs, a fresh install's among them, have no store to open.
let DatabaseClass: typeof Database | undefined;

/** Opens (and with create, makes) the store; InputError naming the file when it is not one. */
export function openLabelsDb(file: string, create: boolean): Database.Database {
  if (create) mkdirSync(path.dirname(file), { recursive: true });
  DatabaseClass ??= createRequire(import.meta.url)('better-sqlite3') as typeof Database;
  let db: Database.Database;
  try {
    db = new DatabaseClass(file, { timeout: BUSY_TIMEOUT_MS, fileMustExist: !create });
  } catch (e) {
    throw unusable(file, e instanceof Error ? e.message : String(e));
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
    const v = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get();
    if (v !== String(LABELS_SCHEMA_VERSION))
      throw unusable(file, `schema version ${String(v)}, this btctrace reads ${LABELS_SCHEMA_VERSION}`);
    return db;
  } catch (e) {
    db.close();
    if (e instanceof InputError) throw e;
    throw unusable(file, e instanceof Error ? e.message : String(e));
  }
}
