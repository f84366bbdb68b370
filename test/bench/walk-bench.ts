// The walk users run, measured: the same trace() the CLI calls (as tsc built it into dist/),
// over a generated graph of 10k/100k/1M transactions held in memory (GraphSource:
// no HTTP, no JSON, every answer built before the clock starts), for each model.
//
// Run in a child process of its own started with --expose-gc, so its memory readings start from
// a clean heap:   node --expose-gc --import tsx test/bench/walk-bench.ts <txCount> <model>
// prints one JSON object (WalkFigures) on stdout.
//
// Memory, as read here:
// - sourceBytesPerTx: the source's own data: heap the held transactions and outspends take
//   (after GC), plus the graph's typed arrays.
// - walkBytesPerTx: heap used with the trace result held, minus heap used before the trace,
//   after a full GC each time, per transaction the walk visited: the rows, the per-transaction
//   taint state and whatever the walk keeps alive. Garbage made on the way is not counted.
// - peakRssBytesPerTx: (maxRSS - RSS before the graph was generated) / txCount: the whole
//   child's high-water mark, generation and garbage included.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Seed } from '../../src/model/seed.js';
import type { ModelName } from '../../src/trace/taint.js';
import { generateGraph } from './graph/generate.js';
import { graphBytes } from './graph/graph.js';
import { GraphSource, graphTxid } from './graph/source.js';

// The walk as tsc compiled it into dist/ (npm run bench builds first): the code the CLI's bundle
// is made from, without vitest's or tsx's transforms. Loaded by the measuring child only, so
// importing this module (run.ts, the bench tests) needs no build.
async function builtWalk() {
  const dist = (m: string) => new URL(`../../dist/${m}`, import.meta.url).href;
  if (!existsSync(new URL(dist('trace/walk.js'))))
    throw new Error('walk bench: dist/ holds no build; run npm run build (npm run bench does)');
  const { trace } = (await import(dist('trace/walk.js'))) as typeof import('../../src/trace/walk.js');
  const { MODELS } = (await import(
    dist('trace/models/index.js')
  )) as typeof import('../../src/trace/models/index.js');
  const { EMPTY_BOOK } = (await import(
    dist('labels/memory-book.js')
  )) as typeof import('../../src/labels/memory-book.js');
  return { trace, MODELS, EMPTY_BOOK };
}

export interface WalkFigures {
  txCount: number;
  model: ModelName;
  seeds: number;
  /** Transactions the walk computed (each one carried taint). */
  walkedTxs: number;
  rows: number;
  ms: number;
  /** CPU time of the walk (this process, all threads: GC helpers included). */
  cpuMs: number;
  txPerSecond: number;
  sourceBytesPerTx: number;
  walkBytesPerTx: number;
  peakRssBytesPerTx: number;
  gc: boolean;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Seeds: the first transaction's outputs of every 100th of the first 1% (at most 20 seeds). */
export function walkSeeds(txCount: number): Seed[] {
  const lead = Math.max(1, Math.min(1000, Math.floor(txCount / 100)));
  const step = Math.max(1, Math.floor(lead / 20));
  const seeds: Seed[] = [];
  for (let i = 0; i < lead && seeds.length < 20; i += step) {
    const txid = graphTxid(i);
    seeds.push({ kind: 'outpoint', txid, vout: 0, input: `${txid}:0` });
  }
  return seeds;
}

export async function runWalkBench(txCount: number, model: ModelName): Promise<WalkFigures> {
  const { trace, MODELS, EMPTY_BOOK } = await builtWalk();
  gc();
  const rssBefore = process.memoryUsage().rss;
  const g = generateGraph({ txCount, seed: 7 });
  gc();
  const heapEmpty = process.memoryUsage().heapUsed;
  const source = new GraphSource(g);
  const seeds = walkSeeds(txCount);
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const t = performance.now();
  const cpu = process.cpuUsage();
  const result = await trace(
    'forward',
    seeds,
    {
      model: MODELS[model],
      hops: 1_000_000,
      minSat: 0,
      maxTxs: txCount,
      maxAddressTxs: 1000,
      stopAt: ['exchange'],
    },
    { source, labels: EMPTY_BOOK },
  );
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  const walked = result.txs.length;
  const figures: WalkFigures = {
    txCount,
    model,
    seeds: seeds.length,
    walkedTxs: walked,
    rows: result.rows.length,
    ms,
    cpuMs,
    txPerSecond: (walked / ms) * 1000,
    sourceBytesPerTx: (graphBytes(g) + Math.max(0, heapBefore - heapEmpty)) / txCount,
    walkBytesPerTx: Math.max(0, heapAfter - heapBefore) / Math.max(1, walked),
    peakRssBytesPerTx: Math.max(0, process.resourceUsage().maxRSS * 1024 - rssBefore) / txCount,
    gc: typeof (globalThis as { gc?: unknown }).gc === 'function',
  };
  if (result.partial) throw new Error(`walk bench: the trace was partial: ${result.warnings.join('; ')}`);
  return figures;
}

/** Runs one size x model in a fresh `node --expose-gc` child and returns its figures. */
export function runWalkBenchChild(txCount: number, model: ModelName): WalkFigures {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', self, String(txCount), model],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, timeout: 600_000 },
  );
  if (r.status !== 0) throw new Error(`walk bench child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as WalkFigures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv[2] ?? 100_000);
  const model = (process.argv[3] ?? 'haircut') as ModelName;
  process.stdout.write(JSON.stringify(await runWalkBench(n, model)) + '\n');
}
