// Trace CSV for case files and spreadsheets (DESIGN.md "Command-line contract", "Output
// conventions").
//
// Choices where the design is silent:
// - Line endings are "\n", not RFC 4180's CRLF. Excel, LibreOffice, pandas and R read both;
//   "\n" keeps the file identical to what `diff`, `grep`, `wc -l` and git (autocrlf) see, matches
//   the JSON output, and gives one sha256 for the file on every platform. Line breaks inside a
//   cell (a note) are kept and the cell is quoted, as RFC 4180 allows.
// - UTF-8 without a byte-order mark: a BOM would become part of the first header name ("hop")
//   for most CSV readers. (Excel on Windows then guesses the code page for non-ASCII labels;
//   Data > From Text with UTF-8 reads them right.)
// - Formula-injection guard on text cells only (see guardText); numbers are written as plain
//   decimal integers, so a spreadsheet sums them.

import { stringify } from 'csv-stringify/sync';
import { safeText } from './escape.js';
import type { TraceResult } from '../trace/result.js';
import { printRow, TRACE_COLUMNS, type Column } from './rows.js';
import { sortRows } from '../trace/order.js';
import { FIAT_COLUMNS, type FiatValues } from '../prices/fiat.js';

export interface CsvOptions {
  /** Add the `cluster` column (runs with --cluster). */
  cluster?: boolean;
  /** With --fiat: the fiat columns, last (after `cluster` and any other column). */
  fiat?: FiatValues;
}

/** Characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP). */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * A text cell that a spreadsheet would run as a formula gets a leading single quote, which
 * spreadsheets show as text and do not evaluate; control characters are written as visible
 * escapes (safeText), so no cell carries a raw newline, ESC or bidi override from outside.
 * Applied to every text cell (including status and txid, which never start so), never to numbers.
 */
export function guardText(text: string): string {
  const safe = safeText(text);
  return safe.length > 0 && FORMULA_START.has(safe[0]!) ? `'${safe}` : safe;
}

type Cell = string | number;

function cell(value: string | number | null | undefined | string[]): Cell {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) return guardText(value.join(';'));
  return guardText(value);
}

export function traceCsv(result: TraceResult, opts: CsvOptions = {}): string {
  const cluster = opts.cluster ?? false;
  const columns: Column[] = cluster ? [...TRACE_COLUMNS, 'cluster'] : [...TRACE_COLUMNS];
  const fiat = opts.fiat;
  const records: Cell[][] = [fiat ? [...columns, ...FIAT_COLUMNS] : columns];
  for (const row of sortRows(result.rows)) {
    const printed = printRow(row, cluster);
    const record = columns.map((c) => cell(printed[c]));
    if (fiat) {
      const f = fiat.cells.get(`${row.txid}:${row.vout}`);
      // Amounts are text cells ("1234.50"): exact, and a spreadsheet still reads them as numbers.
      record.push(...FIAT_COLUMNS.map((c) => cell(f?.[c])));
    }
    records.push(record);
  }
  // The header is written as an ordinary record so an empty trace still gets it.
  return stringify(records, { record_delimiter: '\n', eof: true });
}
