// What a batch seed's rows depend on, recorded in its manifest as `row_inputs`, so a rerun on
// the same --out-dir reuses a finished file only when it was made with exactly this run's
// options and tags. A file made otherwise is never silently reused (its rows would be another
// trace's) nor silently overwritten (it is someone's earlier result): the batch stops, exit 2.
import type { LabelList } from '../labels/label.js';
import { InputError } from '../model/errors.js';
import { jsonSafe } from '../output/meta.js';
import type { TraceRequest } from './trace.js';
import { describeSourceRequest } from './source-options.js';

export type RowInputs = Record<string, unknown>;

/**
 * Every option that changes a seed's rows or file bytes. Not included: output paths, --parallel,
 * --quiet, cache and rate settings (they change how fast, not what).
 */
export function rowInputs(
  t: Omit<TraceRequest, 'seeds' | 'output'>,
  tagsSha256: string | null,
  /** The label store's lists and the bundled OFAC snapshot (name, date, count): a changed store changes labels. */
  labelLists: readonly LabelList[] = [],
): RowInputs {
  return jsonSafe({
    direction: t.direction,
    hops: t.hops,
    model: t.model,
    minSat: t.minSat,
    maxTxs: t.maxTxs,
    maxAddressTxs: t.maxAddressTxs,
    stopAt: t.stopAt,
    ...(t.stopAtLabels.length > 0 && { stopAtLabels: t.stopAtLabels }),
    ...(t.inheritLabels && { inheritLabels: true }),
    tagsSha256,
    ...(labelLists.length > 0 && {
      labelLists: labelLists.map((l) => `${l.name} ${l.date ?? 'undated'} ${l.labels}`),
    }),
    network: t.source.network,
    source: describeSourceRequest(t.source),
    verifyTxids: t.source.verifyTxids,
    cluster: t.cluster,
    changeHeuristics: t.changeHeuristics,
    format: t.format,
  }) as RowInputs;
}

const show = (v: unknown) => (v === undefined ? 'not recorded' : JSON.stringify(v));

/** "hops: 1 there, 6 now" for each key whose value differs (all of them when none was recorded). */
export function inputDifferences(stored: unknown, current: RowInputs): string[] {
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored))
    return ['the file records no options to compare (made by an older btctrace?)'];
  const s = stored as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(current), ...Object.keys(s)])].sort();
  return keys
    .filter((k) => JSON.stringify(s[k]) !== JSON.stringify(current[k]))
    .map((k) => `${k}: ${show(s[k])} there, ${show(current[k])} now`);
}

export interface Conflict {
  file: string;
  differences: string[];
}

/** The InputError a batch stops with when --out-dir holds files made with other options. */
export function conflictError(outDir: string, conflicts: Conflict[]): InputError {
  const first = conflicts[0]!;
  const more = conflicts.length > 1 ? ` (and ${conflicts.length - 1} more file(s))` : '';
  return new InputError(
    `--out-dir ${outDir} holds results made with other options: ${first.file}: ` +
      `${first.differences.join('; ')}${more}. Use --force to trace every seed again with this run's ` +
      `options, or another --out-dir`,
  );
}
