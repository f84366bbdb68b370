// The benchmark's own loopback Esplora server: a MemoryChain behind node:http on 127.0.0.1,
// with a fixed latency, an optional seeded random jitter on top (to scramble the order in which
// answers arrive), an optional token-bucket rate limit (429 beyond it) and a request log with
// times. Simpler than test/support/esplora-server.ts (no faults) and with jitter, which that
// one lacks.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { MemoryChain } from '../support/memory.js';
import { esploraPath } from '../../src/sources/resources.js';
import { mulberry32 } from '../support/prng.js';

export interface BenchServerOptions {
  /** Added to every answer, in milliseconds. */
  latencyMs?: number;
  /** Uniform random extra delay in [0, jitterMs), seeded: answers arrive out of order. */
  jitterMs?: number;
  seed?: number;
  /** Token bucket: `burst` requests at once, refilled at `perSecond`; beyond it, 429. */
  rateLimit?: { perSecond: number; burst: number };
}

export interface BenchLogEntry {
  /** Milliseconds since the server started, when the request arrived. */
  time: number;
  /** Path after /api, with its query string. */
  path: string;
  status: number;
}

export interface BenchServer {
  /** Base URL, e.g. http://127.0.0.1:41234/api. */
  url: string;
  /** The request log so far (a copy when the server runs in another process). */
  log(): Promise<BenchLogEntry[]>;
  close(): Promise<void>;
}

const PREFIX = '/api';

/**
 * Every resource answered, in arrival order: bulk outspends are expanded per transaction
 * (as /tx/T/outspends), so a txid in two bulk requests, or in a bulk and a single one, shows twice.
 */
export function answeredResources(log: readonly BenchLogEntry[]): string[] {
  return log.filter((e) => e.status === 200).flatMap((e) => resourcesOf(e.path));
}

/** Resources answered more than once, sorted (should be none). */
export function repeatedResources(log: readonly BenchLogEntry[]): string[] {
  const n = new Map<string, number>();
  for (const r of answeredResources(log)) n.set(r, (n.get(r) ?? 0) + 1);
  return [...n]
    .filter(([, k]) => k > 1)
    .map(([r]) => r)
    .sort();
}

/** The resources one request path stands for (a bulk outspends request stands for several). */
export function resourcesOf(path: string): string[] {
  if (path.startsWith('/txs/outspends?')) {
    const txids = new URLSearchParams(path.slice(path.indexOf('?') + 1)).get('txids') ?? '';
    return txids.split(',').map((t) => esploraPath.outspends(t.toLowerCase()));
  }
  return [path];
}

export async function startBenchServer(
  chain: MemoryChain,
  opts: BenchServerOptions = {},
): Promise<BenchServer> {
  const latency = opts.latencyMs ?? 0;
  const jitter = opts.jitterMs ?? 0;
  const random = mulberry32(opts.seed ?? 1);
  const started = performance.now();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const log: BenchLogEntry[] = [];
  const rate = opts.rateLimit;
  let tokens = rate?.burst ?? 0;
  let refilledAt = started;

  const takeToken = (): boolean => {
    if (!rate) return true;
    const now = performance.now();
    tokens = Math.min(rate.burst, tokens + ((now - refilledAt) / 1000) * rate.perSecond);
    refilledAt = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };

  const send = (res: ServerResponse, status: number, body: string, contentType: string): void => {
    const write = (): void => {
      if (res.destroyed) return;
      res.writeHead(status, {
        'Content-Type': contentType,
        'Content-Length': String(Buffer.byteLength(body)),
      });
      res.end(body);
    };
    const delay = latency + (jitter > 0 ? random() * jitter : 0);
    if (delay <= 0) return write();
    const t = setTimeout(() => {
      timers.delete(t);
      write();
    }, delay);
    timers.add(t);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const raw = req.url ?? '/';
    const path = raw.startsWith(`${PREFIX}/`) ? raw.slice(PREFIX.length) : raw;
    const entry: BenchLogEntry = { time: performance.now() - started, path, status: 0 };
    log.push(entry);
    if (!takeToken()) {
      entry.status = 429;
      return send(res, 429, 'Too Many Requests', 'text/plain');
    }
    const answer = raw.startsWith(`${PREFIX}/`)
      ? chain.answer(path)
      : { status: 404, body: 'endpoint does not exist', contentType: 'text/plain' };
    entry.status = answer.status;
    send(res, answer.status, answer.body, answer.contentType);
  };

  const server = createServer({ keepAlive: true }, handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}${PREFIX}`,
    log: () => Promise.resolve(log),
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        for (const s of sockets) s.destroy();
      })),
  };
}
