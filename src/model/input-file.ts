// Bounded reads of local input files (tags CSV, seed list, manifest, recording entry). A path
// the user names may be a device (/dev/zero), a FIFO that never ends, a directory, or a file far
// larger than any real input: each is refused with a message naming the path, before or while
// reading, so a typo never grows the process to gigabytes or blocks it forever.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { InputError } from './errors.js';

export const MiB = 1024 * 1024;

export interface InputFileRule {
  /** What the file is, for messages: "tags file", "seed list" ... */
  what: string;
  /** Largest accepted size in bytes. */
  maxBytes: number;
  /** Refuse a symbolic link instead of following it (recording entries). */
  noFollow?: boolean;
  /** A missing file throws the system's ENOENT error unchanged, for the caller to map. */
  missingAsIs?: boolean;
}

/** Raised for a path that is not a regular file or is over its size limit. */
export class InputFileError extends InputError {}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function flags(rule: InputFileRule): number {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused after fstat anyway.
  return constants.O_RDONLY | constants.O_NONBLOCK | (rule.noFollow ? constants.O_NOFOLLOW : 0);
}

function openError(file: string, rule: InputFileRule, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException).code;
  // O_NOFOLLOW on a symlink fails with ELOOP
  if (code === 'ELOOP' && rule.noFollow)
    return new InputFileError(`${file}: the ${rule.what} is a symbolic link; only regular files are read`);
  return new InputFileError(`${file}: cannot read the ${rule.what} (${code ?? String(e)})`);
}

function checkStat(file: string, rule: InputFileRule, st: Stats): void {
  if (!st.isFile())
    throw new InputFileError(`${file}: the ${rule.what} is ${kindOf(st)}; only regular files are read`);
  if (st.size > rule.maxBytes) throw tooLarge(file, rule, st.size);
}

function tooLarge(file: string, rule: InputFileRule, size: number | null): InputFileError {
  const limit = rule.maxBytes >= MiB ? `${Math.round(rule.maxBytes / MiB)} MiB` : `${rule.maxBytes}-byte`;
  return new InputFileError(
    `${file}: the ${rule.what} is ${size === null ? 'larger than' : `${size} bytes, over`} the ${limit} limit`,
  );
}

/** The file's bytes: a regular file of at most rule.maxBytes (also if it grows while read). */
export function readInputFileSync(file: string, rule: InputFileRule): Buffer {
  let fd: number;
  try {
    fd = openSync(file, flags(rule));
  } catch (e) {
    if (rule.missingAsIs && (e as NodeJS.ErrnoException).code === 'ENOENT') throw e;
    throw openError(file, rule, e);
  }
  try {
    checkStat(file, rule, fstatSync(fd));
    // read in chunks up to the limit, not by the stat size: the file may grow while read
    const chunks: Buffer[] = [];
    let n = 0;
    const chunk = Buffer.alloc(64 * 1024);
    for (;;) {
      const k = readSync(fd, chunk, 0, chunk.length, n);
      if (k === 0) return Buffer.concat(chunks);
      n += k;
      if (n > rule.maxBytes) throw tooLarge(file, rule, null);
      chunks.push(Buffer.from(chunk.subarray(0, k)));
    }
  } finally {
    closeSync(fd);
  }
}

export function readInputTextSync(file: string, rule: InputFileRule): string {
  return readInputFileSync(file, rule).toString('utf8');
}

/** Async form (recording entries): ENOENT is passed through unchanged for the caller to map. */
export async function readInputText(file: string, rule: InputFileRule): Promise<string> {
  let handle;
  try {
    handle = await open(file, flags(rule));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw e;
    throw openError(file, rule, e);
  }
  try {
    checkStat(file, rule, await handle.stat());
    const chunks: Buffer[] = [];
    let n = 0;
    const chunk = Buffer.alloc(64 * 1024);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, n);
      if (bytesRead === 0) break;
      n += bytesRead;
      if (n > rule.maxBytes) throw tooLarge(file, rule, null);
      chunks.push(Buffer.from(chunk.subarray(0, bytesRead)));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    await handle.close();
  }
}
