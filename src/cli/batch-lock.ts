// One batch per --out-dir at a time: two batches writing one folder would mix their rows in
// summary.csv and race on the same seed files. The lock is a file holding the owner's pid, host
// and start time, created atomically (link of a complete temp file: never seen half-written).
// A lock whose process is gone (on this host) is stale and taken over, with a note.
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { InputError } from '../model/errors.js';

export const LOCK_NAME = '.btctrace-batch.lock';

interface LockInfo {
  pid: number;
  host: string;
  started_at: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): LockInfo | null {
  try {
    const j = JSON.parse(readFileSync(file, 'utf8').slice(0, 4096)) as Partial<LockInfo>;
    if (typeof j.pid === 'number' && typeof j.host === 'string' && typeof j.started_at === 'string')
      return j as LockInfo;
  } catch {
    // unreadable: handled below as a lock of unknown owner
  }
  return null;
}

export interface BatchLock {
  release(): void;
}

/** Takes the lock on outDir or throws InputError naming the batch that holds it. */
export function acquireBatchLock(outDir: string, now: Date, note: (text: string) => void): BatchLock {
  const file = path.join(outDir, LOCK_NAME);
  const me: LockInfo = { pid: process.pid, host: hostname(), started_at: now.toISOString() };
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
  writeFileSync(tmp, JSON.stringify(me) + '\n', { flag: 'wx' });
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(tmp, file);
        return { release: () => releaseIfMine(file) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const held = readLock(file);
      if (held === null)
        throw new InputError(
          `--out-dir ${outDir} is locked by another batch (${file} exists but is unreadable); ` +
            `if no batch is running there, remove ${file}`,
        );
      if (held.host !== me.host || alive(held.pid) || attempt > 0) {
        throw new InputError(
          `--out-dir ${outDir} is in use by another batch: pid ${held.pid} on ${held.host}, started ${held.started_at}. ` +
            `Wait for it to finish, or use another --out-dir (if that batch is gone, remove ${file})`,
        );
      }
      note(
        `batch: taking over a stale lock on ${outDir}: pid ${held.pid} (started ${held.started_at}) is no longer running\n`,
      );
      unlinkSync(file);
    }
    throw new Error('unreachable');
  } finally {
    unlinkSync(tmp);
  }
}

function releaseIfMine(file: string): void {
  if (readLock(file)?.pid === process.pid) {
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
  }
}
