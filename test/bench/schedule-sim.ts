// The request schedule, measured without a clock: the CLI's executeTrace over the real Esplora
// source (bulk outspends, memo, checks) and the transport's own PriorityLimit, but answers come
// from a simulated explorer in virtual time: every request takes exactly `latencyMs`, at most
// `concurrency` are in flight, and time only moves when the client has nothing left to do. So
// the figure is the schedule's alone (no CPU time, no machine load): virtual wall / window,
// where window is the floor any client with that window has (critical.ts windowRounds).
// `fifo` ranks every request equal (the plain first-come queue the transport had before), for
// the before/after comparison.

import { executeTrace, traceRequest } from '../../src/cli/trace.js';
import type { IO } from '../../src/cli/io.js';
import { EsploraSource } from '../../src/sources/esplora.js';
import type { GetOptions, ValidatingTransport } from '../../src/sources/http.js';
import { memoized } from '../../src/sources/memo.js';
import { currentPriority, PriorityLimit } from '../../src/sources/schedule.js';
import type { TransportResponse, TransportStats } from '../../src/sources/transport.js';
import { NotFoundError } from '../../src/sources/errors.js';
import type { MemoryChain } from '../support/memory.js';
import type { BenchCase } from './cases.js';
import { requestDepths, windowRounds } from './critical.js';

class VirtualClock {
  now = 0;
  private seq = 0;
  private readonly timers: { at: number; seq: number; fire: () => void }[] = [];

  sleep(ms: number): Promise<void> {
    return new Promise((fire) => this.timers.push({ at: this.now + ms, seq: this.seq++, fire }));
  }

  /** Fires the earliest timers (all due at that instant); false when none is set. */
  advance(): boolean {
    if (this.timers.length === 0) return false;
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const at = this.timers[0]!.at;
    this.now = at;
    while (this.timers.length > 0 && this.timers[0]!.at === at) this.timers.shift()!.fire();
    return true;
  }
}

class SimTransport implements ValidatingTransport {
  readonly description = 'simulated explorer';
  readonly paths: string[] = [];
  private readonly limit: PriorityLimit;

  constructor(
    private readonly chain: MemoryChain,
    private readonly clock: VirtualClock,
    private readonly latencyMs: number,
    concurrency: number,
    private readonly fifo: boolean,
  ) {
    this.limit = new PriorityLimit(concurrency);
  }

  stats(): TransportStats {
    return { requests: this.paths.length, retries: 0 };
  }

  get(path: string, options: GetOptions = {}): Promise<TransportResponse> {
    const p = this.fifo ? 0 : currentPriority();
    return this.limit.run(async () => {
      this.paths.push(path);
      await this.clock.sleep(this.latencyMs);
      const a = this.chain.answer(path);
      if (a.status === 404) throw new NotFoundError(`${path}: ${a.body}`, path);
      if (a.status !== 200) throw new Error(`simulated explorer: ${path} answered ${a.status}`);
      const response: TransportResponse = { status: 200, body: a.body, headers: {} };
      options.validate?.(response);
      return response;
    }, p);
  }
}

export interface ScheduleFigures {
  case: string;
  fifo: boolean;
  latencyMs: number;
  concurrency: number;
  requests: number;
  critical: number;
  /** Virtual time the trace took. */
  wallMs: number;
  windowMs: number;
  ratio: number;
}

const io: IO = {
  stdout: () => {},
  stderr: () => {},
  stderrIsTTY: false,
  stdoutIsTTY: false,
  env: {},
  now: () => new Date('2026-01-01T00:00:00Z'),
};

/** One trace of a (non-batch) case in virtual time. */
export async function simulateSchedule(
  c: BenchCase,
  chain: MemoryChain,
  latencyMs: number,
  concurrency: number,
  fifo: boolean,
): Promise<ScheduleFigures> {
  const clock = new VirtualClock();
  const transport = new SimTransport(chain, clock, latencyMs, concurrency, fifo);
  const source = memoized(new EsploraSource(transport, { bulkOutspends: true }));
  const req = traceRequest(c.seeds, {
    hops: String(c.hops),
    model: 'haircut',
    format: 'csv',
    apiUrl: 'http://127.0.0.1:1/api',
    quiet: true,
    cache: false,
    maxTxs: '100000',
  });
  let done = false;
  const run = executeTrace(req, { io, argv: [], openSource: () => source }).finally(() => (done = true));
  // Time moves only once the client is idle: a few turns of the event loop with nothing to do.
  for (let idle = 0; !done && idle < 1000;) {
    for (let k = 0; k < 8 && !done; k++) await new Promise((r) => setImmediate(r));
    if (done) break;
    if (clock.advance()) idle = 0;
    else idle++;
  }
  await run;
  const depths = requestDepths(chain, transport.paths);
  const windowMs = windowRounds(depths.requests, concurrency) * latencyMs;
  return {
    case: c.name,
    fifo,
    latencyMs,
    concurrency,
    requests: transport.paths.length,
    critical: depths.critical,
    wallMs: clock.now,
    windowMs,
    ratio: clock.now / Math.max(windowMs, depths.critical * latencyMs),
  };
}
