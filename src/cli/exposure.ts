// `btctrace exposure <seed...>`: the trace options, run forward and backward (by default), and
// the exposure of the seed funds to every labelled entity, category and abuse term reached.
import { InputError } from '../model/errors.js';
import type { ChainSource } from '../sources/source.js';
import { exposureOf } from '../exposure/exposure.js';
import { exposureCsv, exposureJson, exposureTable, type ExposureReport } from '../exposure/render.js';
import { writeOutputAndManifest } from '../output/manifest.js';
import { metaJson, type RunMeta } from '../output/meta.js';
import { resolveFormat, STDOUT_FILE } from '../output/format.js';
import type { Direction } from '../trace/result.js';
import type { IO } from './io.js';
import { commandBook } from './label-book.js';
import { checkWritableFile, optString, parseChoice } from './parse.js';
import { openSourceHandle, type SourceRequest } from './source-options.js';
import { effectiveOptions, seedArguments, traceRequest } from './trace-request.js';
import { runWalk, type WalkRun } from './trace-run.js';

const DIRECTIONS = ['both', 'forward', 'backward'] as const;

export async function runExposureCommand(
  seedArgs: string[],
  opts: Record<string, unknown>,
  io: IO,
  argv: string[],
  openSource?: (req: SourceRequest) => ChainSource,
  readStdin?: () => Promise<string>,
): Promise<number> {
  seedArgs = await seedArguments(seedArgs, opts, io, readStdin);
  const which = parseChoice('--direction', optString(opts, 'direction', 'both'), DIRECTIONS);
  const outFile = typeof opts.output === 'string' && opts.output !== STDOUT_FILE ? opts.output : null;
  const format = resolveFormat(
    typeof opts.format === 'string' ? opts.format : undefined,
    outFile,
    ['table', 'csv', 'json'] as const,
    'table',
  );
  const output = outFile === null ? null : checkWritableFile('--output', outFile);
  // The walk's own options; its format and output are this command's, not a trace file's.
  const req = traceRequest(seedArgs, { ...opts, direction: 'forward', format: 'table', output: undefined });
  if (req.seeds.length === 0) throw new InputError('no seeds given');
  const book = commandBook(req.labelOpts, req.source.network);
  const directions: Direction[] = which === 'both' ? ['forward', 'backward'] : [which];
  const handle = await openSourceHandle(req.source, io, openSource);
  try {
    const source = handle.source;
    const walks: WalkRun[] = [];
    for (const direction of directions)
      walks.push(await runWalk({ ...req, direction }, { io, argv, openSource: () => source }, book));
    const meta: RunMeta = {
      ...walks[0]!.meta,
      options: { ...effectiveOptions(req), direction: which, format, output },
      partial: walks.some((w) => w.result.partial),
      warnings: walks.flatMap((w) => w.result.warnings),
      partialReasons: walks.flatMap((w) => w.meta.partialReasons ?? []),
      finishedAt: io.now().toISOString(),
      requests: source.stats().requests,
    };
    const report: ExposureReport = {
      seeds: req.seeds.map((s) => s.input),
      exposures: walks.map((w) => exposureOf(w.result)),
      lists: book.lists(),
      meta: metaJson(meta, undefined, { runRecord: false }),
    };
    const text =
      format === 'csv'
        ? exposureCsv(report)
        : format === 'json'
          ? exposureJson(report)
          : exposureTable(report, output === null && io.stdoutIsTTY && !io.env.NO_COLOR);
    if (output) {
      const lines = report.exposures.reduce((n, e) => n + e.lines.length, 0);
      const manifest = await writeOutputAndManifest(output, text, {
        meta,
        counts: { lines, ...handle.counts() },
      });
      if (!req.quiet) io.stderr(`wrote ${lines} exposure lines to ${output} (manifest ${manifest})\n`);
    } else io.stdout(text);
    if (meta.partial && !req.quiet)
      io.stderr(
        `btctrace: PARTIAL RESULT: ${meta.warnings.join('; ') || 'part of the flow was not explored'}\n`,
      );
    return meta.partial ? 1 : 0;
  } finally {
    handle.close();
  }
}
