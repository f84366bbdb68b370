// The trace JSON as the report reads it: only the fields the graph needs, checked one by one, so a
// hand-edited or older/newer file gives a one-line error naming the bad field instead of a broken
// page. Unknown fields are ignored; optional ones (cluster, summary) are read if present.
import { InputError } from '../../model/errors.js';

export interface ReportRow {
  hop: number;
  txid: string;
  vout: number;
  address: string | null;
  value_sat: number;
  tainted_sat: number;
  status: string;
  label: string | null;
  category: string | null;
  spent_by: string | null;
  flags: string[];
  note: string | null;
  cluster: string | null;
  block_height: number | null;
  block_time: string | null;
  /** Where the label came from, when the trace JSON says (tags file, TagPack ...). */
  label_source: string | null;
}

export interface TraceDoc {
  meta: Record<string, unknown>;
  direction: string;
  model: string;
  seeds: string[];
  rows: ReportRow[];
  totals: Record<string, unknown> | null;
  /** `summary` of a newer trace JSON (e.g. a conservation table), shown as given. */
  summary: unknown;
}

/** Rows beyond this are refused: the page would not be usable and the input is not a trace. */
export const MAX_ROWS = 200_000;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(row: Obj, key: string, i: number, nullable: boolean): string | null {
  const v = row[key];
  if (v === undefined || v === null) {
    if (nullable) return null;
    throw new InputError(`trace JSON: rows[${i}].${key} is missing`);
  }
  if (typeof v !== 'string') throw new InputError(`trace JSON: rows[${i}].${key} is not a string`);
  return v;
}

function int(row: Obj, key: string, i: number, nullable = false): number | null {
  const v = row[key];
  if ((v === undefined || v === null) && nullable) return null;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new InputError(`trace JSON: rows[${i}].${key} is not a whole number >= 0: ${JSON.stringify(v)}`);
  return v;
}

function readRow(v: unknown, i: number): ReportRow {
  if (!isObj(v)) throw new InputError(`trace JSON: rows[${i}] is not an object`);
  const flags = v.flags ?? [];
  if (!Array.isArray(flags) || !flags.every((f) => typeof f === 'string'))
    throw new InputError(`trace JSON: rows[${i}].flags is not a list of strings`);
  return {
    hop: int(v, 'hop', i)!,
    txid: str(v, 'txid', i, false)!,
    vout: int(v, 'vout', i)!,
    address: str(v, 'address', i, true),
    value_sat: int(v, 'value_sat', i)!,
    tainted_sat: int(v, 'tainted_sat', i)!,
    status: str(v, 'status', i, false)!,
    label: str(v, 'label', i, true),
    category: str(v, 'category', i, true),
    spent_by: str(v, 'spent_by', i, true),
    flags,
    note: str(v, 'note', i, true),
    cluster: str(v, 'cluster', i, true),
    block_height: int(v, 'block_height', i, true),
    block_time: str(v, 'block_time', i, true),
    label_source: str(v, 'label_source', i, true),
  };
}

/** Parses and checks a trace JSON text (btctrace trace --format json). */
export function parseTraceDoc(text: string, name: string): TraceDoc {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${name}: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isObj(doc) || !Array.isArray(doc.rows))
    throw new InputError(`${name}: not a btctrace trace JSON (no "rows" list)`);
  if (doc.rows.length > MAX_ROWS)
    throw new InputError(`${name}: ${doc.rows.length} rows, more than the report's limit of ${MAX_ROWS}`);
  const trace = isObj(doc.trace) ? doc.trace : {};
  const seeds = Array.isArray(trace.seeds) ? trace.seeds.filter((s) => typeof s === 'string') : [];
  return {
    meta: isObj(doc.meta) ? doc.meta : {},
    direction: typeof trace.direction === 'string' ? trace.direction : 'forward',
    model: typeof trace.model === 'string' ? trace.model : '',
    seeds,
    rows: doc.rows.map(readRow),
    totals: isObj(doc.totals) ? doc.totals : null,
    summary: doc.summary ?? null,
  };
}
