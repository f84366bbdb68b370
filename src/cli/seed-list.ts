// Seed lists from a file or stdin, read the same way by `trace -`, `cluster -` and `batch`: one
// seed per line (blank lines and # comments ignored), or one column of a CSV with --column.
// Two common mistakes are caught instead of making every line "invalid": a CSV with a header
// given without --column (we say which column holds seeds), and a first line that is a column
// name (`cut -d, -f2 leads.csv | btctrace batch -`), which is skipped with a note.
import { parse as parseCsv } from 'csv-parse/sync';
import type { NetworkName } from '../model/address.js';
import { InputError } from '../model/errors.js';
import { MiB } from '../model/input-file.js';
import { parseSeed } from '../model/seed.js';

/** ~1 million seeds of 64 bytes: far more than one run can trace, so a bigger list is a mistake. */
export const MAX_SEED_LIST_BYTES = 64 * MiB;

export interface SeedLine {
  /** 1-based line number in the input (for a CSV: the record's line). */
  line: number;
  input: string;
}

export interface SeedListOptions {
  /** The input's name for messages: a file name, or "standard input". */
  source: string;
  column: string | null;
  network: NetworkName;
  /** A note for stderr (a skipped header line). */
  note: (message: string) => void;
}

/** A first line of letters only, like "address" or "wallet_address": a column name, not a seed. */
const COLUMN_NAME = /^[A-Za-z_][A-Za-z _-]{0,63}$/;
/** Rows looked at to find the column that holds seeds. */
const SNIFF_ROWS = 200;

const isSeed = (s: string, network: NetworkName): boolean => {
  try {
    parseSeed(s, network);
    return true;
  } catch {
    return false;
  }
};

function readColumn(text: string, o: SeedListOptions, column: string): SeedLine[] {
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
    throw new InputError(`${o.source}: not a readable CSV (${e instanceof Error ? e.message : String(e)})`);
  }
  const first = records[0];
  if (first && !(column in first)) {
    throw new InputError(
      `--column ${column}: ${o.source} has no such column (found: ${Object.keys(first).join(',')})`,
    );
  }
  // +2: one for the header, one because lines count from 1
  return records
    .map((r, i) => ({ line: i + 2, input: (r[column] ?? '').trim() }))
    .filter((l) => l.input !== '' && !l.input.startsWith('#'));
}

/**
 * A first line with commas that is not a seed, over lines with commas: a CSV header. Throws an
 * InputError naming the column whose cells are seeds (or saying none is), never guesses.
 */
function refuseCsvWithoutColumn(header: string, rest: string[], o: SeedListOptions): void {
  let rows: string[][];
  try {
    rows = parseCsv([header, ...rest.slice(0, SNIFF_ROWS)].join('\n'), {
      bom: true,
      trim: true,
      relax_column_count: true,
      relax_quotes: true,
    });
  } catch {
    return; // not CSV after all: read line by line
  }
  const names = rows[0] ?? [];
  const data = rows.slice(1);
  const hits = names.map((_, c) => data.filter((r) => isSeed(r[c] ?? '', o.network)).length);
  const best = hits.reduce((b, n, c) => (n > (hits[b] ?? 0) ? c : b), 0);
  const shown = names.join(',');
  if ((hits[best] ?? 0) === 0)
    throw new InputError(
      `${o.source}: looks like a CSV with a header (${shown}), and no column holds addresses or txids`,
    );
  throw new InputError(
    `${o.source}: looks like a CSV with a header (${shown}); column "${names[best]}" holds addresses or txids (${hits[best]} of the first ${data.length} rows): add --column ${names[best]}`,
  );
}

export function readSeedList(text: string, o: SeedListOptions): SeedLine[] {
  if (o.column !== null) return readColumn(text, o, o.column);
  const out: SeedLine[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const input = raw.replace(/\s+#.*$/, '').trim();
      if (input === '' || input.startsWith('#')) return;
      out.push({ line: i + 1, input });
    });
  const first = out[0];
  if (!first || isSeed(first.input, o.network)) return out;
  if (/[,;\t]/.test(first.input) && out.slice(1).some((l) => /[,;\t]/.test(l.input)))
    refuseCsvWithoutColumn(
      first.input,
      out.slice(1).map((l) => l.input),
      o,
    );
  if (COLUMN_NAME.test(first.input)) {
    o.note(`skipped the first line "${first.input}": it looks like a column name, not a seed`);
    out.shift();
  }
  return out;
}
