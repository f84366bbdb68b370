// `btctrace batch <file|->`: trace every seed of a list into its own file, plus summary.csv.
//
// Built to survive interruption: each result file is written atomically, then its manifest;
// a seed counts as finished only when its manifest exists, says the trace was complete, and
// its file still has the recorded sha256. A rerun skips finished seeds (unless --force) and
// rebuilds the summary from their manifests, so a batch killed at any moment resumes with
// nothing lost, nothing duplicated and no half-written file.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import pLimit from 'p-limit';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { InputError } from '../model/errors.js';
import { MiB, readInputTextSync } from '../model/input-file.js';
import { parseSeed, seedKey, type Seed } from '../model/seed.js';
import type { ChainSource } from '../sources/source.js';
import { SourceError } from '../sources/errors.js';
import { SeedsFailedError } from '../trace/errors.js';
import { getModel } from '../trace/models/index.js';
import { EMPTY_TAGS, MAX_TAGS_BYTES, parseTags, type TagBook } from '../tags/tags.js';
import { MANIFEST_SUFFIX, verifyManifest, writeOutputAndManifest } from '../output/manifest.js';
import type { RunMeta } from '../output/meta.js';
import { STATUS_ORDER, summarize } from '../output/summary.js';
import { roundSat } from '../output/amount.js';
import { guardText } from '../output/csv.js';
import { sha256 } from '../output/write.js';
import {
  conflictError,
  inputDifferences,
  rowInputs,
  type Conflict,
  type RowInputs,
} from './batch-fingerprint.js';
import { acquireBatchLock } from './batch-lock.js';
import { toolVersion } from '../version.js';
import type { IO } from './io.js';
import { optString, parseChoice, parseIntOption } from './parse.js';
import { describeSourceRequest, openSourceHandle, type SourceRequest } from './source-options.js';
import { executeTrace, traceRequest, type TraceRequest } from './trace.js';

export type SeedStatus = 'ok' | 'partial' | 'failed' | 'invalid' | 'duplicate' | 'interrupted';

export interface BatchLine {
  line: number;
  input: string;
}

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

interface BatchJob {
  line: BatchLine;
  seed: Seed;
  file: string;
}

export interface BatchRequest {
  lines: BatchLine[];
  outDir: string;
  force: boolean;
  parallel: number;
  /** Trace options shared by every seed (its `seeds` is ignored). */
  trace: Omit<TraceRequest, 'seeds' | 'output'>;
}

export interface BatchDeps {
  io: IO;
  argv: string[];
  openSource?: (req: SourceRequest) => ChainSource;
  /** Aborting stops starting new seeds; finished work is kept and the summary written. */
  signal?: AbortSignal;
}

export interface BatchOutcome {
  rows: SummaryRow[];
  exitCode: number;
  requests: number;
}

const STATUS_COLUMNS = STATUS_ORDER;
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

/**
 * A file name for a seed that is safe on every OS: only [A-Za-z0-9_]. Names that carry upper
 * case (base58 addresses) get a short hash suffix, so two addresses that differ only in case
 * never share a file on a case-insensitive file system.
 */
export function seedFileBase(seed: Seed): string {
  const base = seedKey(seed)
    .replace(/[^A-Za-z0-9]/g, '_')
    .slice(0, 100);
  if (base === base.toLowerCase()) return base;
  return `${base}-${createHash('sha256').update(seedKey(seed)).digest('hex').slice(0, 8)}`;
}

/**
 * A finished seed from an earlier run: its manifest is complete, its files unchanged, and it was
 * made with this run's row inputs. A manifest made with other inputs is a Conflict (never reused,
 * never silently overwritten).
 */
async function finishedRow(
  line: BatchLine,
  file: string,
  inputs: RowInputs,
): Promise<SummaryRow | Conflict | null> {
  const manifest = file + MANIFEST_SUFFIX;
  if (!existsSync(manifest)) return null;
  try {
    const m = JSON.parse(readInputTextSync(manifest, { what: 'manifest', maxBytes: 64 * MiB })) as {
      partial?: boolean;
      counts?: Record<string, number>;
      row_inputs?: unknown;
    };
    const differences = inputDifferences(m.row_inputs, inputs);
    if (differences.length > 0) return { file: path.basename(file), differences };
    if (!existsSync(file)) return null;
    const check = await verifyManifest(manifest);
    if (!check.ok) return null;
    if (m.partial !== false || !m.counts) return null;
    const byStatus: Record<string, number> = {};
    const byLabel: Record<string, number> = {};
    for (const [k, v] of Object.entries(m.counts)) {
      if (k.startsWith('status:')) byStatus[k.slice(7)] = v;
      if (k.startsWith('label:')) byLabel[k.slice(6)] = v;
    }
    return {
      line: line.line,
      seed: line.input,
      status: 'ok',
      error: '',
      file: path.basename(file),
      rows: m.counts.rows ?? 0,
      byStatus,
      byLabel,
      resources: m.counts.resources ?? 0,
      resumed: true,
    };
  } catch {
    return null; // unreadable manifest: trace the seed again
  }
}

/** Seeds already finished (and still valid) in outDir; InputError when some were made otherwise. */
async function finishedRows(
  jobs: BatchJob[],
  req: BatchRequest,
  inputs: RowInputs,
): Promise<{ done: SummaryRow[]; todo: BatchJob[] }> {
  const done: SummaryRow[] = [];
  const todo: BatchJob[] = [];
  const conflicts: Conflict[] = [];
  for (const job of jobs) {
    const r = req.force ? null : await finishedRow(job.line, job.file, inputs);
    if (r === null) todo.push(job);
    else if ('differences' in r) conflicts.push(r);
    else done.push(r);
  }
  if (conflicts.length > 0) throw conflictError(req.outDir, conflicts);
  return { done, todo };
}

/** The tags (read once, bounded) and the row inputs every seed file of this run is made with. */
function batchInputs(req: BatchRequest): { tags: TagBook; inputs: RowInputs } {
  const file = req.trace.tagsFile;
  if (file === null) return { tags: EMPTY_TAGS, inputs: rowInputs(req.trace, null) };
  const text = readInputTextSync(file, { what: 'tags file', maxBytes: MAX_TAGS_BYTES });
  return {
    tags: parseTags(text, file, req.trace.source.network),
    inputs: rowInputs(req.trace, sha256(text)),
  };
}

export async function runBatch(req: BatchRequest, deps: BatchDeps): Promise<BatchOutcome> {
  mkdirSync(req.outDir, { recursive: true });
  const lock = acquireBatchLock(req.outDir, deps.io.now(), deps.io.stderr);
  try {
    return await runBatchLocked(req, deps);
  } finally {
    lock.release();
  }
}

async function runBatchLocked(req: BatchRequest, deps: BatchDeps): Promise<BatchOutcome> {
  const { io } = deps;
  const startedAt = io.now();
  const ext = req.trace.format === 'json' ? 'json' : req.trace.format === 'table' ? 'txt' : 'csv';
  const rows: SummaryRow[] = [];
  const firstLine = new Map<string, number>();
  const candidates: BatchJob[] = [];
  const empty = (line: BatchLine, status: SeedStatus, error: string): SummaryRow => ({
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
  });

  for (const line of req.lines) {
    let seed: Seed;
    try {
      seed = parseSeed(line.input, req.trace.source.network);
    } catch (e) {
      rows.push(empty(line, 'invalid', e instanceof Error ? e.message : String(e)));
      continue;
    }
    const key = seedKey(seed);
    const first = firstLine.get(key);
    if (first !== undefined) {
      rows.push(empty(line, 'duplicate', `same seed as line ${first}`));
      continue;
    }
    firstLine.set(key, line.line);
    candidates.push({ line, seed, file: path.join(req.outDir, `${seedFileBase(seed)}.${ext}`) });
  }
  const { tags, inputs } = batchInputs(req);
  const { done, todo: jobs } = await finishedRows(candidates, req, inputs);
  rows.push(...done);
  // One explorer client for the whole batch: shared memo, cache and rate limit.
  // nothing to trace (all finished): open no explorer client, so a rerun makes no request
  const handle = jobs.length > 0 ? await openSourceHandle(req.trace.source, io, deps.openSource) : null;
  const shared = handle?.source ?? null;
  try {
    const limit = pLimit(req.parallel);
    if (jobs.length > 0 && !req.trace.quiet)
      io.stderr(`batch: ${jobs.length} to trace, ${rows.filter((r) => r.resumed).length} already done\n`);
    let finished = 0;

    await Promise.all(
      jobs.map((job) =>
        limit(async () => {
          if (deps.signal?.aborted) {
            rows.push(empty(job.line, 'interrupted', 'not run: the batch was interrupted'));
            return;
          }
          try {
            const run = await executeTrace(
              { ...req.trace, seeds: [job.seed], output: job.file, quiet: true },
              {
                io,
                argv: deps.argv,
                openSource: () => shared!,
                ...(handle?.attribution && { attribution: handle.attribution }),
              },
              tags,
            );
            if (deps.signal?.aborted) {
              rows.push(empty(job.line, 'interrupted', 'not written: the batch was interrupted'));
              return;
            }
            const summary = summarize(run.result);
            const byStatus: Record<string, number> = {};
            for (const s of summary.byStatus) byStatus[s.status] = s.taintedSat;
            const byLabel: Record<string, number> = {};
            for (const g of summary.byLabel) byLabel[g.name] = g.taintedSat;
            const counts: Record<string, number> = {
              rows: run.result.rows.length,
              resources: run.resources,
              transactions: run.result.txs.length,
            };
            for (const [k, v] of Object.entries(byStatus)) counts[`status:${k}`] = v;
            for (const [k, v] of Object.entries(byLabel)) counts[`label:${k}`] = v;
            await writeOutputAndManifest(job.file, run.rendered, {
              meta: run.meta,
              counts,
              rowInputs: inputs,
            });
            rows.push({
              line: job.line.line,
              seed: job.line.input,
              status: run.result.partial ? 'partial' : 'ok',
              error: run.result.partial ? run.result.warnings.join('; ') : '',
              file: path.basename(job.file),
              rows: run.result.rows.length,
              byStatus,
              byLabel,
              resources: run.resources,
              resumed: false,
            });
          } catch (e) {
            if (e instanceof InputError || e instanceof SourceError || e instanceof SeedsFailedError) {
              rows.push(empty(job.line, 'failed', e.message));
            } else throw e;
          }
          finished++;
          if (!req.trace.quiet && io.stderrIsTTY) io.stderr(`\r\x1b[2Kbatch: ${finished}/${jobs.length}`);
        }),
      ),
    );
    if (!req.trace.quiet && io.stderrIsTTY && jobs.length > 0) io.stderr('\r\x1b[2K');
  } finally {
    handle?.close();
  }

  rows.sort((a, b) => a.line - b.line);
  const summaryFile = path.join(req.outDir, 'summary.csv');
  const requests = shared?.stats().requests ?? 0;
  const meta: RunMeta = {
    tool: 'btctrace',
    version: toolVersion(),
    command: deps.argv,
    options: {
      ...batchOptions(req),
    },
    source: describeSourceRequest(req.trace.source),
    network: req.trace.source.network,
    tipHeight: null,
    startedAt: startedAt.toISOString(),
    finishedAt: io.now().toISOString(),
    modelConventions: getModel(req.trace.model).conventions,
    partial: rows.some((r) => r.status !== 'ok'),
    warnings: [],
    requests,
  };
  const files = [];
  for (const r of rows) if (r.file) files.push({ path: path.join(req.outDir, r.file), role: 'trace' });
  const tally = (s: SeedStatus) => rows.filter((r) => r.status === s).length;
  const batchManifest = path.join(req.outDir, 'batch.manifest.json');
  await writeOutputAndManifest(
    summaryFile,
    summaryCsv(rows),
    {
      meta,
      role: 'summary',
      files,
      rowInputs: inputs,
      counts: {
        seeds: rows.length,
        ok: tally('ok'),
        partial: tally('partial'),
        failed: tally('failed'),
        invalid: tally('invalid'),
        duplicate: tally('duplicate'),
        interrupted: tally('interrupted'),
        resumed: rows.filter((r) => r.resumed).length,
        requests,
        ...(handle?.counts() ?? {}),
      },
    },
    batchManifest,
  );
  const bad = rows.some((r) => r.status === 'failed' || r.status === 'invalid' || r.status === 'partial');
  const exitCode = deps.signal?.aborted ? 130 : bad ? 1 : 0;
  if (!req.trace.quiet) {
    io.stderr(
      `batch: ${tally('ok')} ok (${rows.filter((r) => r.resumed).length} from an earlier run), ${tally('partial')} partial, ` +
        `${tally('failed')} failed, ${tally('invalid')} invalid, ${tally('duplicate')} duplicate; ${requests} requests; summary in ${summaryFile}\n`,
    );
  }
  return { rows, exitCode, requests };
}

function batchOptions(req: BatchRequest): Record<string, unknown> {
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

export async function runBatchCommand(
  input: string,
  opts: Record<string, unknown>,
  io: IO,
  argv: string[],
  readStdin: () => Promise<string>,
  signal?: AbortSignal,
): Promise<number> {
  const outDir = optString(opts, 'outDir', '');
  if (outDir === '')
    throw new InputError('--out-dir <dir> is required: where the result files and summary.csv go');
  if (existsSync(outDir) && !statSync(outDir).isDirectory())
    throw new InputError(`--out-dir ${outDir}: not a directory`);
  const format = parseChoice('--format', optString(opts, 'format', 'csv'), ['csv', 'json', 'table'] as const);
  const base = traceRequest([], { ...opts, format, output: undefined });
  const { seeds: _s, output: _o, ...trace } = base;
  let text: string;
  if (input === '-') text = await readStdin();
  else {
    text = readInputTextSync(input, { what: 'seed list', maxBytes: MAX_SEED_LIST_BYTES });
  }
  const lines = readBatchLines(
    text,
    input === '-' ? 'standard input' : input,
    typeof opts.column === 'string' ? opts.column : null,
  );
  if (lines.length === 0)
    throw new InputError(`${input === '-' ? 'standard input' : input}: no seeds in the list`);
  const outcome = await runBatch(
    {
      lines,
      outDir,
      force: opts.force === true,
      parallel: parseIntOption('--parallel', optString(opts, 'parallel', '4'), 1, 64),
      trace,
    },
    { io, argv, ...(signal ? { signal } : {}) },
  );
  return outcome.exitCode;
}
