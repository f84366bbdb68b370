// Reading a batch's seed list: one seed per line, or one column of a CSV file.
import { parse as parseCsv } from 'csv-parse/sync';
import { InputError } from '../model/errors.js';
import { MiB } from '../model/input-file.js';

export interface BatchLine {
  line: number;
  input: string;
}

/** ~1 million seeds of 64 bytes: far more than one batch can trace, so a bigger file is a mistake. */
export const MAX_SEED_LIST_BYTES = 64 * MiB;

/** Reads seeds: one per line (blank lines and # comments ignored), or one CSV column. */
export function readBatchLines(text: string, source: string, column: string | null): BatchLine[] {
  if (column !== null) {
    let records: Record<string, string>[];
    try {
      records = parseCsv(text, {
        bom: true,
        columns: true,
        skip_empty_lines: true,
        trim: true,
        relax_column_count: true,
      });
    } catch (e) {
      throw new InputError(`${source}: not a readable CSV (${e instanceof Error ? e.message : String(e)})`);
    }
    const first = records[0];
    if (first && !(column in first)) {
      throw new InputError(
        `--column ${column}: ${source} has no such column (found: ${Object.keys(first).join(',')})`,
      );
    }
    // +2: one for the header, one because lines count from 1
    return records
      .map((r, i) => ({ line: i + 2, input: (r[column] ?? '').trim() }))
      .filter((l) => l.input !== '' && !l.input.startsWith('#'));
  }
  const out: BatchLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const input = raw.replace(/\s+#.*$/, '').trim();
    if (input === '' || input.startsWith('#')) return;
    out.push({ line: i + 1, input });
  });
  return out;
}
