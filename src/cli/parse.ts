// Turning option strings into typed values, with one-line errors that name the value.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../model/errors.js';
import { publicApiUrl } from '../sources/api-url.js';

export function parseIntOption(
  flag: string,
  value: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (!/^\d+$/.test(value.trim())) throw new InputError(`${flag} ${value}: not a whole number`);
  const n = Number(value.trim());
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new InputError(`${flag} ${value}: must be between ${min} and ${max}`);
  }
  return n;
}

export function parseNumberOption(flag: string, value: string, min: number): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n) || n < min)
    throw new InputError(`${flag} ${value}: must be a number >= ${min}`);
  return n;
}

export function parseChoice<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  const v = value.trim().toLowerCase();
  if (!(choices as readonly string[]).includes(v)) {
    throw new InputError(`${flag} ${value}: must be one of ${choices.join(', ')}`);
  }
  return v as T;
}

/** "exchange,Mixer" -> ["exchange","mixer"]; "none" -> []. */
export function parseCategoryList(flag: string, value: string): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (items.length === 0)
    throw new InputError(`${flag} ${value}: give categories separated by commas, or "none"`);
  if (items.includes('none')) {
    if (items.length > 1)
      throw new InputError(`${flag} ${value}: "none" cannot be combined with other categories`);
    return [];
  }
  for (const c of items) {
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(c))
      throw new InputError(`${flag} ${value}: "${c}" is not a category name`);
  }
  return [...new Set(items)];
}

/** An http(s) URL; messages show it without user info or query (they may hold a secret). */
export function parseUrlOption(flag: string, value: string): string {
  const shown = publicApiUrl(value);
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new InputError(`${flag} ${shown}: not a URL (e.g. https://mempool.space/api)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new InputError(`${flag} ${shown}: must be an http or https URL`);
  if (u.hash !== '') throw new InputError(`${flag} ${shown}: a base URL has no #fragment`);
  return value.replace(/\/+$/, '');
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gib: 1024 ** 3,
};

/** "32MiB", "512k", "1048576" -> bytes; units are binary (k = KiB = 1024). */
export function parseSizeOption(flag: string, value: string, min: number, max: number): number {
  const m = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(value);
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    throw new InputError(
      `${flag} ${value}: not a size (a whole number with an optional unit: 512KiB, 32MiB, 1GiB)`,
    );
  }
  const n = Number(m[1]) * unit;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new InputError(`${flag} ${value}: must be between ${min} bytes and ${max / 1024 ** 2} MiB`);
  }
  return n;
}

/** argv for a manifest: an --api-url value without its user info or query string. */
export function redactArgv(argv: readonly string[]): string[] {
  return argv.map((a, k) => {
    if (a.startsWith('--api-url=')) return `--api-url=${publicApiUrl(a.slice('--api-url='.length))}`;
    return argv[k - 1] === '--api-url' ? publicApiUrl(a) : a;
  });
}

/** A string option's value (commander gives strings, booleans or undefined), or the default. */
export function optString(opts: Record<string, unknown>, key: string, fallback: string): string {
  const v = opts[key];
  return typeof v === 'string' ? v : fallback;
}

/** Fails before any network work when an output file could not be written afterwards. */
export function checkWritableFile(flag: string, file: string): string {
  const dir = dirname(resolve(file));
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    accessSync(dir, constants.W_OK);
  } catch {
    throw new InputError(`${flag} ${file}: cannot write there (no such directory, or not writable: ${dir})`);
  }
  if (existsSync(file) && statSync(file).isDirectory())
    throw new InputError(`${flag} ${file}: is a directory`);
  // a device node, FIFO or socket would be replaced by the result file (or block the write)
  if (existsSync(file) && !statSync(file).isFile())
    throw new InputError(`${flag} ${file}: exists and is not a regular file (a device, FIFO or socket)`);
  return file;
}
