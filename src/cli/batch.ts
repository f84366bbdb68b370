// `btctrace batch <file|->`: trace every seed of a list into its own file, plus summary.csv.
//
// Built to survive interruption: each result file is written atomically, then its manifest;
// a seed counts as finished only when its manifest exists, says the trace was complete, and
// its file still has the recorded sha256. A rerun skips finished seeds (unless --force) and
// rebuilds the summary from their manifests, so a batch killed at any moment resumes with
// nothing lost, nothing duplicated and no half-written file.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import pLimit from 'p-limit';
import { InputError } from '../model/errors.js';
import { readInputTextSync } from '../model/input-file.js';
import { parseSeed, seedKey, type Seed } from '../model/seed.js';
import type { ChainSource } from '../sources/source.js';
import { getModel } from '../trace/models/index.js';
import type { LabelBook } from '../labels/label.js';
import { MAX_TAGS_BYTES, parseLabelCsv } from '../labels/memory-book.js';
import { commandBook } from './label-book.js';
import { openLabelBook } from './label-options.js';
import { writeOutputAndManifest } from '../output/manifest.js';
import type { RunMeta } from '../output/meta.js';
import { sha256 } from '../output/write.js';
import { rowInputs, type RowInputs } from './batch-fingerprint.js';
import { MAX_SEED_LIST_BYTES, readSeedList, type SeedLine as BatchLine } from './seed-list.js';
import { traceJob } from './batch-job.js';
import { acquireBatchLock } from './batch-lock.js';
import { finishedRows, seedFileBase, type BatchJob } from './batch-resume.js';
import { batchOptions, emptyRow, summaryCsv, type SeedStatus, type SummaryRow } from './batch-summary.js';
import { toolVersion } from '../version.js';
import { plural } from '../output/summary.js';
import type { IO } from './io.js';
import { optString, parseChoice, parseIntOption } from './parse.js';
import { describeSourceRequest, openSourceHandle, type SourceRequest } from './source-options.js';
import { traceRequest, type TraceRequest } from './trace.js';

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

/** The tags (read once, bounded) and the row inputs every seed file of this run is made with. */
function batchInputs(req: BatchRequest): { tags: LabelBook; inputs: RowInputs } {
  const file = req.trace.tagsFile;
  const network = req.trace.source.network;
  // the store is opened once: its book labels the rows, its lists go into the reuse fingerprint
  const store = openLabelBook(req.trace.labelOpts, network);
  const lists = store?.lists() ?? [];
  if (file === null)
    return {
      tags: commandBook(req.trace.labelOpts, network, undefined, store),
      inputs: rowInputs(req.trace, null, lists),
    };
  const text = readInputTextSync(file, { what: 'tags file', maxBytes: MAX_TAGS_BYTES });
  return {
    tags: commandBook(req.trace.labelOpts, network, parseLabelCsv(text, file, network), store),
    inputs: rowInputs(req.trace, sha256(text), lists),
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

  for (const line of req.lines) {
    let seed: Seed;
    try {
      seed = parseSeed(line.input, req.trace.source.network);
    } catch (e) {
      rows.push(emptyRow(line, 'invalid', e instanceof Error ? e.message : String(e)));
      continue;
    }
    const key = seedKey(seed);
    const first = firstLine.get(key);
    if (first !== undefined) {
      rows.push(emptyRow(line, 'duplicate', `same seed as line ${first}`));
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
    // BigQuery answers a whole frontier in one query: every seed runs at once, in lockstep, so a
    // batch costs about hops + 2 queries however many seeds it has (src/sources/batching.ts).
    const limit = pLimit(req.trace.source.bigquery ? Math.max(1, jobs.length) : req.parallel);
    if (jobs.length > 0 && !req.trace.quiet)
      io.stderr(`batch: ${jobs.length} to trace, ${rows.filter((r) => r.resumed).length} already done\n`);
    let finished = 0;

    await Promise.all(
      jobs.map((job) =>
        limit(async () => {
          if (deps.signal?.aborted) {
            rows.push(emptyRow(job.line, 'interrupted', 'not run: the batch was interrupted (Ctrl-C)'));
            return;
          }
          rows.push(
            await traceJob(job, {
              io,
              argv: deps.argv,
              trace: req.trace,
              source: shared!,
              ...(handle?.attribution && { attribution: handle.attribution }),
              tags,
              inputs,
            }),
          );
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
  const tally = (s: SeedStatus) => rows.filter((r) => r.status === s).length;
  const interrupted = deps.signal?.aborted === true;
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
    warnings: interrupted
      ? [
          `interrupted (Ctrl-C): ${plural(tally('interrupted'), 'seed')} not run; the same command finishes them`,
        ]
      : [],
    requests,
  };
  const files = [];
  for (const r of rows) if (r.file) files.push({ path: path.join(req.outDir, r.file), role: 'trace' });
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
  const exitCode = interrupted ? 130 : bad ? 1 : 0;
  if (!req.trace.quiet) {
    io.stderr(
      `batch: ${tally('ok')} ok (${rows.filter((r) => r.resumed).length} from an earlier run), ${tally('partial')} partial, ` +
        `${tally('failed')} failed, ${tally('invalid')} invalid, ${tally('duplicate')} duplicate` +
        `${interrupted ? `, ${tally('interrupted')} not run (interrupted)` : ''}; ${plural(requests, 'request')}; summary in ${summaryFile}\n`,
    );
  }
  return { rows, exitCode, requests };
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
  const lines = readSeedList(text, {
    source: input === '-' ? 'standard input' : input,
    column: typeof opts.column === 'string' ? opts.column : null,
    network: trace.source.network,
    note: (m) => io.stderr(`btctrace: ${m}\n`),
  });
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
