// A loopback HTTP server speaking the Esplora REST API over a MemoryChain, with the troubles of
// public explorers switched on at will: latency, a token-bucket rate limit answering 429 (an
// nginx-style HTML page, with or without Retry-After), and seeded faults (502 HTML pages,
// truncated JSON bodies, connection resets, requests that never get an answer).
//
// Fault decisions are a function of (seed, path, n-th request for that path), not of arrival
// order, so a run with concurrency draws the same faults as a sequential one. A path is faulted
// at most `maxPerPath` times, so a client that retries always gets its answer in the end.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHash } from 'node:crypto';
import type { MemoryChain } from './memory.js';
import { mulberry32 } from './prng.js';

export type FaultKind = '502' | 'truncated' | 'reset' | 'hang';

export interface EsploraServerOptions {
  /** Path prefix of the API, like https://mempool.space/api. Default "/api". */
  prefix?: string;
  /** Added to every answer (and to 429s and faults), in milliseconds. */
  latencyMs?: number;
  /** Token bucket: `burst` requests at once, refilled at `perSecond`; beyond it, 429. */
  rateLimit?: { perSecond: number; burst: number; retryAfter: boolean };
  faults?: {
    /** Probability of a fault per request, 0..1. */
    rate: number;
    kinds: FaultKind[];
    seed: number;
    /** Faults per path at most (default 2): later requests for the path are answered. */
    maxPerPath?: number;
  };
}

export type Outcome = 'ok' | '429' | FaultKind;

export interface LogEntry {
  /** Milliseconds since the server started. */
  time: number;
  /** Path after the prefix, with its query string. */
  path: string;
  outcome: Outcome;
  /** HTTP status sent (0 when none was: reset, hang). */
  status: number;
}

export interface EsploraServer {
  /** Base URL including the prefix, e.g. http://127.0.0.1:41234/api (no trailing slash). */
  url: string;
  log: LogEntry[];
  counts: { requests: number; byPath: Map<string, number> };
  /** Paths that got a real answer (not a 429 or a fault) more than once, sorted. */
  repeated(): string[];
  /** Stops listening, drops every connection (hanging ones too) and pending timers. */
  close(): Promise<void>;
}

const prng = mulberry32;

function seedFor(seed: number, path: string, n: number): number {
  return createHash('sha256').update(`${seed}\0${path}\0${n}`).digest().readUInt32LE(0);
}

// Our own pages in the style of nginx's, which is what mempool.space's limiter answers with.
function htmlPage(title: string, line: string): string {
  return (
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n` +
    (line ? `<center><p>${line}</p></center>\r\n` : '') +
    `<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
  );
}

export const RATE_LIMIT_BODY = htmlPage(
  '429 Too Many Requests',
  'Slow down: this API allows a limited number of requests.',
);
export const BAD_GATEWAY_BODY = htmlPage('502 Bad Gateway', '');

export async function startEsploraServer(
  chain: MemoryChain,
  opts: EsploraServerOptions = {},
): Promise<EsploraServer> {
  const prefix = (opts.prefix ?? '/api').replace(/\/$/, '');
  const latency = opts.latencyMs ?? 0;
  const started = performance.now();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const log: LogEntry[] = [];
  const counts = { requests: 0, byPath: new Map<string, number>() };
  const answered = new Map<string, number>();
  const faultsByPath = new Map<string, number>();
  const maxFaults = opts.faults?.maxPerPath ?? 2;

  const rate = opts.rateLimit;
  let tokens = rate?.burst ?? 0;
  let refilledAt = started;
  const takeToken = (): { ok: true } | { ok: false; waitMs: number } => {
    if (!rate) return { ok: true };
    const now = performance.now();
    tokens = Math.min(rate.burst, tokens + ((now - refilledAt) / 1000) * rate.perSecond);
    refilledAt = now;
    if (tokens >= 1) {
      tokens -= 1;
      return { ok: true };
    }
    return { ok: false, waitMs: ((1 - tokens) / rate.perSecond) * 1000 };
  };

  const later = (f: () => void): void => {
    if (latency <= 0) return f();
    const t = setTimeout(() => {
      timers.delete(t);
      f();
    }, latency);
    timers.add(t);
  };

  const send = (
    res: ServerResponse,
    status: number,
    body: string,
    contentType: string,
    headers: Record<string, string> = {},
  ): void => {
    later(() => {
      if (res.destroyed) return;
      res.writeHead(status, {
        'Content-Type': contentType,
        'Content-Length': String(Buffer.byteLength(body)),
        ...headers,
      });
      res.end(body);
    });
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const raw = req.url ?? '/';
    const time = performance.now() - started;
    counts.requests++;
    const inPrefix = raw === prefix || raw.startsWith(`${prefix}/`) || raw.startsWith(`${prefix}?`);
    const path = inPrefix ? raw.slice(prefix.length) || '/' : raw;
    counts.byPath.set(path, (counts.byPath.get(path) ?? 0) + 1);
    const entry: LogEntry = { time, path, outcome: 'ok', status: 0 };
    log.push(entry);

    const token = takeToken();
    if (!token.ok) {
      entry.outcome = '429';
      entry.status = 429;
      const headers: Record<string, string> = rate!.retryAfter
        ? { 'Retry-After': String(Math.max(1, Math.ceil(token.waitMs / 1000))) }
        : {};
      return send(res, 429, RATE_LIMIT_BODY, 'text/html', headers);
    }

    const answer = inPrefix
      ? chain.answer(path)
      : {
          status: 404,
          body: `endpoint does not exist ${JSON.stringify(raw.split('?')[0])}`,
          contentType: 'text/plain',
        };

    const f = opts.faults;
    if (f && f.kinds.length > 0 && (faultsByPath.get(path) ?? 0) < maxFaults) {
      const n = counts.byPath.get(path)!;
      const draw = prng(seedFor(f.seed, path, n));
      if (draw() < f.rate) {
        let kind = f.kinds[Math.floor(draw() * f.kinds.length)]!;
        // Half a plain-text body (a tip height, a hex) can still look valid; truncate JSON only.
        if (kind === 'truncated' && answer.contentType !== 'application/json') kind = '502';
        faultsByPath.set(path, (faultsByPath.get(path) ?? 0) + 1);
        entry.outcome = kind;
        switch (kind) {
          case '502':
            entry.status = 502;
            return send(res, 502, BAD_GATEWAY_BODY, 'text/html');
          case 'truncated':
            entry.status = answer.status;
            return send(
              res,
              answer.status,
              answer.body.slice(0, Math.floor(answer.body.length / 2)),
              answer.contentType,
            );
          case 'reset':
            return later(() => req.socket.destroy());
          case 'hang':
            return; // never answered; close() drops the socket
        }
      }
    }
    entry.status = answer.status;
    answered.set(path, (answered.get(path) ?? 0) + 1);
    send(res, answer.status, answer.body, answer.contentType);
  };

  const server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    log,
    counts,
    repeated: () =>
      [...answered]
        .filter(([, n]) => n > 1)
        .map(([p]) => p)
        .sort(),
    close: () =>
      (closing ??= new Promise<void>((resolveClose, reject) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close((err) => (err ? reject(err) : resolveClose()));
        for (const s of sockets) s.destroy();
      })),
  };
}
