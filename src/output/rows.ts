// One trace row as CSV and JSON print it: the column names (snake_case, DESIGN.md order) and the
// printed values. CSV and JSON share this so they can never disagree on a number.

import type { FlowRow } from '../trace/result.js';
import { formatBtc, roundSat } from './amount.js';
import { formatTime } from './time.js';

export const TRACE_COLUMNS = [
  'hop',
  'txid',
  'vout',
  'address',
  'value_sat',
  'tainted_sat',
  'status',
  'value_btc',
  'tainted_btc',
  'block_height',
  'block_time',
  'label',
  'category',
  'script_type',
  'spent_by',
  'flags',
  'note',
  'abuse',
  'label_confidence',
  'label_source',
] as const;

// The CSV column contract: the first seven columns keep their order, the BTC strings follow
// them, and columns added later go after `note`: the label's abuse term, confidence and source,
// then `cluster` (with --cluster), then the fiat columns last.

/** A printed column: the fixed ones, plus `cluster` on clustered traces. */
export type Column = (typeof TRACE_COLUMNS)[number] | 'cluster';

export interface PrintedRow {
  hop: number;
  txid: string;
  vout: number;
  address: string | null;
  value_sat: number;
  /** Rounded to whole satoshis (roundSat). */
  tainted_sat: number;
  status: string;
  /** value_sat as BTC, exactly 8 decimals ("0.12500000"): a string, never a float. */
  value_btc: string;
  /** tainted_sat (rounded) as BTC, exactly 8 decimals. */
  tainted_btc: string;
  block_height: number | null;
  /** UTC ISO-8601, e.g. 2021-06-07T05:15:24Z. */
  block_time: string | null;
  label: string | null;
  category: string | null;
  script_type: string;
  spent_by: string | null;
  flags: string[];
  note: string | null;
  abuse: string | null;
  /** 0-100, as the label's source rates its claim. */
  label_confidence: number | null;
  /** Where the label comes from; "via cluster <id> (<member>): <source>" when inherited. */
  label_source: string | null;
  /** Only when the trace was clustered. */
  cluster?: string | null;
}

/** The label's source, prefixed with the cluster it was inherited through. */
export function labelSource(row: FlowRow): string | null {
  if (row.label === null && row.category === null) return null;
  const src = row.labelSource ?? null;
  if (!row.labelVia) return src;
  return `via ${row.labelVia}${src ? `: ${src}` : ''}`;
}

function checkInt(value: number, field: string, row: FlowRow): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`row ${row.txid}:${row.vout}: ${field} ${String(value)} is not a whole number >= 0`);
  }
}

/** The printed values of one row; throws, naming the outpoint, on a value that cannot be printed. */
export function printRow(row: FlowRow, cluster: boolean): PrintedRow {
  checkInt(row.hop, 'hop', row);
  checkInt(row.vout, 'vout', row);
  checkInt(row.valueSat, 'value_sat', row);
  if (row.blockHeight !== null) checkInt(row.blockHeight, 'block_height', row);
  if (!Number.isFinite(row.taintedSat) || row.taintedSat < 0) {
    throw new RangeError(
      `row ${row.txid}:${row.vout}: tainted_sat ${String(row.taintedSat)} is not an amount >= 0`,
    );
  }
  const tainted = roundSat(row.taintedSat);
  // A model bug must not reach a case file as "more tainted than the output holds".
  if (tainted > row.valueSat) {
    throw new RangeError(
      `row ${row.txid}:${row.vout}: tainted_sat ${String(row.taintedSat)} exceeds value_sat ${row.valueSat}`,
    );
  }
  const printed: PrintedRow = {
    hop: row.hop,
    txid: row.txid,
    vout: row.vout,
    address: row.address,
    value_sat: row.valueSat,
    tainted_sat: tainted,
    status: row.status,
    value_btc: formatBtc(row.valueSat),
    tainted_btc: formatBtc(tainted),
    block_height: row.blockHeight,
    block_time: row.blockTime === null ? null : formatTime(row.blockTime),
    label: row.label,
    category: row.category,
    script_type: row.scriptType,
    spent_by: row.spentBy,
    flags: [...row.flags],
    note: row.note,
    abuse: row.abuse ?? null,
    label_confidence: row.labelConfidence ?? null,
    label_source: labelSource(row),
  };
  if (cluster) printed.cluster = row.cluster ?? null;
  return printed;
}
