// Hostile explorers on loopback, one per kind of abuse of the HTTP layer (issue 8, item 3), and
// one that needs a secret (item 4). Paths they do not abuse are answered honestly from the demo
// chain, so what fails is exactly the abused answer. Shared by test/trust/hostile-*.test.ts and
// the measured table in test/bench/hostile.ts.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { EsploraTx, MemoryChain } from '../support/memory.js';
import { loadDemoChain } from '../support/load-chain.js';

export type HostileKind =
  /** Every address history answers 200 with a JSON array that never ends. */
  | 'endless'
  /** Every address history answers 200 and then one byte every 100 ms, forever. */
  | 'drip'
  /** Every address history answers a gzip body that inflates to 4 GiB (4 KiB per 1 MiB). */
  | 'gzip-bomb'
  /** Address histories page A -> B -> A ... (full pages of 25, cursors that come back). */
  | 'cursor-loop'
  /** Every address history redirects to another origin (127.0.0.2, same port). */
  | 'redirect-origin'
  /** Every address history redirects to file:///etc/passwd. */
  | 'redirect-file'
  /** Honest, but only with basic auth `user:pass` and ?apikey=<key> on every request. */
  | 'secret';

export interface HostileServer {
  /** Base URL with the /api prefix (no credentials). */
  url: string;
  /** Requests received, and for `secret` the ones that lacked the credentials. */
  requests: number;
  refused: number;
  close(): Promise<void>;
}

export const SECRET = { user: 'analyst', pass: 'S3cretPassw0rd', apikey: 'K3yK3yK3y-0123456789' };

const PREFIX = '/api';

/** 1 MiB of zeros gzipped (~1 KiB), repeated as gzip members: inflating never ends cheaply. */
let bombMember: Buffer | null = null;
function bomb(): Buffer {
  bombMember ??= gzipSync(Buffer.alloc(1024 * 1024), { level: 9 });
  return bombMember;
}

/** 25 confirmed transactions of the address, with made-up txids tagged by page. */
function fakePage(chain: MemoryChain, address: string, page: number): EsploraTx[] {
  const base = chain.answer(`/address/${address}/txs`);
  const list = JSON.parse(base.body) as EsploraTx[];
  const model = list.find((t) => t.status.confirmed) ?? list[0]!;
  return Array.from({ length: 25 }, (_, k) => ({
    ...model,
    txid: `${page.toString(16).padStart(2, '0')}${k.toString(16).padStart(2, '0')}`.padEnd(64, 'e'),
  }));
}

export async function startHostile(kind: HostileKind): Promise<HostileServer> {
  const chain = loadDemoChain();
  const sockets = new Set<Socket>();
  const state = { requests: 0, refused: 0 };

  const honest = (res: ServerResponse, path: string): void => {
    const a = chain.answer(path);
    res.writeHead(a.status, { 'Content-Type': a.contentType, 'Content-Length': Buffer.byteLength(a.body) });
    res.end(a.body);
  };

  const endless = (res: ServerResponse, chunk: Buffer, headers: Record<string, string>): void => {
    res.writeHead(200, { 'Content-Type': 'application/json', ...headers });
    const pump = (): void => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    res.write(headers['Content-Encoding'] ? Buffer.alloc(0) : Buffer.from('['));
    pump();
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    state.requests++;
    const raw = req.url ?? '/';
    const url = new URL(raw, 'http://x');
    const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : url.pathname;
    const history = /^\/address\/([A-Za-z0-9]+)\/txs(\/chain(\/([0-9a-f]{64}))?)?$/.exec(path);
    if (kind === 'secret') {
      const auth = `Basic ${Buffer.from(`${SECRET.user}:${SECRET.pass}`).toString('base64')}`;
      if (req.headers.authorization !== auth || url.searchParams.get('apikey') !== SECRET.apikey) {
        state.refused++;
        res.writeHead(401, { 'Content-Type': 'text/plain' });
        res.end('Unauthorized');
        return;
      }
      // mempool's price path carries its own query: give it the path with that query only
      url.searchParams.delete('apikey');
      const q = url.searchParams.toString();
      return honest(res, path + (q ? `?${q}` : ''));
    }
    if (!history) return honest(res, path + url.search);
    switch (kind) {
      case 'endless':
        return endless(res, Buffer.from('{"txid":"00","vin":[],"vout":[]},'.repeat(2048)), {});
      case 'drip': {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('[');
        const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(' ')), 100);
        res.on('close', () => clearInterval(timer));
        return;
      }
      case 'gzip-bomb': {
        // 4096 members of 1 MiB each: 4 GiB inflated from ~4 MiB sent, then the stream ends
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
        let left = 4096;
        const pump = (): void => {
          while (left > 0 && !res.destroyed) {
            left--;
            if (!res.write(bomb())) return void res.once('drain', pump);
          }
          if (!res.destroyed) res.end();
        };
        return pump();
      }
      case 'cursor-loop': {
        const address = history[1]!;
        const cursor = history[4];
        // page 0 ends in txid 0018ee..., page 1 in 0118ee...; page 1's cursor leads to page 0
        const page = cursor === undefined ? 0 : cursor.startsWith('00') ? 1 : 0;
        const body = JSON.stringify(fakePage(chain, address, page));
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
        return void res.end(body);
      }
      case 'redirect-origin': {
        const port = (server.address() as AddressInfo).port;
        res.writeHead(302, { Location: `http://127.0.0.2:${port}${raw}` });
        return void res.end();
      }
      case 'redirect-file':
        res.writeHead(302, { Location: 'file:///etc/passwd' });
        return void res.end();
    }
  };

  const server = createServer(handle);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${PREFIX}`,
    get requests() {
      return state.requests;
    },
    get refused() {
      return state.refused;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
