// One trace run, not yet rendered: the walk with its labels and stop rules, then what is read
// off the transactions it fetched (clusters, inherited labels, change and post-mix flags), the
// run metadata and, with --fiat, the fiat cells. trace, batch and exposure render from this.
import { InputError } from '../model/errors.js';
import type { ChainSource } from '../sources/source.js';
import { createSource } from '../sources/index.js';
import type { Label, LabelBook } from '../labels/label.js';
import { combineBooks } from '../labels/combine.js';
import type { GraphSenseAttribution } from '../sources/graphsense/attribution.js';
import { inheritClusterLabels } from '../labels/inherit.js';
import { getModel } from '../trace/models/index.js';
import type { TraceResult } from '../trace/result.js';
import { trace } from '../trace/walk.js';
import { assessCoinJoin, vetoFindings } from '../cluster/coinjoin/index.js';
import { plural } from '../output/summary.js';
import type { RunMeta } from '../output/meta.js';
import { toolVersion } from '../version.js';
import type { IO } from './io.js';
import { checkStopAt } from './stop-at.js';
import { describeSourceRequest, recordingOf, type SourceRequest } from './source-options.js';
import { Progress } from './progress.js';
import { addChangeFlags, addClusters, addPostMixFlags } from './annotate.js';
import { capturing } from '../sources/capture.js';
import { CheckedSource } from '../sources/checks.js';
import { fiatMeta, valueItems, type FiatPricer, type FiatValues } from '../prices/fiat.js';
import { roundSat } from '../output/amount.js';
import { commandBook } from './label-book.js';
import { effectiveOptions, type TraceRequest } from './trace-request.js';

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

export interface WalkRun {
  result: TraceResult;
  /** Resources this trace asked its source for (each at most once; shared answers count too). */
  resources: number;
  meta: RunMeta;
  /** The labels the walk read (exposure names the lists it checked). */
  book: LabelBook;
  /** With --fiat: every row's fiat cells. */
  fiat?: FiatValues;
}

/**
 * Runs a trace: the walk (labels looked up through `book`, else the request's book), then the
 * annotations read off what it fetched (clusters, inherited labels, change), metadata and fiat.
 */
export async function runWalk(req: TraceRequest, deps: TraceDeps, labels?: LabelBook): Promise<WalkRun> {
  const { io } = deps;
  const startedAt = io.now();
  const fileBook = labels ?? commandBook(req.labelOpts, req.source.network);
  // With a backend's tags, its book fills while the walk reads (--tags and the store stay first).
  // (loaded only then: an explorer or offline run never needs the GraphSense modules)
  const held = new Map<string, readonly Label[]>();
  const backend = deps.attribution ? await import('./backend-labels.js') : null;
  const book = backend ? combineBooks([fileBook, backend.labelBook(held)]) : fileBook;
  checkStopAt(req.stopAt, book);
  const opened = (deps.openSource ?? ((r: SourceRequest) => createSource(r)))(req.source);
  // This run's own check counts for its metadata (an injected test source has none).
  const checked = opened instanceof CheckedSource ? opened.forRun() : null;
  const reading = checked ?? opened;
  const { source: seen, captured } = capturing(
    backend && deps.attribution ? backend.withBackendLabels(reading, deps.attribution, held) : reading,
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
      stopAtLabels: req.stopAtLabels,
    },
    {
      source,
      labels: book,
      // flags "coinjoin:<detector>:<confidence>", for findings at or above the veto threshold
      classify: (tx) =>
        vetoFindings(assessCoinJoin(tx), req.coinjoinVeto).map((f) => `${f.name}:${f.confidence}`),
      onProgress: (p) => progress.update(`${p.txs} transactions, ${source.stats().requests} requests`),
      onWarning: (w) => progress.warn(w),
    },
  );
  progress.done();
  const partialReasons = markCutHistories(result, cut, req.maxAddressTxs);
  if (req.cluster && backend && deps.attribution) await backend.addBackendClusters(result, deps.attribution);
  else if (req.cluster) {
    const clusterOf = addClusters(result, captured, req.coinjoinVeto);
    inheritClusterLabels(result.rows, clusterOf, book, req.inheritLabels);
  }
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
        ? `; labels: --tags and the label store, then ${deps.attribution.description}` +
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
  const recording = recordingOf(req.source);
  if (recording) meta.recording = recording;
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
  return { result, meta, book, resources: captured.resources, ...(fiat && { fiat }) };
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
