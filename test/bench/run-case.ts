// Runs one bench case through the real code path: the CLI's own request parsing and
// executeTrace (or runBatch for the batch case), over the real HTTP client (createSource with
// apiUrl = a loopback server), and returns what was measured plus the CSV of every trace.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import path from 'node:path';
import { runBatch } from '../../src/cli/batch.js';
import type { IO } from '../../src/cli/io.js';
import { executeTrace, traceRequest } from '../../src/cli/trace.js';
import { createSource } from '../../src/sources/index.js';
import type { MemoryChain } from '../support/memory.js';
import type { ModelName } from '../../src/trace/taint.js';
import type { BenchCase } from './cases.js';
import { requestDepths } from './critical.js';
import { repeatedResources, startBenchServer, type BenchServer, type BenchServerOptions } from './server.js';
import { startServerProcess } from './server-process.js';

export interface RunSettings {
  latencyMs: number;
  /** Extra random delay per answer in [0, jitterMs): answers arrive out of order. */
  jitterMs?: number;
  jitterSeed?: number;
  /** Requests in flight at once (HTTP transport). */
  concurrency: number;
  /** Ask outspends through GET /txs/outspends?txids= (the loopback server has it, like mempool.space). */
  bulk: boolean;
  /** Requests per second for the client, and a token bucket on the server; 0 = none. */
  rate: number;
  model: ModelName;
  /** Seeds traced at once in the batch case. */
  parallel: number;
  /**
   * Run the server in a child process (its CPU not charged to the client, as with a real
   * explorer). Needs a case made by benchCase(); default false (in-process, for tests).
   */
  serverProcess?: boolean;
}

export interface CaseRun {
  wallMs: number;
  /** CPU time of this process during the run (user + system): the client's own work. */
  cpuMs: number;
  /** HTTP requests the server saw (429s included). */
  requests: number;
  /** Resources answered more than once (should be none). */
  repeated: string[];
  /** Round trips that must happen one after another (critical.ts). */
  critical: number;
  /** Depth of each answered request (critical.ts), for the window bound. */
  depths: number[];
  /** Trace CSV per output file name (one per seed for the batch, else "trace.csv"). */
  csv: Map<string, string>;
  /** Rows in all traces. */
  rows: number;
}

function quietIO(): IO {
  return {
    stdout: () => {},
    stderr: () => {},
    stderrIsTTY: false,
    stdoutIsTTY: false,
    env: {},
    now: () => new Date('2026-01-01T00:00:00Z'),
  };
}

function tagsFile(c: BenchCase, workDir: string): string | null {
  if (c.tags.size === 0) return null;
  const file = path.join(workDir, `${c.name}-tags.csv`);
  const lines = ['address,label,category', ...[...c.tags].map(([a, t]) => `${a},${t.label},${t.category}`)];
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

let runs = 0;

/**
 * One untimed request, on a connection of its own (agent: false: the client's pool stays empty,
 * so the trace still opens its own), so that the run's first answers do not pay for the server
 * process's cold start (its first request took 7-28 ms more than the latency): a real explorer
 * is warm. Resolves with the number of log entries to drop.
 */
async function warmUp(server: BenchServer): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    get(`${server.url}/blocks/tip/height`, { agent: false }, (res) => {
      res.resume();
      res.on('end', resolve);
      res.on('error', reject);
    }).on('error', reject);
  });
  return (await server.log()).length;
}

export async function runCase(
  c: BenchCase,
  chain: MemoryChain,
  s: RunSettings,
  workDir: string,
): Promise<CaseRun> {
  mkdirSync(workDir, { recursive: true });
  const serverOptions: BenchServerOptions = {
    latencyMs: s.latencyMs,
    jitterMs: s.jitterMs ?? 0,
    seed: s.jitterSeed ?? 1,
    // A little headroom over the client's own pacing, so timer slop never draws a 429.
    ...(s.rate > 0 && { rateLimit: { perSecond: s.rate * 1.1, burst: s.concurrency } }),
  };
  if (s.serverProcess && c.size === undefined)
    throw new Error(`case ${c.name}: serverProcess needs a case made by benchCase()`);
  const server =
    s.serverProcess && c.size !== undefined
      ? await startServerProcess(c.name, c.size, serverOptions)
      : await startBenchServer(chain, serverOptions);
  try {
    const warm = await warmUp(server);
    const source = createSource({
      apiUrl: server.url,
      concurrency: s.concurrency,
      rate: s.rate,
      bulkOutspends: s.bulk,
    });
    const tags = tagsFile(c, workDir);
    const opts: Record<string, unknown> = {
      hops: String(c.hops),
      model: s.model,
      format: 'csv',
      apiUrl: server.url,
      quiet: true,
      cache: false,
      maxTxs: '100000',
      ...(tags !== null && { tags }),
    };
    const io = quietIO();
    const csv = new Map<string, string>();
    let rows = 0;
    const started = performance.now();
    const cpu = process.cpuUsage();
    if (!c.batch) {
      const req = traceRequest(c.seeds, opts);
      const run = await executeTrace(req, { io, argv: [], openSource: () => source });
      csv.set('trace.csv', run.rendered);
      rows = run.result.rows.length;
    } else {
      const { seeds: _seeds, output: _output, ...trace } = traceRequest([], opts);
      const outDir = path.join(workDir, `${c.name}-${process.pid}-${runs++}`);
      const outcome = await runBatch(
        {
          lines: c.seeds.map((input, i) => ({ line: i + 1, input })),
          outDir,
          force: true,
          parallel: s.parallel,
          trace,
        },
        { io, argv: [], openSource: () => source },
      );
      for (const f of readdirSync(outDir).sort()) {
        if (!f.endsWith('.csv') || f === 'summary.csv') continue;
        const text = readFileSync(path.join(outDir, f), 'utf8');
        csv.set(f, text);
        rows += text.split('\n').length - 2;
      }
      const failed = outcome.rows.filter((r) => r.status !== 'ok');
      if (failed.length > 0)
        throw new Error(`batch: ${failed.length} seeds not ok, e.g. ${failed[0]!.error}`);
    }
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const log = (await server.log()).slice(warm);
    const depths = requestDepths(
      chain,
      log.filter((e) => e.status === 200).map((e) => e.path),
    );
    return {
      wallMs,
      cpuMs: (used.user + used.system) / 1000,
      requests: log.length,
      repeated: repeatedResources(log),
      critical: depths.critical,
      depths: depths.requests,
      csv,
      rows,
    };
  } finally {
    await server.close();
  }
}
