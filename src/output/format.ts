// Which format a result is written in: --format when given, otherwise the output file's
// extension, otherwise a table. A case file named .csv must never hold a box-drawn table, so an
// explicit --format that contradicts a known extension is refused rather than guessed past.

import path from 'node:path';
import { InputError } from '../model/errors.js';

/** Formats the row renderers write (src/output); the graph formats come from src/report/graph. */
export type TextFormat = 'table' | 'csv' | 'json' | 'jsonl';
export type OutputFormat = TextFormat | 'html' | 'dot' | 'graphml';
export const OUTPUT_FORMATS: readonly OutputFormat[] = [
  'table',
  'csv',
  'json',
  'jsonl',
  'html',
  'dot',
  'graphml',
];

/** `-o -`: write to stdout. */
export const STDOUT_FILE = '-';

/**
 * The format an output file's extension names (lower-cased, with its dot), or null when the
 * extension names none.
 */
export function extensionFormat(ext: string): string | null {
  switch (ext.toLowerCase()) {
    case '.csv':
      return 'csv';
    case '.json':
      return 'json';
    case '.jsonl':
    case '.ndjson':
      return 'jsonl';
    case '.html':
    case '.htm':
      return 'html';
    case '.dot':
    case '.gv':
      return 'dot';
    case '.graphml':
      return 'graphml';
    default:
      return null;
  }
}

/**
 * The format to write: `explicit` (the --format value, or undefined when not given) checked
 * against `allowed` and against the extension of `output` (null or "-" for stdout).
 */
export function resolveFormat<T extends string>(
  explicit: string | undefined,
  output: string | null,
  allowed: readonly T[],
  fallback: T,
): T {
  const ext = output === null || output === STDOUT_FILE ? '' : path.extname(output);
  const fromExt = ext === '' ? null : extensionFormat(ext);
  if (explicit !== undefined) {
    const v = explicit.trim().toLowerCase();
    if (!(allowed as readonly string[]).includes(v))
      throw new InputError(`--format ${explicit}: must be one of ${allowed.join(', ')}`);
    if (fromExt !== null && fromExt !== v)
      throw new InputError(
        `--format ${v} contradicts the output file ${output} (a ${ext} file holds ${fromExt}); drop --format or rename the file`,
      );
    return v as T;
  }
  if (fromExt !== null) {
    if (!(allowed as readonly string[]).includes(fromExt))
      throw new InputError(
        `--output ${output}: this command cannot write ${fromExt} (formats: ${allowed.join(', ')})`,
      );
    return fromExt as T;
  }
  return fallback;
}
