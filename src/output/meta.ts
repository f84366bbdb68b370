// The run manifest's core: what was run, on which data, when. Written into JSON output (and by
// the CLI as a manifest file) so a case file can show where each number came from.

export interface RunMeta {
  tool: 'btctrace';
  version: string;
  /** argv after the program name, as typed. */
  command: string[];
  /** Every effective option (defaults included), as the command used them. */
  options: Record<string, unknown>;
  /** Where chain data came from: provider name, base URL, or offline directory. */
  source: string;
  network: string;
  tipHeight: number | null;
  /** UTC ISO-8601. */
  startedAt: string;
  /** UTC ISO-8601. */
  finishedAt: string;
  /** The taint model's own statement of how fees, ties and rounding are handled. */
  modelConventions: string;
  partial: boolean;
  /** Why the result is partial, one line each (empty or absent when complete). */
  partialReasons?: string[];
  warnings: string[];
  /** HTTP requests made, when the source counts them. */
  requests?: number;
  /** The data checks that ran and how many items each covered (src/sources/checks.ts). */
  checks?: Record<string, number>;
  /** With --fiat: the currency, price source and every price used (src/prices fiatMeta). */
  fiat?: Record<string, unknown>;
  /** With --offline: the recording's own metadata (source URL, network, tip, time, version). */
  recording?: Record<string, unknown>;
}

/** camelCase -> snake_case ("minSat" -> "min_sat", "apiURL" -> "api_url"); other keys unchanged. */
export function snakeCase(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toLowerCase();
}

/**
 * A JSON-safe copy with snake_case keys in sorted order at every depth, so the same options give
 * the same bytes whatever order commander (or a caller) built them in. undefined and values JSON
 * cannot hold (functions, NaN, Infinity) become null so an unset option still shows its name;
 * bigint becomes a decimal string; Date an ISO string.
 */
export function jsonSafe(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return null;
  }
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  const out: Record<string, unknown> = {};
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([k, v]) => [snakeCase(k), v] as const,
  );
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [k, v] of entries) out[k] = jsonSafe(v);
  return out;
}

/** What the trace itself knows about being partial, merged into the run's own flags. */
export interface TraceFlags {
  partial: boolean;
  warnings: string[];
  tipHeight: number | null;
}

/**
 * RunMeta as JSON: snake_case, fixed key order. `partial` is true when either the run or the
 * trace says so, and the trace's warnings follow the run's (duplicates dropped), so a consumer of
 * the JSON never sees partial: false on a cut trace. `tip_height` falls back to the trace's.
 */
export function metaJson(
  meta: RunMeta,
  trace?: TraceFlags,
  opts: { runRecord?: boolean } = {},
): Record<string, unknown> {
  // runRecord false (trace JSON): leave out what differs between runs of the same trace (times,
  // request counts), so the same data and options give byte-identical JSON; the manifest has them.
  const runRecord = opts.runRecord ?? true;
  const warnings = [...meta.warnings];
  for (const w of trace?.warnings ?? []) if (!warnings.includes(w)) warnings.push(w);
  const out: Record<string, unknown> = {
    tool: meta.tool,
    version: meta.version,
    command: [...meta.command],
    options: jsonSafe(meta.options),
    source: meta.source,
    network: meta.network,
    tip_height: meta.tipHeight ?? trace?.tipHeight ?? null,
    ...(runRecord ? { started_at: meta.startedAt, finished_at: meta.finishedAt } : {}),
    model_conventions: meta.modelConventions,
    partial: meta.partial || (trace?.partial ?? false),
  };
  if (out.partial === true)
    out.partial_reasons =
      meta.partialReasons && meta.partialReasons.length > 0 ? [...meta.partialReasons] : warnings;
  out.warnings = warnings;
  if (runRecord && meta.requests !== undefined) out.requests = meta.requests;
  if (meta.checks !== undefined) out.checks = { ...meta.checks };
  if (meta.fiat !== undefined) out.fiat = jsonSafe(meta.fiat);
  if (meta.recording !== undefined) out.recording = jsonSafe(meta.recording);
  return out;
}
