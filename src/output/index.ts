// One entry point for the CLI: pick a renderer by --format.

import type { FiatValues } from '../prices/fiat.js';
import type { TraceResult } from '../trace/result.js';
import { traceCsv } from './csv.js';
import { traceJson } from './json.js';
import type { RunMeta } from './meta.js';
import { traceTable } from './table.js';
import { OUTPUT_FORMATS, type TextFormat } from './format.js';
import { traceJsonl } from './json.js';

export { OUTPUT_FORMATS, type OutputFormat } from './format.js';

export interface RenderOptions {
  /** Add the cluster column / totals (runs with --cluster). */
  cluster?: boolean;
  /** Table only: ANSI colours (default false: the caller opts in for a TTY without NO_COLOR). */
  color?: boolean;
  /** Table only: terminal width (text columns wrap to fit). */
  width?: number;
  /** Table only: --wide (full ids, no wrapping). */
  wide?: boolean;
  /** With --fiat: per-row fiat cells (keyed txid:vout), appended after every other column. */
  fiat?: FiatValues;
}

export function renderTrace(
  format: TextFormat,
  result: TraceResult,
  meta: RunMeta,
  opts: RenderOptions = {},
): string {
  switch (format) {
    case 'csv':
      return traceCsv(result, { cluster: opts.cluster, ...(opts.fiat && { fiat: opts.fiat }) });
    case 'json':
      return traceJson(result, meta, { cluster: opts.cluster, ...(opts.fiat && { fiat: opts.fiat }) });
    case 'jsonl':
      return traceJsonl(result, meta, { cluster: opts.cluster, ...(opts.fiat && { fiat: opts.fiat }) });
    case 'table':
      return traceTable(result, {
        color: opts.color ?? false,
        width: opts.width,
        wide: opts.wide,
        meta,
        cluster: opts.cluster,
        ...(opts.fiat && { fiat: opts.fiat }),
      });
    default: {
      const bad: never = format;
      throw new RangeError(`output format ${String(bad)} is not one of ${OUTPUT_FORMATS.join(', ')}`);
    }
  }
}

export { formatBtc, formatSat, roundSat } from './amount.js';
export { traceCsv, guardText } from './csv.js';
export { traceJson } from './json.js';
export { metaJson, type RunMeta } from './meta.js';
export { compareRows, sortRows } from '../trace/order.js';
export { summarize, type TraceSummary } from './summary.js';
export { traceTable } from './table.js';
export { formatTime } from './time.js';
export { sha256, sha256File, writeOutputAtomic } from './write.js';
