// Item 3 of issue 8: a hostile explorer cannot make btctrace use unbounded memory or run
// forever. The caps are tested at their exact boundary (a body of exactly the cap passes, one
// byte more fails); the whole CLI is run against each hostile loopback server of
// hostile-http.ts and must end with exit 1 and one line naming what the host did. (Peak memory
// and time of the same cases are measured by test/bench/hostile.ts, not asserted here.)
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpTransport } from '../../src/sources/http.js';
import { LargeBodySlots } from '../../src/sources/body.js';
import { UnavailableError } from '../../src/sources/errors.js';
import { parseSizeOption } from '../../src/cli/parse.js';
import { SHOP_A } from '../cli/helpers.js';
import { CONSOLIDATION, run } from './hostile.js';
import { startEsploraServer } from '../support/esplora-server.js';
import { loadDemoChain } from '../support/load-chain.js';
import { mulberry32 } from '../support/prng.js';
import { startHostile, type HostileKind, type HostileServer } from './hostile-http.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function serve(handler: Handler): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`, hits: () => hits };
}

function transport(url: string, maxBodyBytes: number): HttpTransport {
  return new HttpTransport({ baseUrl: url, maxBodyBytes, maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 });
}

const CAP = 4096;
const body = (n: number) => Buffer.from('x'.repeat(n));

describe('the body cap, at its boundary', () => {
  for (const mode of ['content-length', 'chunked', 'gzip'] as const) {
    const send =
      (n: number): Handler =>
      (_req, res) => {
        if (mode === 'gzip') {
          const z = gzipSync(body(n));
          res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': z.length });
          return void res.end(z);
        }
        if (mode === 'content-length') res.writeHead(200, { 'Content-Length': n });
        else res.writeHead(200); // no length: Transfer-Encoding: chunked
        res.write(body(n).subarray(0, n >> 1));
        res.end(body(n).subarray(n >> 1));
      };

    it(`${mode}: a body of exactly the cap is read whole`, async () => {
      const s = await serve(send(CAP));
      const r = await transport(s.url, CAP).get('/x');
      expect(r.body.length).toBe(CAP);
    });

    it(`${mode}: one byte more fails at once, naming the cap, and is not retried`, async () => {
      const s = await serve(send(CAP + 1));
      const e = await transport(s.url, CAP)
        .get('/x')
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UnavailableError);
      expect((e as Error).message).toMatch(/4 KiB cap.*\(--max-body raises it\)$/);
      if (mode === 'gzip') expect((e as Error).message).toContain('after decompression');
      expect(s.hits()).toBe(1);
    });
  }

  it('a gzip body whose compressed bytes pass the cap fails before decompression', async () => {
    // random bytes do not compress: the gzip is larger than what it inflates to
    const next = mulberry32(8);
    const raw = Buffer.from(Array.from({ length: CAP }, () => Math.floor(next() * 256)));
    const z = gzipSync(raw);
    expect(z.length).toBeGreaterThan(CAP);
    const s = await serve((_q, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip' });
      res.end(z);
    });
    await expect(transport(s.url, CAP).get('/x')).rejects.toThrow(/cap before decompression/);
  });

  it('an unknown content-encoding is refused, not read as text', async () => {
    const s = await serve((_q, res) => {
      res.writeHead(200, { 'Content-Encoding': 'zz-custom' });
      res.end('[]');
    });
    await expect(transport(s.url, CAP).get('/x')).rejects.toThrow(
      'the answer uses content-encoding "zz-custom"',
    );
  });

  it('a 1 MiB error page is cut and shown as one line of at most 200 characters', async () => {
    const s = await serve((_q, res) => {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('Transaction not found \u001b[2J ' + 'y'.repeat(1024 * 1024));
    });
    const e = (await transport(s.url, CAP)
      .get('/x')
      .catch((x: unknown) => x)) as Error;
    expect(e.message).toContain('HTTP 404: Transaction not found \\x1b[2J yyy');
    expect(e.message.length).toBeLessThan(300);
  });
});

describe('large-body slots bound what big answers hold together', () => {
  const MiB = 1024 * 1024;
  it('256 MiB of slots: 8 of 32 MiB, 2 of 128 MiB, 1 of 512 MiB (never 0)', async () => {
    for (const [max, n] of [
      [32 * MiB, 8],
      [128 * MiB, 2],
      [512 * MiB, 1],
      [256 * MiB + 1, 1],
    ] as const) {
      const slots = new LargeBodySlots(max);
      const got: (() => void)[] = [];
      for (let k = 0; k < n; k++) got.push(await slots.acquire());
      let next = false;
      const waiting = slots.acquire().then((r) => ((next = true), r));
      await new Promise((r) => setImmediate(r));
      expect([max, next]).toEqual([max, false]); // all n taken: the n+1-th waits
      got[0]!();
      got[0]!(); // releasing twice frees one slot only
      (await waiting)();
      expect(next).toBe(true);
    }
  });

  it('an aborted wait leaves the queue and rejects; the slot goes to the next waiter', async () => {
    const slots = new LargeBodySlots(256 * MiB);
    const held = await slots.acquire();
    const ctl = new AbortController();
    const aborted = slots.acquire(ctl.signal);
    const later = slots.acquire();
    ctl.abort();
    await expect(aborted).rejects.toThrow('aborted while waiting to read a large answer');
    held();
    const release = await later;
    expect(typeof release).toBe('function');
  });

  it('a transport with 2 slots still reads 3 answers of 2 MiB each at once', async () => {
    const s = await serve((_q, res) => {
      res.writeHead(200);
      res.end(body(2 * MiB));
    });
    const t = new HttpTransport({ baseUrl: s.url, maxBodyBytes: 128 * MiB, concurrency: 3 });
    const got = await Promise.all([1, 2, 3].map((k) => t.get(`/x${k}`)));
    expect(got.map((r) => r.body.length)).toEqual([2 * MiB, 2 * MiB, 2 * MiB]);
  });
});

describe('redirects are refused, never followed', () => {
  for (const status of [301, 302, 303, 307, 308]) {
    it(`HTTP ${status} to another origin: one request, the error names the target host only`, async () => {
      const s = await serve((_q, res) => {
        res.writeHead(status, { Location: 'http://evil.example:8080/steal?token=abc' });
        res.end();
      });
      const e = (await transport(s.url, CAP)
        .get('/tx/1')
        .catch((x: unknown) => x)) as Error;
      expect(e.message).toBe(
        `${s.url}: /tx/1: HTTP ${status} redirect to http://evil.example:8080 refused (btctrace follows no redirects: give --api-url the address that answers)`,
      );
      expect(s.hits()).toBe(1);
    });
  }

  it('a redirect to file: is named by its scheme', async () => {
    const s = await serve((_q, res) => {
      res.writeHead(302, { Location: 'file:///etc/passwd' });
      res.end();
    });
    await expect(transport(s.url, CAP).get('/x')).rejects.toThrow('HTTP 302 redirect to a file: URL refused');
  });
});

describe('--max-body sizes', () => {
  it.each([
    ['1024', 1024],
    ['1k', 1024],
    ['512KiB', 512 * 1024],
    ['32MiB', 32 * 1024 * 1024],
    ['2m', 2 * 1024 * 1024],
    ['1GiB', 512 * 1024 * 1024 + 1],
  ])('%s', (text, bytes) => {
    if (bytes > 512 * 1024 * 1024) {
      expect(() => parseSizeOption('--max-body', text, 1024, 512 * 1024 * 1024)).toThrow(
        '--max-body 1GiB: must be between 1024 bytes and 512 MiB',
      );
    } else expect(parseSizeOption('--max-body', text, 1024, 512 * 1024 * 1024)).toBe(bytes);
  });

  it('1023 bytes is one below the minimum; 512MiB is the maximum', () => {
    expect(() => parseSizeOption('--max-body', '1023', 1024, 512 * 1024 ** 2)).toThrow('must be between');
    expect(parseSizeOption('--max-body', '512MiB', 1024, 512 * 1024 ** 2)).toBe(512 * 1024 ** 2);
    expect(() => parseSizeOption('--max-body', '32 MB!', 1024, 512 * 1024 ** 2)).toThrow('not a size');
  });

  it('the CLI takes --max-body: 1k refuses the 11-input consolidation (exit 1), 1MiB reads it', async () => {
    const h = await startEsploraServer(loadDemoChain());
    closers.push(() => h.close());
    const small = await run(['tx', CONSOLIDATION, '--api-url', h.url, '--max-body', '1k']);
    expect(small.code).toBe(1);
    expect(small.err).toMatch(
      /\/tx\/bb1b8f8f\S+: the answer is \d+ bytes \(Content-Length\), more than the 1 KiB cap \(--max-body raises it\)/,
    );
    const big = await run(['tx', CONSOLIDATION, '--api-url', h.url, '--max-body', '1MiB']);
    expect(big.code).toBe(0);
    const e = await run(['address', SHOP_A, '--api-url', h.url, '--max-body', '10']);
    expect([e.code, e.err.trim()]).toEqual([
      2,
      'btctrace: --max-body 10: must be between 1024 bytes and 512 MiB',
    ]);
  });
});

describe('the CLI against each hostile explorer: exit 1, one line naming what the host did', () => {
  const expected: Record<Exclude<HostileKind, 'secret' | 'drip'>, RegExp> = {
    endless: /the answer passed the 32 MiB cap as sent \(--max-body raises it\)$/,
    'gzip-bomb': /the answer passed the 32 MiB cap after decompression \(--max-body raises it\)$/,
    'cursor-loop':
      /the explorer's history of \S+ loops: this page repeats transactions already listed \(after 3 pages\); the history cannot be completed$/,
    'redirect-origin': /HTTP 302 redirect to http:\/\/127\.0\.0\.2:\d+ refused/,
    'redirect-file': /HTTP 302 redirect to a file: URL refused/,
  };
  for (const [kind, message] of Object.entries(expected) as [HostileKind, RegExp][]) {
    it(kind, async () => {
      const h: HostileServer = await startHostile(kind);
      closers.push(() => h.close());
      const r = await run(['trace', SHOP_A, '--api-url', h.url, '--format', 'json']);
      expect(r.code).toBe(1);
      const lines = r.err.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^btctrace: nothing traced: seed bc1q\S+ could not be read: /);
      expect(lines[0]).toMatch(message);
      // a bounded number of requests: the tip, the seed's history (3 pages for the loop)
      expect(h.requests).toBeLessThanOrEqual(4);
    });
  }
});
