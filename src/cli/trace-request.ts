// `btctrace trace` options -> TraceRequest: every option checked before any request is made,
// and the effective options a run's metadata records. Shared by trace, batch and exposure.
import { parseSeeds, type Seed } from '../model/seed.js';
import { InputError } from '../model/errors.js';
import { readSeedList } from './seed-list.js';
import { NETWORK_NAMES } from '../model/address.js';

import type { Direction } from '../trace/result.js';
import { MODEL_NAMES, type ModelName } from '../trace/taint.js';
import { parseVetoThreshold, type Confidence } from '../cluster/coinjoin/index.js';
import type { IO } from './io.js';
import { checkWritableFile, optString, parseCategoryList, parseChoice, parseIntOption } from './parse.js';
import { OUTPUT_FORMATS, resolveFormat, STDOUT_FILE, type OutputFormat } from '../output/format.js';
import { parseStopAtLabels } from './stop-at.js';
import { sourceRequest, type SourceRequest } from './source-options.js';
import { parseChangeHeuristicNames } from '../cluster/change/index.js';
import { fiatRequest, type FiatRequest } from './fiat.js';

export interface TraceRequest {
  seeds: Seed[];
  direction: Direction;
  hops: number;
  model: ModelName;
  minSat: number;
  maxTxs: number;
  maxAddressTxs: number;
  tagsFile: string | null;
  /** The label options (--tags and the label store's), as commandBook reads them. */
  labelOpts: Record<string, unknown>;
  /** Categories and abuse terms to stop at; "coinjoin" stops at CoinJoins. */
  stopAt: string[];
  /** Entity labels to stop at. */
  stopAtLabels: string[];
  /** With --cluster: show every member's label for the others, not only cluster-defining ones. */
  inheritLabels: boolean;
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

/** The options the label book is made from (--tags, and the store's --labels-db / --no-labels). */
export function labelOptions(opts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['tags', 'labelsDb', 'labels']) if (opts[k] !== undefined) out[k] = opts[k];
  return out;
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
    labelOpts: labelOptions(opts),
    stopAt: parseCategoryList('--stop-at', str('stopAt', 'exchange')),
    stopAtLabels: parseStopAtLabels(opts.stopAtLabel),
    inheritLabels: opts.inheritLabels === true,
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

export function effectiveOptions(req: TraceRequest): Record<string, unknown> {
  return {
    direction: req.direction,
    hops: req.hops,
    model: req.model,
    minSat: req.minSat,
    maxTxs: req.maxTxs,
    maxAddressTxs: req.maxAddressTxs,
    tags: req.tagsFile,
    stopAt: req.stopAt,
    ...(req.stopAtLabels.length > 0 && { stopAtLabels: req.stopAtLabels }),
    ...(req.inheritLabels && { inheritLabels: true }),
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

/** `trace -`: seeds from stdin, one per line or a --column of a CSV (seed-list.ts). */
export function seedLines(text: string, io: IO, opts: Record<string, unknown> = {}): string[] {
  return readSeedList(text, {
    source: 'standard input',
    column: typeof opts.column === 'string' ? opts.column : null,
    network: parseChoice('--network', optString(opts, 'network', 'mainnet'), NETWORK_NAMES),
    note: (m) => io.stderr(`btctrace: ${m}\n`),
  }).map((l) => l.input);
}

/** The seeds as given, or with `-` the seed list on stdin (trace and exposure alike). */
export async function seedArguments(
  seedArgs: string[],
  opts: Record<string, unknown>,
  io: IO,
  readStdin?: () => Promise<string>,
): Promise<string[]> {
  if (seedArgs.length === 1 && seedArgs[0] === '-') {
    if (!readStdin) throw new InputError('seeds from stdin ("-") are not available here');
    const seeds = seedLines(await readStdin(), io, opts);
    if (seeds.length === 0) throw new InputError('no seeds on standard input');
    return seeds;
  }
  if (typeof opts.column === 'string')
    throw new InputError(`--column ${opts.column}: applies to a seed list read from stdin ("-")`);
  return seedArgs;
}
