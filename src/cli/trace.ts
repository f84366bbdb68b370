// `btctrace trace`: options -> TraceRequest -> runTrace(request, deps).
import { parseSeeds, type Seed } from '../model/seed.js';
import { InputError } from '../model/errors.js';
import type { ChainSource } from '../sources/source.js';
import { createSource } from '../sources/index.js';
import { EMPTY_TAGS, loadTags, type Tag, type TagBook } from '../tags/tags.js';
import type { GraphSenseAttribution } from '../sources/graphsense/attribution.js';
import { addBackendClusters, withBackendLabels } from './backend-labels.js';
import { getModel } from '../trace/models/index.js';
import type { Direction, TraceResult } from '../trace/result.js';
import { MODEL_NAMES, type ModelName } from '../trace/taint.js';
import { trace } from '../trace/walk.js';
import {
  assessCoinJoin,
  parseVetoThreshold,
  vetoFindings,
  type Confidence,
} from '../cluster/coinjoin/index.js';
import { renderTrace, traceJson } from '../output/index.js';
import { renderGraph } from '../report/graph/index.js';
import { FULL_WIDTH } from '../output/table.js';
import { plural } from '../output/summary.js';
import type { RunMeta } from '../output/meta.js';
import { writeOutputAndManifest } from '../output/manifest.js';
import { toolVersion } from '../version.js';
import type { IO } from './io.js';
import { checkWritableFile, optString, parseCategoryList, parseChoice, parseIntOption } from './parse.js';
import { OUTPUT_FORMATS, resolveFormat, STDOUT_FILE, type OutputFormat } from '../output/format.js';
import { checkStopAt } from './stop-at.js';
import {
  describeSourceRequest,
  openSourceHandle,
  sourceRequest,
  type SourceRequest,
} from './source-options.js';
import { Progress } from './progress.js';
import { addChangeFlags, addClusters, addPostMixFlags } from './annotate.js';
import { capturing } from '../sources/capture.js';
import { CheckedSource } from '../sources/checks.js';
import { parseChangeHeuristicNames } from '../cluster/change/index.js';
import { fiatRequest, openPricer, type FiatRequest } from './fiat.js';
import { fiatMeta, valueItems, type FiatPricer, type FiatValues } from '../prices/fiat.js';
import { roundSat } from '../output/amount.js';

export type { OutputFormat } from '../output/format.js';

export interface TraceRequest {
  seeds: Seed[];
  direction: Direction;
  hops: number;
  model: ModelName;
  minSat: number;
  maxTxs: number;
  maxAddressTxs: number;
  tagsFile: string | null;
  stopAt: string[];
  format: OutputFormat;
  output: string | null;
  quiet: boolean;
  /** CSV only: start the file with a UTF-8 byte-order mark so Excel reads it as UTF-8. */
  excel: boolean;
  /** Table only: full txids and addresses, so they can be copied. */
  wide: boolean;
  /** Add a cluster column (common-input links among the transactions read). */
  cluster: boolean;
  /** Weakest CoinJoin confidence that stops clustering and counts for --stop-at coinjoin. */
  coinjoinVeto: Confidence;
  /** Change heuristics whose findings are flagged on rows (opt-in). */
  changeHeuristics: string[];
  source: SourceRequest;
  /** --fiat (with --prices/--fx): value each row at its block time; null = no fiat columns. */
  fiat?: FiatRequest | null;
}

/** Checks every option before any request is made: bad input never costs a network round trip. */
export function traceRequest(seedArgs: string[], opts: Record<string, unknown>): TraceRequest {
  const source = sourceRequest(opts);
  const str = (k: string, d: string) => optString(opts, k, d);
  // `-o -` is stdout: no file, no manifest.
  const outFile = typeof opts.output === 'string' && opts.output !== STDOUT_FILE ? opts.output : null;
  return {
    seeds: parseSeeds(seedArgs, source.network),
    direction: parseChoice('--direction', str('direction', 'forward'), ['forward', 'backward'] as const),
    hops: parseIntOption('--hops', str('hops', '3'), 0, 1000),
    model: parseChoice('--model', str('model', 'haircut'), MODEL_NAMES),
    minSat: parseIntOption('--min-sat', str('minSat', '1000'), 0),
    maxTxs: parseIntOption('--max-txs', str('maxTxs', '2000'), 1),
    maxAddressTxs: parseIntOption('--max-address-txs', str('maxAddressTxs', '1000'), 1),
    tagsFile: typeof opts.tags === 'string' ? opts.tags : null,
    stopAt: parseCategoryList('--stop-at', str('stopAt', 'exchange')),
    format: resolveFormat(
      typeof opts.format === 'string' ? opts.format : undefined,
      outFile,
      OUTPUT_FORMATS,
      'table',
    ),
    output: outFile === null ? null : checkWritableFile('--output', outFile),
    quiet: opts.quiet === true,
    excel: opts.excel === true,
    wide: opts.wide === true,
    cluster: opts.cluster === true,
    coinjoinVeto: parseVetoThreshold(str('coinjoinVeto', 'likely')),
    changeHeuristics:
      typeof opts.changeHeuristics === 'string' ? parseChangeHeuristicNames(opts.changeHeuristics) : [],
    source,
    fiat: fiatRequest(opts),
  };
}

/** --format, where the default (table) to a .html/.dot/.graphml file means that graph format. */
export interface TraceDeps {
  io: IO;
  /** The command line as typed, for the run metadata. */
  argv: string[];
  /** The explorer client to use; by default one is made from the request (cache, verification). */
  openSource?: (req: SourceRequest) => ChainSource;
  /** Prices for --fiat (openPricer); required when the request has fiat. */
  pricer?: FiatPricer;
  /** A backend's own tags and clusters (--provider graphsense): src/cli/backend-labels.ts. */
  attribution?: GraphSenseAttribution;
}

export interface TraceRun {
  result: TraceResult;
  /** Resources this trace asked its source for (each at most once; shared answers count too). */
  resources: number;
  meta: RunMeta;
  rendered: string;
  exitCode: number;
  /** With --fiat: every row's fiat cells. */
  fiat?: FiatValues;
}

/** Runs a trace and renders it; does not write anything. */
export async function executeTrace(req: TraceRequest, deps: TraceDeps, tags?: TagBook): Promise<TraceRun> {
  const { io } = deps;
  const startedAt = io.now();
  const fileBook = tags ?? (req.tagsFile ? loadTags(req.tagsFile, req.source.network) : EMPTY_TAGS);
  // With a backend's tags, the book fills while the walk reads (--tags entries stay first).
  const book = deps.attribution ? new Map(fileBook) : fileBook;
  checkStopAt(req.stopAt, book);
  const opened = (deps.openSource ?? ((r: SourceRequest) => createSource(r)))(req.source);
  // This run's own check counts for its metadata (an injected test source has none).
  const checked = opened instanceof CheckedSource ? opened.forRun() : null;
  const reading = checked ?? opened;
  const { source: seen, captured } = capturing(
    deps.attribution ? withBackendLabels(reading, deps.attribution, book as Map<string, Tag>) : reading,
  );
  // Seed addresses whose history was cut, so their rows can say so in the file itself.
  const cut = new Map<string, number>();
  const source: ChainSource = {
    ...seen,
    getAddressHistory: async (a, m) => {
      const h = await seen.getAddressHistory(a, m);
      if (!h.complete) cut.set(a, h.txs.length);
      return h;
    },
  };
  const model = getModel(req.model);
  const progress = new Progress(io, req.quiet);
  const result = await trace(
    req.direction,
    req.seeds,
    {
      model,
      hops: req.hops,
      minSat: req.minSat,
      maxTxs: req.maxTxs,
      maxAddressTxs: req.maxAddressTxs,
      stopAt: req.stopAt,
    },
    {
      source,
      tags: book,
      // flags "coinjoin:<detector>:<confidence>", for findings at or above the veto threshold
      classify: (tx) =>
        vetoFindings(assessCoinJoin(tx), req.coinjoinVeto).map((f) => `${f.name}:${f.confidence}`),
      onProgress: (p) => progress.update(`${p.txs} transactions, ${source.stats().requests} requests`),
      onWarning: (w) => progress.warn(w),
    },
  );
  progress.done();
  const partialReasons = markCutHistories(result, cut, req.maxAddressTxs);
  if (req.cluster && deps.attribution) await addBackendClusters(result, deps.attribution);
  else if (req.cluster) addClusters(result, captured, req.coinjoinVeto);
  addChangeFlags(result, captured, req.changeHeuristics);
  addPostMixFlags(result, captured, req.coinjoinVeto);
  const meta: RunMeta = {
    tool: 'btctrace',
    version: toolVersion(),
    command: deps.argv,
    options: effectiveOptions(req),
    source: describeSourceRequest(req.source),
    network: req.source.network,
    tipHeight: result.tipHeight,
    startedAt: startedAt.toISOString(),
    finishedAt: io.now().toISOString(),
    modelConventions:
      model.conventions +
      (deps.attribution
        ? `; labels: --tags, then ${deps.attribution.description}` +
          (req.cluster
            ? '; cluster column: GraphSense entity ids (its whole-chain clustering), not computed here'
            : '')
        : ''),
    partial: result.partial,
    partialReasons,
    warnings: result.warnings,
    requests: source.stats().requests,
  };
  if (checked) meta.checks = checked.checks();
  let fiat: FiatValues | undefined;
  if (req.fiat) {
    if (!deps.pricer) throw new InputError('--fiat: no price source was opened');
    fiat = await valueItems(
      deps.pricer,
      result.rows.map((r) => ({
        key: `${r.txid}:${r.vout}`,
        valueSat: r.valueSat,
        taintedSat: roundSat(r.taintedSat),
        blockTime: r.blockTime,
      })),
      startedAt,
    );
    meta.fiat = fiatMeta(fiat);
  }
  const color = req.output === null && io.stdoutIsTTY && !io.env.NO_COLOR;
  let rendered =
    req.format === 'html' || req.format === 'dot' || req.format === 'graphml'
      ? renderGraph(
          req.format,
          traceJson(result, meta, { cluster: req.cluster }),
          'trace JSON of this run (embedded)',
        )
      : renderTrace(req.format, result, meta, {
          color,
          cluster: req.cluster,
          width: req.wide ? FULL_WIDTH : undefined,
          ...(fiat && { fiat }),
        });
  if (req.excel && req.format === 'csv') rendered = `\uFEFF${rendered}`;
  return {
    result,
    meta,
    rendered,
    resources: captured.resources,
    exitCode: result.partial ? 1 : 0,
    ...(fiat && { fiat }),
  };
}

/**
 * Notes the cut on every seed row of an address whose history was cut, and returns why the
 * result is partial (the cuts first, then the walk's warnings), empty for a complete result.
 */
function markCutHistories(result: TraceResult, cut: Map<string, number>, max: number): string[] {
  const reasons: string[] = [];
  for (const [address, n] of [...cut].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    reasons.push(`history of seed ${address} cut at ${plural(n, 'transaction')} (--max-address-txs ${max})`);
  }
  for (const row of result.rows) {
    if (row.status !== 'seed' || row.address === null || !cut.has(row.address)) continue;
    const note = `partial: seed history cut at --max-address-txs ${max}; older receipts of this address are missing`;
    row.note = row.note ? `${row.note}; ${note}` : note;
  }
  if (cut.size > 0) result.partial = true;
  if (!result.partial) return [];
  for (const w of result.warnings) if (!/^history of seed .* cut at /.test(w)) reasons.push(w);
  return reasons;
}

function effectiveOptions(req: TraceRequest): Record<string, unknown> {
  return {
    direction: req.direction,
    hops: req.hops,
    model: req.model,
    minSat: req.minSat,
    maxTxs: req.maxTxs,
    maxAddressTxs: req.maxAddressTxs,
    tags: req.tagsFile,
    stopAt: req.stopAt,
    format: req.format,
    output: req.output,
    network: req.source.network,
    provider:
      req.source.provider === 'graphsense'
        ? 'graphsense'
        : req.source.offline || req.source.apiUrl
          ? null
          : req.source.provider,
    apiUrl: req.source.apiUrl ?? null,
    offline: req.source.offline ?? null,
    record: req.source.record ?? null,
    concurrency: req.source.concurrency ?? null,
    rate: req.source.rate ?? null,
    cluster: req.cluster,
    changeHeuristics: req.changeHeuristics,
    verifyTxids: req.source.verifyTxids,
    cache: req.source.cacheDir !== null,
    ...(req.fiat && { fiat: req.fiat.currency, prices: req.fiat.pricesFile, fx: req.fiat.fxFile }),
  };
}

/** A first line of letters, digits-free, like "address" or "wallet_address": a column name. */
const COLUMN_NAME = /^[A-Za-z_][A-Za-z _-]{0,63}$/;

/**
 * `trace -`: one seed per line from stdin; blank lines and # comments skipped, and a first line
 * that is a column name (`cut -d, -f2 leads.csv | btctrace trace -`) skipped with a note.
 */
export function seedLines(text: string, io: IO): string[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length > 0 && COLUMN_NAME.test(lines[0]!)) {
    io.stderr(`btctrace: skipped the first line "${lines[0]!}": it looks like a column name, not a seed\n`);
    lines.shift();
  }
  return lines;
}

export async function runTraceCommand(
  seedArgs: string[],
  opts: Record<string, unknown>,
  io: IO,
  argv: string[],
  openSource?: (req: SourceRequest) => ChainSource,
  readStdin?: () => Promise<string>,
): Promise<number> {
  if (seedArgs.length === 1 && seedArgs[0] === '-') {
    if (!readStdin) throw new InputError('seeds from stdin ("-") are not available here');
    seedArgs = seedLines(await readStdin(), io);
    if (seedArgs.length === 0) throw new InputError('no seeds on standard input');
  }
  const req = traceRequest(seedArgs, opts);
  if (req.seeds.length === 0) throw new InputError('no seeds given');
  if (req.excel && req.format !== 'csv')
    throw new InputError(`--excel applies to CSV output only (the format here is ${req.format})`);
  const handle = await openSourceHandle(req.source, io, openSource);
  try {
    const source = handle.source;
    const pricer = req.fiat ? openPricer(req.fiat, req.source, handle.transport) : undefined;
    const run = await executeTrace(req, {
      io,
      argv,
      openSource: () => source,
      ...(pricer && { pricer }),
      ...(handle.attribution && { attribution: handle.attribution }),
    });
    if (req.output) {
      const counts: Record<string, number> = {
        rows: run.result.rows.length,
        transactions: run.result.txs.length,
        ...handle.counts(),
      };
      const manifest = await writeOutputAndManifest(req.output, run.rendered, { meta: run.meta, counts });
      if (!req.quiet)
        io.stderr(`wrote ${run.result.rows.length} rows to ${req.output} (manifest ${manifest})\n`);
    } else {
      io.stdout(run.rendered);
    }
    if (run.result.partial && !req.quiet) {
      io.stderr(
        `btctrace: PARTIAL RESULT: ${run.result.warnings.join('; ') || 'some outputs could not be followed (see the status column)'}\n`,
      );
    }
    return run.exitCode;
  } finally {
    handle.close();
  }
}
