// `npm run bench`: how close btctrace comes to the floor an explorer sets, and whether its
// local work could ever be the bottleneck.
//
//   npx tsx test/bench/run.ts [--short] [--json <file>] [--latencies 0,20,80] [--rate <req/s>]
//                             [--concurrency 8] [--parallel 16] [--cases peel,fanout,...]
//                             [--no-walk] [--walk-sizes 10000,100000,1000000] [--no-startup]
//                             [--in-process] [--no-labels]
//
// For every case x latency: a loopback Esplora server (in a child process, like a remote host)
// with that latency, the trace run through the CLI's own code (executeTrace / runBatch) over
// the real HTTP client, and:
//   wall      time of the trace (or of the whole batch); cpu: the client process's CPU time in it
//   requests  HTTP requests the server saw; repeated: resources answered more than once
//   critical  round trips that must follow one another (critical.ts: address page(s), then one
//             per hop of the spend DAG reached)
//   bound     max(critical x latency, requests / rate)            (the issue's lower bound)
//   window    with at most `concurrency` requests in flight no client can finish sooner:
//             latency x max over d of (d - 1 + ceil(requests of depth >= d / concurrency))
//             (critical.ts windowRounds; d = 1 is requests / concurrency). Wide cases are bound
//             by this, not by `bound`.
//   ratio     wall / max(bound, window); "vs bound" is wall / bound alone (n/a at 0 ms)
// Every measured trace's CSV is compared byte for byte with a strictly sequential run
// (concurrency 1, no bulk outspends, no latency), which also warms the code up.
// Then the trace walk over generated graphs (walk-bench.ts: 10k and 100k transactions, every
// model; 10k with --short; --walk-sizes adds 1M, a few minutes more), the start-up time of `btctrace --version`, and the CoinJoin
// detectors against ../shared/realdata/coinjoin (coinjoin-bench.ts), and the label store's import
// of ../shared/realdata/tagpacks and a 2,000-address lookup (labels-bench.ts). Results go to stdout as
// tables and to a JSON file.
// Exit code 1 when any output disagrees or any resource was asked twice.

import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { benchCase, CASE_NAMES, type CaseName, type CaseSize } from './cases.js';
import { runWalkBenchChild, type WalkFigures } from './walk-bench.js';
import { simulateSchedule, type ScheduleFigures } from './schedule-sim.js';
import { MODEL_NAMES } from '../../src/trace/taint.js';
import { runCase, type RunSettings } from './run-case.js';
import { windowRounds } from './critical.js';
import { measureStartup, type StartupFigures } from './startup.js';
import { DEFAULT_DIR as COINJOIN_DIR, loadSet, runCoinJoinBench } from './coinjoin-bench.js';
import { DEFAULT_TAGPACKS, formatLabelsFigures, runLabelsBench } from './labels-bench.js';

const REPO = path.resolve(fileURLToPath(import.meta.url), '../../..');

export interface BenchOptions {
  short: boolean;
  latencies: number[];
  /** Requests per second (client and server); 0 = no rate limit. */
  rate: number;
  concurrency: number;
  /** Seeds traced at once in the batch case. */
  parallel: number;
  cases: CaseName[];
  engine: boolean;
  /** Graph sizes for the walk table (default 10k and 100k; 10k with --short). */
  walkSizes: number[];
  startup: boolean;
  /** Run the loopback server in a child process (as a remote host would be); false: in process. */
  serverProcess: boolean;
  /** Where the batch case writes its files (removed at the end). */
  workDir: string;
  log: (line: string) => void;
}

export interface CaseRow {
  case: CaseName;
  description: string;
  transactions: number;
  latencyMs: number;
  wallMs: number;
  /** CPU time the client (this process) used during the run: btctrace's own work. */
  cpuMs: number;
  requests: number;
  repeated: number;
  critical: number;
  boundMs: number;
  windowMs: number;
  /** wall / max(bound, window); null at 0 ms latency. */
  ratio: number | null;
  /** wall / bound (the issue's definition); null at 0 ms latency. */
  ratioVsBound: number | null;
  rows: number;
  /** CSV identical to the sequential reference run. */
  agrees: boolean;
}

export interface BenchResults {
  generatedAt: string;
  machine: { cpus: number; cpuModel: string; node: string; memoryGiB: number };
  settings: Omit<BenchOptions, 'log' | 'workDir'>;
  cases: CaseRow[];
  /** The real trace walk over generated graphs, per size and model. */
  walk: WalkFigures[] | null;
  /** The request schedule in virtual time (schedule-sim.ts), deeper-first and plain FIFO. */
  schedule: ScheduleFigures[];
  startup: StartupFigures | null;
  ok: boolean;
}

function sameCsv(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

export async function runBench(o: BenchOptions): Promise<BenchResults> {
  const size: CaseSize = o.short ? 'short' : 'full';
  const rows: CaseRow[] = [];
  mkdirSync(o.workDir, { recursive: true });
  for (const name of o.cases) {
    const c = benchCase(name, size);
    const chain = c.builder.chain();
    const base: RunSettings = {
      latencyMs: 0,
      concurrency: 1,
      bulk: false,
      rate: 0,
      model: 'haircut',
      parallel: 1,
    };
    const reference = await runCase(c, chain, base, o.workDir);
    o.log(
      `${name}: ${c.description}; ${c.builder.entries.length} transactions; reference run ${reference.rows} rows`,
    );
    for (const latencyMs of o.latencies) {
      const run = await runCase(
        c,
        chain,
        {
          latencyMs,
          concurrency: o.concurrency,
          bulk: true,
          rate: o.rate,
          model: 'haircut',
          parallel: o.parallel,
          serverProcess: o.serverProcess,
        },
        o.workDir,
      );
      const boundMs = Math.max(run.critical * latencyMs, o.rate > 0 ? (run.requests / o.rate) * 1000 : 0);
      const windowMs = windowRounds(run.depths, o.concurrency) * latencyMs;
      const floor = Math.max(boundMs, windowMs);
      const row: CaseRow = {
        case: name,
        description: c.description,
        transactions: c.builder.entries.length,
        latencyMs,
        wallMs: run.wallMs,
        cpuMs: run.cpuMs,
        requests: run.requests,
        repeated: run.repeated.length,
        critical: run.critical,
        boundMs,
        windowMs,
        ratio: floor > 0 ? run.wallMs / floor : null,
        ratioVsBound: boundMs > 0 ? run.wallMs / boundMs : null,
        rows: run.rows,
        agrees: sameCsv(run.csv, reference.csv),
      };
      rows.push(row);
      o.log(
        `  ${latencyMs} ms: wall ${row.wallMs.toFixed(0)} ms, ${row.requests} requests, critical ${row.critical}, ratio ${row.ratio?.toFixed(2) ?? 'n/a'}${row.agrees ? '' : ' OUTPUT DIFFERS'}`,
      );
    }
  }
  // The schedule alone, in virtual time: no machine load in it, so before/after is exact.
  const schedule: ScheduleFigures[] = [];
  for (const name of o.cases) {
    const c = benchCase(name, size);
    if (c.batch) continue;
    const chain = c.builder.chain();
    for (const latencyMs of o.latencies.filter((l) => l > 0))
      for (const fifo of [false, true])
        schedule.push(await simulateSchedule(c, chain, latencyMs, o.concurrency, fifo));
  }
  // 1M transactions only when asked (--walk-sizes): haircut and poison walk most of the graph
  // there, which takes minutes on a loaded 2-core machine.
  const walk = o.engine ? o.walkSizes.flatMap((n) => MODEL_NAMES.map((m) => runWalkBenchChild(n, m))) : null;
  // The start-up figures run the built CLI (dist/, made by `npm ci` or `npm run build`).
  const built = existsSync(path.join(REPO, 'dist/cli/main.js'));
  if (o.startup && !built) o.log('start-up: skipped, dist/ is not built (npm run build)');
  const startup = o.startup && built ? await measureStartup(REPO, o.short ? 5 : 15) : null;
  rmSync(o.workDir, { recursive: true, force: true });
  const { log: _log, workDir: _work, ...settings } = o;
  return {
    generatedAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      node: process.version,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    },
    settings,
    cases: rows,
    walk,
    schedule,
    startup,
    ok: rows.every((r) => r.agrees && r.repeated === 0),
  };
}

const fmt = (x: number | null, digits = 0): string => (x === null ? 'n/a' : x.toFixed(digits));

export function formatResults(r: BenchResults): string {
  const out: string[] = [];
  const style = { head: [], border: [] };
  // One line per row: no separators between body rows.
  const chars = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };
  const t = new Table({
    head: [
      'case',
      'latency ms',
      'wall ms',
      'cpu ms',
      'requests',
      'repeated',
      'critical',
      'bound ms',
      'window ms',
      'ratio',
      'vs bound',
      'CSV',
    ],
    style,
    chars,
  });
  for (const c of r.cases) {
    t.push([
      c.case,
      c.latencyMs,
      fmt(c.wallMs),
      fmt(c.cpuMs),
      c.requests,
      c.repeated,
      c.critical,
      fmt(c.boundMs),
      fmt(c.windowMs),
      fmt(c.ratio, 2),
      fmt(c.ratioVsBound, 2),
      c.agrees ? 'same' : 'DIFFERS',
    ]);
  }
  out.push(
    `Explorer-bound traces (concurrency ${r.settings.concurrency}, bulk outspends, ${r.settings.rate > 0 ? `${r.settings.rate} req/s` : 'no rate limit'}, batch ${r.settings.parallel} seeds at a time)`,
    t.toString(),
    'bound = max(critical x latency, requests / rate); window = latency x max_d (d - 1 + ceil(requests at depth >= d / concurrency));',
    "ratio = wall / max(bound, window); vs bound = wall / bound; cpu = the client process's CPU time during the run;",
    'CSV = identical to a sequential run',
  );
  if (r.schedule.length > 0) {
    const q = new Table({
      head: [
        'schedule',
        'latency ms',
        'queue',
        'requests',
        'critical',
        'virtual wall ms',
        'window ms',
        'ratio',
      ],
      style,
      chars,
    });
    for (const x of r.schedule) {
      q.push([
        x.case,
        x.latencyMs,
        x.fifo ? 'fifo (before)' : 'deeper first',
        x.requests,
        x.critical,
        fmt(x.wallMs),
        fmt(x.windowMs),
        fmt(x.ratio, 2),
      ]);
    }
    out.push(
      '',
      `The request schedule in virtual time (schedule-sim.ts: executeTrace, Esplora source, the transport's queue; every request takes exactly the latency, ${r.settings.concurrency} in flight):`,
      q.toString(),
      'ratio = virtual wall / max(window, critical x latency): the schedule alone, without CPU time or machine load',
    );
  }
  if (r.walk) {
    const m = new Table({
      head: [
        'walk',
        'txs',
        'seeds',
        'walked txs',
        'rows',
        'ms',
        'cpu ms',
        'tx/s',
        'µs/tx vs smallest',
        'walk B/tx',
        'source B/tx',
        'peak RSS B/tx',
      ],
      style,
      chars,
    });
    for (const x of r.walk) {
      const first = r.walk.find((y) => y.model === x.model)!;
      m.push([
        x.model,
        x.txCount.toLocaleString('en'),
        x.seeds,
        x.walkedTxs.toLocaleString('en'),
        x.rows.toLocaleString('en'),
        fmt(x.ms),
        fmt(x.cpuMs),
        fmt(x.txPerSecond),
        fmt(first.txPerSecond / x.txPerSecond, 2),
        fmt(x.walkBytesPerTx),
        fmt(x.sourceBytesPerTx, 1),
        fmt(x.peakRssBytesPerTx),
      ]);
    }
    out.push(
      '',
      "The trace walk (the CLI's trace(), in memory, no HTTP): generated graphs, forward, unbounded hops, --min-sat 0",
      m.toString(),
      'tx/s = walked transactions / wall ms; µs/tx vs smallest = time per walked transaction relative to the smallest graph (1.00 = linear);',
      'walk B/tx = heap held by the walk and its result per walked transaction (after GC); source B/tx = the graph itself',
    );
  }
  const s = r.startup;
  if (s) {
    const st = new Table({ head: ['start-up', 'wall ms', 'cpu ms'], style, chars });
    st.push(
      ['node -e 0', fmt(s.nodeMs), fmt(s.nodeCpuMs)],
      ['btctrace --version', fmt(s.versionMs), fmt(s.versionCpuMs)],
      ['offline demo trace (npm run demo, table)', fmt(s.demoTableMs), fmt(s.demoTableCpuMs)],
      ['offline demo trace, --format csv', fmt(s.demoCsvMs), fmt(s.demoCsvCpuMs)],
      ['live trace: spawn to first request (loopback)', fmt(s.firstRequestMs), ''],
    );
    out.push(
      '',
      `Start-up (startup.ts: the built CLI in fresh processes; minimum of ${s.runs} interleaved runs; cpu = the process's own CPU time)`,
      st.toString(),
    );
  }
  return out.join('\n');
}

function parseArgs(argv: string[]): { options: BenchOptions; json: string } {
  const has = (f: string) => argv.includes(f);
  const value = (f: string): string | undefined => {
    const i = argv.indexOf(f);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const short = has('--short');
  const list = (s: string) => s.split(',').filter((x) => x !== '');
  const cases = list(value('--cases') ?? CASE_NAMES.join(','));
  for (const c of cases) {
    if (!(CASE_NAMES as readonly string[]).includes(c))
      throw new Error(`--cases: unknown case ${c} (${CASE_NAMES.join(', ')})`);
  }
  const options: BenchOptions = {
    short,
    latencies: list(value('--latencies') ?? (short ? '0,20' : '0,20,80')).map(Number),
    rate: Number(value('--rate') ?? 0),
    concurrency: Number(value('--concurrency') ?? 8),
    parallel: Number(value('--parallel') ?? 16),
    cases: cases as CaseName[],
    engine: !has('--no-walk'),
    walkSizes: list(value('--walk-sizes') ?? (short ? '10000' : '10000,100000')).map(Number),
    startup: !has('--no-startup'),
    serverProcess: !has('--in-process'),
    workDir: path.join(os.tmpdir(), `btctrace-bench-${process.pid}`),
    log: (line) => process.stderr.write(line + '\n'),
  };
  return { options, json: value('--json') ?? path.join(REPO, 'test/bench/results.json') };
}

async function main(): Promise<void> {
  const { options, json } = parseArgs(process.argv.slice(2));
  const results = await runBench(options);
  process.stdout.write(formatResults(results) + '\n');
  writeFileSync(json, JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(`\nresults written to ${json}\n`);
  // CoinJoin detectors against the shared labelled set (coinjoin-bench.ts); skipped when absent
  if (existsSync(path.join(COINJOIN_DIR, 'labels.csv'))) {
    process.stdout.write('\n' + runCoinJoinBench(loadSet(COINJOIN_DIR)).text + '\n');
  } else process.stdout.write(`\ncoinjoin bench: skipped, ${COINJOIN_DIR} is absent\n`);
  // The label store: import of the real TagPack collection and a 2,000-address lookup
  if (!process.argv.includes('--no-labels')) {
    const labels = runLabelsBench();
    process.stdout.write(
      '\n' +
        (labels ? formatLabelsFigures(labels) : `labels bench: skipped, ${DEFAULT_TAGPACKS} is absent`) +
        '\n',
    );
  }
  if (!results.ok) {
    process.stderr.write(
      'bench: FAILED: an output differs from the sequential run, or a resource was asked twice\n',
    );
    process.exitCode = 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
