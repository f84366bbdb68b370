// `btctrace trace`: options -> TraceRequest (trace-request.ts) -> runWalk (trace-run.ts) -> render.
import { InputError } from '../model/errors.js';
import type { ChainSource } from '../sources/source.js';
import type { LabelBook } from '../labels/label.js';
import { renderTrace, traceJson } from '../output/index.js';
import { renderGraph } from '../report/graph/index.js';
import { terminalWidth } from '../output/fit.js';
import { conservationJson } from '../output/json.js';
import { writeOutputAndManifest } from '../output/manifest.js';
import type { IO } from './io.js';
import { openSourceHandle, type SourceRequest } from './source-options.js';
import { openPricer } from './fiat.js';
import { runWalk, type TraceDeps, type WalkRun } from './trace-run.js';
import { seedArguments, traceRequest, type TraceRequest } from './trace-request.js';

export type { OutputFormat } from '../output/format.js';
export { effectiveOptions, seedLines, traceRequest, type TraceRequest } from './trace-request.js';
export { runWalk, type TraceDeps, type WalkRun } from './trace-run.js';

export interface TraceRun extends WalkRun {
  rendered: string;
  exitCode: number;
}

/** Runs a trace and renders it; does not write anything. */
export async function executeTrace(
  req: TraceRequest,
  deps: TraceDeps,
  labels?: LabelBook,
): Promise<TraceRun> {
  const walk = await runWalk(req, deps, labels);
  const { result, meta, fiat } = walk;
  const { io } = deps;
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
          width: terminalWidth(io),
          wide: req.wide,
          ...(fiat && { fiat }),
        });
  if (req.excel && req.format === 'csv') rendered = `\uFEFF${rendered}`;
  return { ...walk, rendered, exitCode: result.partial ? 1 : 0 };
}

export async function runTraceCommand(
  seedArgs: string[],
  opts: Record<string, unknown>,
  io: IO,
  argv: string[],
  openSource?: (req: SourceRequest) => ChainSource,
  readStdin?: () => Promise<string>,
): Promise<number> {
  seedArgs = await seedArguments(seedArgs, opts, io, readStdin);
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
      const manifest = await writeOutputAndManifest(req.output, run.rendered, {
        meta: run.meta,
        counts,
        conservation: conservationJson(run.result),
      });
      if (!req.quiet)
        io.stderr(`wrote ${run.result.rows.length} rows to ${req.output} (manifest ${manifest})\n`);
    } else {
      io.stdout(run.rendered);
    }
    if (run.result.partial && !req.quiet) {
      io.stderr(
        // the warnings themselves were printed as they came (progress.ts): not a second time
        `btctrace: PARTIAL RESULT: ${run.result.warnings.length > 0 ? `see the ${run.result.warnings.length === 1 ? 'warning' : `${run.result.warnings.length} warnings`} above` : 'some outputs could not be followed (see the status column)'}; the result is written and marked partial\n`,
      );
    }
    return run.exitCode;
  } finally {
    handle.close();
  }
}
