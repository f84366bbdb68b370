// A batch's summary: one row per input line (summary.csv) and the options the batch ran with.
import { stringify } from 'csv-stringify/sync';
import { roundSat } from '../output/amount.js';
import { guardText } from '../output/csv.js';
import { STATUS_ORDER } from '../output/summary.js';
import type { BatchRequest } from './batch.js';
import type { SeedLine as BatchLine } from './seed-list.js';

export type SeedStatus = 'ok' | 'partial' | 'failed' | 'invalid' | 'duplicate' | 'interrupted';

export interface SummaryRow {
  line: number;
  seed: string;
  status: SeedStatus;
  error: string;
  file: string;
  rows: number;
  /** Printed (whole-satoshi) totals by row status. */
  byStatus: Record<string, number>;
  /** "ExchangeX (exchange)" -> whole satoshis received. */
  byLabel: Record<string, number>;
  /** Resources this seed's trace asked for (each at most once; shared answers count too). */
  resources: number;
  /** Reused from an earlier run's manifest. */
  resumed: boolean;
}

const STATUS_COLUMNS = STATUS_ORDER;

/** A row for a seed that produced no file (invalid, duplicate, failed, interrupted). */
export function emptyRow(line: BatchLine, status: SeedStatus, error: string): SummaryRow {
  return {
    line: line.line,
    seed: line.input,
    status,
    error,
    file: '',
    rows: 0,
    byStatus: {},
    byLabel: {},
    resources: 0,
    resumed: false,
  };
}

export function batchOptions(req: BatchRequest): Record<string, unknown> {
  const t = req.trace;
  return {
    outDir: req.outDir,
    force: req.force,
    parallel: req.parallel,
    direction: t.direction,
    hops: t.hops,
    model: t.model,
    minSat: t.minSat,
    maxTxs: t.maxTxs,
    maxAddressTxs: t.maxAddressTxs,
    tags: t.tagsFile,
    stopAt: t.stopAt,
    format: t.format,
    network: t.source.network,
    ...(t.source.provider === 'graphsense' && { provider: 'graphsense' }),
    apiUrl: t.source.apiUrl ?? null,
    offline: t.source.offline ?? null,
  };
}

/** One row per input line, in input order; label totals as "name=sat" pairs sorted by name. */
export function summaryCsv(rows: SummaryRow[]): string {
  const header = [
    'line',
    'seed',
    'status',
    'error',
    'file',
    'rows',
    ...STATUS_COLUMNS.map((s) => `${s}_sat`),
    'by_label',
    'resources',
  ];
  const body = rows.map((r) => [
    r.line,
    guardText(r.seed),
    r.status,
    guardText(r.error),
    r.file,
    r.rows,
    ...STATUS_COLUMNS.map((s) => roundSat(r.byStatus[s] ?? 0)),
    guardText(
      Object.keys(r.byLabel)
        .sort()
        .map((k) => `${k}=${r.byLabel[k]}`)
        .join('; '),
    ),
    r.resources,
  ]);
  return stringify([header, ...body], { record_delimiter: '\n' });
}
