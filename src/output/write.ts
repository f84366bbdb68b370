// Output files that are either complete or absent: a run killed mid-write must not leave a
// half-written CSV in a case folder. Content goes to a temporary file in the same directory
// (same file system, so the rename is atomic), is flushed to disk, then renamed over the target.
//
// An output and its manifest are two files, and no file system renames two at once. So the pair
// is written as: both temp files flushed; the new manifest renamed to `<manifest>.pending`; the
// output renamed into place; the pending manifest renamed over the old one. A kill at any moment
// leaves the old pair, the new pair, or a `.pending` manifest that `verify` reports as an
// interrupted write (and that describes the output if the output is already the new one).

import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, readdirSync, unlinkSync } from 'node:fs';
import { lstat, open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { InputError, WriteError } from '../model/errors.js';

export const PENDING_SUFFIX = '.pending';

const TEMP = /^\..+\.(\d+)\.[0-9a-f]{12}\.tmp$/;

function tempName(file: string): string {
  const dir = path.dirname(path.resolve(file));
  return path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const swept = new Set<string>();

/** Once per directory and process: temp files left by a killed writer (its pid gone) are removed. */
function sweepStaleTemps(dir: string): void {
  if (swept.has(dir)) return;
  swept.add(dir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = TEMP.exec(name);
    if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) {
      try {
        unlinkSync(path.join(dir, name));
      } catch {
        // another process swept it first
      }
    }
  }
}

/** A disk-level failure as one line (exit 1); anything else unchanged. */
function writeFailure(file: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EROFS: 'the file system is read-only',
    EIO: 'input/output error',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EFBIG: 'file too large for the file system',
  };
  if (code && why[code])
    return new WriteError(`cannot write ${file}: ${why[code]} (${code}); nothing was replaced`);
  return e;
}

/** An existing target must be a regular file: never replace a device node, FIFO or directory. */
async function checkTarget(file: string): Promise<void> {
  let st;
  try {
    st = await stat(file);
  } catch {
    return; // absent (or a dangling link, which the rename replaces)
  }
  if (!st.isFile())
    throw new InputError(`${file}: exists and is not a regular file; refusing to replace it with a result`);
}

async function writeTemp(file: string, content: string | Uint8Array): Promise<string> {
  const tmp = tempName(file);
  try {
    // 'wx': never follow or reuse an existing file at the temporary name.
    const handle = await open(tmp, 'wx', 0o644);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return tmp;
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw writeFailure(file, e);
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    const h = await open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // not every file system lets a directory be flushed; the renames are still atomic
  }
}

export async function writeOutputAtomic(file: string, content: string | Uint8Array): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  sweepStaleTemps(dir);
  await checkTarget(file);
  const tmp = await writeTemp(file, content);
  try {
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw writeFailure(file, e);
  }
  await syncDir(dir);
}

/**
 * Writes an output and its manifest so that, whatever moment a kill lands, the pair on disk is
 * the old one, the new one, or carries a `<manifest>.pending` that `verify` reports (see top).
 * On a failure (not a kill) the temp files are removed and the old pair is left as it was.
 */
export async function writePairAtomic(
  file: string,
  content: string | Uint8Array,
  manifestFile: string,
  manifestText: string,
): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  sweepStaleTemps(dir);
  await checkTarget(file);
  await checkTarget(manifestFile);
  const pending = manifestFile + PENDING_SUFFIX;
  const lp = await lstat(pending).catch(() => null);
  if (lp && !lp.isFile())
    throw new InputError(`${pending}: exists and is not a regular file; refusing to replace it`);
  let dataTmp: string | null = await writeTemp(file, content);
  let manTmp: string | null = null;
  let pendingPlaced = false;
  let step = file;
  try {
    manTmp = await writeTemp(manifestFile, manifestText);
    step = pending;
    await rename(manTmp, pending);
    manTmp = null;
    pendingPlaced = true;
    await syncDir(dir);
    step = file;
    await rename(dataTmp, file);
    dataTmp = null;
    step = manifestFile;
    await rename(pending, manifestFile);
    pendingPlaced = false;
    await syncDir(dir);
  } catch (e) {
    // output not yet replaced: drop the pending manifest too, the old pair stands as it was
    if (pendingPlaced && dataTmp !== null) await unlink(pending).catch(() => undefined);
    throw writeFailure(step, e);
  } finally {
    if (dataTmp !== null) await unlink(dataTmp).catch(() => undefined);
    if (manTmp !== null) await unlink(manTmp).catch(() => undefined);
  }
}

/** sha256 of the UTF-8 bytes of a string (or of the bytes given), lower-case hex. */
export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** sha256 of a file's bytes, streamed, lower-case hex (for the run manifest). */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
