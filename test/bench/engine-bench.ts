// The local engine's figures: taint propagation per model and common-input clustering over a
// generated graph held in memory (no HTTP), with throughput and memory per transaction.
//
// Run in a child process of its own (runEngineBenchChild) started with --expose-gc, so its
// memory readings start from a clean heap and the peak RSS is this work's alone:
//   node --expose-gc --import tsx test/bench/engine-bench.ts [txCount]
// prints one JSON object (EngineFigures) on stdout.
//
// Memory, as read here:
// - graphBytesPerTx: the typed arrays of the graph, exactly (graphBytes / txCount).
// - stateBytesPerTx (per model): the typed arrays of the model's result, exactly (taint per
//   output, fee per transaction, and the range offsets and pool of the order-based models).
//   (Heap deltas around a run proved unreliable: V8 frees ArrayBuffer memory lazily.)
// - peakRssBytesPerTx: (peak RSS of the process, from resourceUsage().maxRSS, minus the RSS
//   before the graph was generated) / txCount: the whole run's high-water mark, generation
//   included, everything the OS had to give.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  clusterInputs,
  generateGraph,
  graphBytes,
  propagate,
  stateBytes,
  type TxGraph,
} from '../../src/engine/index.js';
import { MODEL_NAMES, type ModelName } from '../../src/trace/taint.js';

export interface ModelFigures {
  model: ModelName;
  /** "model": through the model function; "fast": the typed-array path (haircut, poison). */
  path: 'model' | 'fast';
  ms: number;
  /** Transactions of the graph per second (clean ones are skipped after a look at their inputs). */
  txPerSecond: number;
  /** Transactions with a tainted input (each one a model computation). */
  taintedTxs: number;
  taintedTxPerSecond: number;
  stateBytesPerTx: number;
}

export interface EngineFigures {
  txCount: number;
  inputs: number;
  outputs: number;
  addresses: number;
  seeds: number;
  generateMs: number;
  graphBytesPerTx: number;
  models: ModelFigures[];
  cluster: { ms: number; inputsPerSecond: number; clusters: number; merges: number };
  peakRssBytesPerTx: number;
  /** How memory was read (the GC was exposed, or not). */
  memoryNote: string;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Seeds: every output of the first 1,000 transactions (coinbases), about 2,000 outputs. */
export function engineSeeds(g: TxGraph): Int32Array {
  const last = Math.min(g.txCount, 1000);
  return Int32Array.from({ length: g.outStart[last]! }, (_, o) => o);
}

export function runEngineBench(txCount: number): EngineFigures {
  gc();
  const rssBefore = process.memoryUsage().rss;
  let t = performance.now();
  const g = generateGraph({ txCount, seed: 7 });
  const generateMs = performance.now() - t;
  gc();
  const seeds = engineSeeds(g);
  const models: ModelFigures[] = [];
  const runs: [ModelName, boolean][] = [
    ...MODEL_NAMES.map((m): [ModelName, boolean] => [m, false]),
    ['haircut', true],
    ['poison', true],
  ];
  for (const [model, fast] of runs) {
    gc();
    t = performance.now();
    const s = propagate(g, model, seeds, { fast });
    const ms = performance.now() - t;
    models.push({
      model,
      path: fast ? 'fast' : 'model',
      ms,
      txPerSecond: (txCount / ms) * 1000,
      taintedTxs: s.taintedTxs,
      taintedTxPerSecond: (s.taintedTxs / ms) * 1000,
      stateBytesPerTx: stateBytes(s) / txCount,
    });
  }
  gc();
  t = performance.now();
  const c = clusterInputs(g);
  const clusterMs = performance.now() - t;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  return {
    txCount,
    inputs: g.inStart[txCount]!,
    outputs: g.outStart[txCount]!,
    addresses: g.addressCount,
    seeds: seeds.length,
    generateMs,
    graphBytesPerTx: graphBytes(g) / txCount,
    models,
    cluster: {
      ms: clusterMs,
      inputsPerSecond: (c.inputs / clusterMs) * 1000,
      clusters: c.clusters,
      merges: c.merges,
    },
    peakRssBytesPerTx: Math.max(0, peakRss - rssBefore) / txCount,
    memoryNote:
      typeof (globalThis as { gc?: unknown }).gc === 'function'
        ? 'state: bytes of the typed arrays; peak: maxRSS - RSS before generation, with a full GC (--expose-gc) between runs'
        : 'state: bytes of the typed arrays; peak: maxRSS - RSS before generation (GC not exposed: garbage of earlier runs may count)',
  };
}

/** Runs the engine bench in a fresh `node --expose-gc` child and returns its figures. */
export function runEngineBenchChild(txCount: number): EngineFigures {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, String(txCount)], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`engine bench child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as EngineFigures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv[2] ?? 1_000_000);
  process.stdout.write(JSON.stringify(runEngineBench(n)) + '\n');
}
