// One seed of a batch: trace it with the batch's shared explorer client, write its file and
// manifest as a pair, and return its summary row (failed, not thrown, for bad data or input).
// A seed that has started is finished and written even after Ctrl-C: that work is kept.
import path from 'node:path';
import { InputError } from '../model/errors.js';
import type { ChainSource } from '../sources/source.js';
import { SourceError } from '../sources/errors.js';
import { SeedsFailedError } from '../trace/errors.js';
import type { LabelBook } from '../labels/label.js';
import { writeOutputAndManifest } from '../output/manifest.js';
import { summarize } from '../output/summary.js';
import { conservationJson } from '../output/json.js';
import type { RowInputs } from './batch-fingerprint.js';
import type { BatchJob } from './batch-resume.js';
import { emptyRow, type SummaryRow } from './batch-summary.js';
import type { IO } from './io.js';
import { executeTrace, type TraceRequest } from './trace.js';
import type { GraphSenseAttribution } from '../sources/graphsense/attribution.js';

export interface JobContext {
  io: IO;
  argv: string[];
  trace: Omit<TraceRequest, 'seeds' | 'output'>;
  source: ChainSource;
  /** With --provider graphsense: its tags and entities (src/cli/backend-labels.ts). */
  attribution?: GraphSenseAttribution;
  tags: LabelBook;
  inputs: RowInputs;
}

export async function traceJob(job: BatchJob, ctx: JobContext): Promise<SummaryRow> {
  try {
    const run = await executeTrace(
      { ...ctx.trace, seeds: [job.seed], output: job.file, quiet: true },
      {
        io: ctx.io,
        argv: ctx.argv,
        openSource: () => ctx.source,
        ...(ctx.attribution && { attribution: ctx.attribution }),
      },
      ctx.tags,
    );
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
      rowInputs: ctx.inputs,
      conservation: conservationJson(run.result),
    });
    return {
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
    };
  } catch (e) {
    if (e instanceof InputError || e instanceof SourceError || e instanceof SeedsFailedError)
      return emptyRow(job.line, 'failed', e.message);
    throw e;
  }
}
