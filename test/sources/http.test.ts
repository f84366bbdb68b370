import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BadRequestError, NotFoundError, UnavailableError } from '../../src/sources/errors.js';
import { EsploraSource } from '../../src/sources/esplora.js';
import { describeBody, HttpTransport, parseRetryAfter, type HttpOptions } from '../../src/sources/http.js';
import { fakeTx, hasRealdata, readReal, txidOf, virtualClock } from './helpers.js';

const BASE = 'https://esplora.test/api';
const HOST = 'https://esplora.test';
const TXID = txidOf('h');
const TX_PATH = `/api/tx/${TXID}`;

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/** An HTTP transport in virtual time; random() = 0.5 so each backoff is half its cap. */
function transport(over: Partial<HttpOptions> = {}) {
  const clock = virtualClock();
  const http = new HttpTransport({
    baseUrl: BASE,
    sleep: clock.sleep,
    now: clock.now,
    random: () => 0.5,
    ...over,
  });
  return { http, clock };
}

/** A sleep that returns at once and keeps time still: delays show what each caller asked. */
function staticSleep(delays: number[]) {
  return (ms: number) => {
    delays.push(ms);
    return Promise.resolve();
  };
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('HttpTransport: answers and plain-text errors', () => {
  it('returns the raw body, status and lower-case headers; sends a btctrace User-Agent', async () => {
    const scope = nock(HOST, { reqheaders: { 'user-agent': /^btctrace\/\d+\.\d+\.\d+/ } })
      .get('/api/blocks/tip/height')
      .reply(200, '955873', { 'Content-Type': 'text/plain', 'X-Thing': 'a' });
    const { http } = transport();
    const res = await http.get('/blocks/tip/height');
    expect(res).toEqual({
      status: 200,
      body: '955873',
      headers: expect.objectContaining({ 'x-thing': 'a' }) as unknown,
    });
    expect(http.stats()).toEqual({ requests: 1, retries: 0 });
    expect(scope.isDone()).toBe(true);
  });

  it('never JSON-parses: a JSON body comes back as text', async () => {
    nock(HOST).get(TX_PATH).reply(200, '{"a": 1}', { 'Content-Type': 'application/json' });
    const { http } = transport();
    expect((await http.get(`/tx/${TXID}`)).body).toBe('{"a": 1}');
  });

  it('404 "Transaction not found" is NotFoundError, sent once', async () => {
    nock(HOST).get(TX_PATH).reply(404, 'Transaction not found', { 'Content-Type': 'text/plain' });
    const { http } = transport();
    const e = await rejection(http.get(`/tx/${TXID}`));
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e.message).toBe(`${BASE}: /tx/${TXID}: HTTP 404: Transaction not found`);
    expect((e as NotFoundError).resource).toBe(`/tx/${TXID}`);
    expect(http.stats()).toEqual({ requests: 1, retries: 0 });
  });

  it('400 "Invalid Bitcoin address" is BadRequestError with the explorer text, sent once', async () => {
    nock(HOST)
      .get('/api/address/1nvalid')
      .reply(400, 'Invalid Bitcoin address', { 'Content-Type': 'text/plain' });
    const { http } = transport();
    const e = await rejection(http.get('/address/1nvalid'));
    expect(e).toBeInstanceOf(BadRequestError);
    expect(e.message).toBe(`${BASE}: /address/1nvalid: HTTP 400: Invalid Bitcoin address`);
    expect(http.stats().requests).toBe(1);
  });

  it('403 is not retried: UnavailableError at once', async () => {
    nock(HOST).get(TX_PATH).reply(403, 'Forbidden');
    const { http } = transport();
    const e = await rejection(http.get(`/tx/${TXID}`));
    expect(e).toBeInstanceOf(UnavailableError);
    expect(e.message).toBe(`${BASE}: /tx/${TXID}: HTTP 403: Forbidden`);
    expect(http.stats()).toEqual({ requests: 1, retries: 0 });
  });
});

describe('HttpTransport: retries', () => {
  it('429 with Retry-After: 2 waits exactly 2000 ms, then succeeds', async () => {
    nock(HOST)
      .get(TX_PATH)
      .reply(429, 'Too Many Requests', { 'Retry-After': '2' })
      .get(TX_PATH)
      .reply(200, 'ok');
    const { http, clock } = transport();
    expect((await http.get(`/tx/${TXID}`)).body).toBe('ok');
    expect(clock.delays).toEqual([2000]);
    expect(http.stats()).toEqual({ requests: 2, retries: 1 });
  });

  it('429 with an HTTP-date Retry-After waits until that date', async () => {
    const { http, clock } = transport();
    const at = new Date(clock.t + 7000).toUTCString();
    nock(HOST).get(TX_PATH).reply(429, '', { 'Retry-After': at }).get(TX_PATH).reply(200, 'ok');
    await http.get(`/tx/${TXID}`);
    expect(clock.delays).toEqual([7000]);
  });

  it('a 429 pause holds the other queued requests too', async () => {
    const delays: number[] = [];
    const t = Date.parse('2026-01-01T00:00:00Z');
    const http = new HttpTransport({
      baseUrl: BASE,
      concurrency: 1,
      now: () => t,
      sleep: staticSleep(delays),
    });
    nock(HOST)
      .get('/api/a')
      .reply(429, '', { 'Retry-After': '3' })
      .get('/api/b')
      .reply(200, 'b')
      .get('/api/a')
      .reply(200, 'a');
    const [a, b] = await Promise.all([http.get('/a'), http.get('/b')]);
    expect([a.body, b.body]).toEqual(['a', 'b']);
    // /a sleeps 3000 ms before its retry; /b, queued behind it, waits for the same pause.
    expect(delays).toEqual([3000, 3000, 3000]);
  });

  it('429 without Retry-After backs off with full jitter: 250, 500, 1000 ms at random 0.5', async () => {
    nock(HOST).get(TX_PATH).times(3).reply(429, '').get(TX_PATH).reply(200, 'ok');
    const { http, clock } = transport();
    await http.get(`/tx/${TXID}`);
    expect(clock.delays).toEqual([250, 500, 1000]);
    expect(http.stats()).toEqual({ requests: 4, retries: 3 });
  });

  it('the backoff cap doubles up to maxDelayMs', async () => {
    nock(HOST).get(TX_PATH).times(5).reply(503, '').get(TX_PATH).reply(200, 'ok');
    const { http, clock } = transport({ random: () => 0.999, maxAttempts: 6, maxDelayMs: 3000 });
    await http.get(`/tx/${TXID}`);
    expect(clock.delays).toEqual([499, 999, 1998, 2997, 2997]);
  });

  it.skipIf(!hasRealdata)('502 with an nginx HTML body is retried and recovers', async () => {
    const html = readReal('errors/mempool_space_429_body.html').replaceAll(
      '429 Too Many Requests',
      '502 Bad Gateway',
    );
    nock(HOST).get(TX_PATH).reply(502, html, { 'Content-Type': 'text/html' }).get(TX_PATH).reply(200, 'ok');
    const reasons: string[] = [];
    const { http } = transport({ onRetry: (e) => reasons.push(e.reason) });
    expect((await http.get(`/tx/${TXID}`)).body).toBe('ok');
    expect(reasons).toEqual(['HTTP 502: 502 Bad Gateway']);
  });

  it.skipIf(!hasRealdata)(
    'the real mempool.space 429 HTML page, every time: gives up naming it',
    async () => {
      const html = readReal('errors/mempool_space_429_body.html');
      nock(HOST).get(TX_PATH).times(6).reply(429, html, { 'Content-Type': 'text/html' });
      const { http } = transport();
      const e = await rejection(http.get(`/tx/${TXID}`));
      expect(e).toBeInstanceOf(UnavailableError);
      expect(e.message).toBe(
        `${BASE}: /tx/${TXID}: gave up after 6 attempts: HTTP 429: 429 Too Many Requests`,
      );
      expect(http.stats()).toEqual({ requests: 6, retries: 5 });
    },
  );

  it('truncated JSON then good JSON: retried through the source validate hook', async () => {
    const good = JSON.stringify(fakeTx('h'));
    nock(HOST).get(TX_PATH).reply(200, good.slice(0, 120)).get(TX_PATH).reply(200, good);
    const reasons: string[] = [];
    const { http } = transport({ onRetry: (e) => reasons.push(e.reason) });
    const tx = await new EsploraSource(http).getTx(TXID);
    expect(tx.txid).toBe(TXID);
    expect(http.stats()).toEqual({ requests: 2, retries: 1 });
    expect(reasons[0]).toMatch(new RegExp(`^/tx/${TXID}: body is not valid JSON`));
  });

  it('an HTML page served with status 200 is never data', async () => {
    nock(HOST).get('/api/blocks/tip/height').times(2).reply(200, '<html><title>Maintenance</title></html>');
    const { http } = transport({ maxAttempts: 2 });
    const e = await rejection(new EsploraSource(http).getTipHeight());
    expect(e).toBeInstanceOf(UnavailableError);
    expect(e.message).toBe(
      `${BASE}: /blocks/tip/height: gave up after 2 attempts: /blocks/tip/height: tip height: expected a decimal block height, got "<html><title>Maintenance</title></html>"`,
    );
  });

  it('a body that stays malformed fails that resource only; the host stays usable', async () => {
    nock(HOST).get('/api/blocks/tip/height').times(2).reply(200, 'garbage').get(TX_PATH).reply(200, 'ok');
    const { http } = transport({ maxAttempts: 2 });
    await expect(new EsploraSource(http).getTipHeight()).rejects.toThrow('gave up after 2 attempts');
    expect((await http.get(`/tx/${TXID}`)).body).toBe('ok');
  });

  it('connection reset is retried', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    nock(HOST).get(TX_PATH).replyWithError(reset).get(TX_PATH).reply(200, 'ok');
    const reasons: string[] = [];
    const { http } = transport({ onRetry: (e) => reasons.push(e.reason) });
    expect((await http.get(`/tx/${TXID}`)).body).toBe('ok');
    expect(reasons).toEqual(['ECONNRESET socket hang up']);
  });

  it('a Retry-After beyond the deadline gives up at once instead of sleeping', async () => {
    nock(HOST).get(TX_PATH).reply(429, '', { 'Retry-After': '60' });
    const { http, clock } = transport();
    const e = await rejection(http.get(`/tx/${TXID}`));
    expect(e.message).toBe(
      `${BASE}: /tx/${TXID}: gave up after 1 attempt: HTTP 429 (waiting 60000 ms more would pass the 25000 ms deadline)`,
    );
    expect(clock.delays).toEqual([]);
  });
});

// Timeouts run on real timers here, but no assertion reads the wall clock: what is checked is
// the count of attempts and the messages, so a loaded machine passes the same (issue 8).
describe('HttpTransport: timeouts and dead hosts', () => {
  it('a slow answer times out, is retried, and the second answer is used', async () => {
    nock(HOST).get(TX_PATH).delay(300).reply(200, 'late').get(TX_PATH).reply(200, 'ok');
    const { http } = transport({ timeoutMs: 40 });
    expect((await http.get(`/tx/${TXID}`)).body).toBe('ok');
    expect(http.stats()).toEqual({ requests: 2, retries: 1 });
  });

  it('timeouts every time: gives up with the attempts and the reason', async () => {
    nock(HOST).get(TX_PATH).times(3).delay(300).reply(200, 'late');
    const { http } = transport({ timeoutMs: 30, maxAttempts: 3 });
    const e = await rejection(http.get(`/tx/${TXID}`));
    expect(e).toBeInstanceOf(UnavailableError);
    expect(e.message).toBe(`${BASE}: /tx/${TXID}: gave up after 3 attempts: timed out after 30 ms`);
    expect(http.stats()).toEqual({ requests: 3, retries: 2 });
  });

  it('the deadline bounds the whole resource: attempts shrink to fit it (fake timers)', async () => {
    // Fake timers drive the attempt timeouts, the backoff and the clock alike, so the schedule
    // is exact: 100 + 100 + 1 ms of backoff, then a last attempt cut to what is left.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      nock(HOST).get(TX_PATH).times(10).delay(500).reply(200, 'late');
      const http = new HttpTransport({
        baseUrl: BASE,
        timeoutMs: 100,
        deadlineMs: 250,
        baseDelayMs: 1,
        maxAttempts: 10,
        random: () => 0.5,
      });
      const pending = rejection(http.get(`/tx/${TXID}`));
      await vi.advanceTimersByTimeAsync(2000);
      const e = await pending;
      expect(e).toBeInstanceOf(UnavailableError);
      expect(e.message).toBe(
        `${BASE}: /tx/${TXID}: gave up after 3 attempts: timed out after 48 ms (waiting 2 ms more would pass the 250 ms deadline)`,
      );
      expect(http.stats()).toEqual({ requests: 3, retries: 2 });
    } finally {
      vi.useRealTimers();
    }
  });

  describe('a dead host (connection refused on a closed loopback port)', () => {
    let deadUrl = '';
    beforeAll(async () => {
      const server: Server = createServer();
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const { port } = server.address() as AddressInfo;
      await new Promise<void>((r) => server.close(() => r()));
      deadUrl = `http://127.0.0.1:${port}/api`;
      nock.enableNetConnect('127.0.0.1');
    });
    afterAll(() => nock.disableNetConnect());

    it('default schedule in virtual time: 6 attempts, within the 25 s deadline', async () => {
      const clock = virtualClock();
      const http = new HttpTransport({
        baseUrl: deadUrl,
        sleep: clock.sleep,
        now: clock.now,
        random: () => 0.999,
      });
      const t0 = clock.t;
      const e = await rejection(http.get('/blocks/tip/height'));
      expect(e).toBeInstanceOf(UnavailableError);
      expect(e.message).toMatch(
        new RegExp(`^${deadUrl}: /blocks/tip/height: gave up after 6 attempts: ECONNREFUSED .*ECONNREFUSED`),
      );
      expect(clock.delays).toEqual([499, 999, 1998, 3996, 7992]);
      expect(clock.t - t0).toBe(15_484);
    });

    it('after one resource gives up, queued requests fail at once; 25 s later requests go out again', async () => {
      const clock = virtualClock();
      const http = new HttpTransport({
        baseUrl: deadUrl,
        concurrency: 1,
        sleep: clock.sleep,
        now: clock.now,
        random: () => 0.999,
      });
      const t0 = clock.t;
      await expect(http.get('/tx/0')).rejects.toThrow(/\/tx\/0: gave up after 6 attempts: ECONNREFUSED/);
      expect(clock.t - t0).toBe(15_484);
      const results = await Promise.allSettled(
        Array.from({ length: 19 }, (_, k) => http.get(`/tx/${k + 1}`)),
      );
      const messages = results.map((r) => ((r as PromiseRejectedResult).reason as Error).message);
      expect(messages.length).toBe(19);
      for (const [k, m] of messages.entries()) {
        expect(m).toMatch(
          new RegExp(
            `^${deadUrl}: /tx/${k + 1}: not sent: the explorer gave up on /tx/0 just before: ECONNREFUSED`,
          ),
        );
      }
      expect(http.stats()).toEqual({ requests: 6, retries: 5 });
      clock.t += 25_000;
      await expect(http.get('/tx/again')).rejects.toThrow(/gave up after 6 attempts/);
      expect(http.stats().requests).toBe(12);
    });

    it('20 resources at once, one at a time: all end within ~30 s, each naming the refusal', async () => {
      const clock = virtualClock();
      const http = new HttpTransport({
        baseUrl: deadUrl,
        concurrency: 1,
        sleep: clock.sleep,
        now: clock.now,
        random: () => 0.999,
      });
      const t0 = clock.t;
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, k) => http.get(`/tx/${k}`)));
      for (const r of results) {
        expect(r.status).toBe('rejected');
        const e = (r as PromiseRejectedResult).reason as Error;
        expect(e).toBeInstanceOf(UnavailableError);
        expect(e.message).toMatch(/ECONNREFUSED/);
      }
      // Retries queue behind the other resources' first attempts; the deadline stops them.
      expect(http.stats().requests).toBeLessThanOrEqual(60);
      expect(clock.t - t0).toBeLessThanOrEqual(31_000);
    });

    it('a 300 ms deadline on a virtual clock: backoff 10, 20, 40, 80 ms, then 160 would pass it', async () => {
      const clock = virtualClock();
      const http = new HttpTransport({
        baseUrl: deadUrl,
        deadlineMs: 300,
        baseDelayMs: 20,
        maxAttempts: 100,
        sleep: clock.sleep,
        now: clock.now,
        random: () => 0.5,
      });
      const e = await rejection(http.get('/blocks/tip/height'));
      expect(e).toBeInstanceOf(UnavailableError);
      expect(e.message).toMatch(
        /gave up after 5 attempts: ECONNREFUSED .*\(waiting 160 ms more would pass the 300 ms deadline\)$/,
      );
      expect(clock.delays).toEqual([10, 20, 40, 80]);
      expect(http.stats().requests).toBe(5);
    });
  });
});

describe('HttpTransport: concurrency and rate', () => {
  it('never has more than `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const server = createServer((_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        res.end('ok');
      }, 15);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    nock.enableNetConnect('127.0.0.1');
    try {
      const { port } = server.address() as AddressInfo;
      const http = new HttpTransport({ baseUrl: `http://127.0.0.1:${port}/api`, concurrency: 3 });
      await Promise.all(Array.from({ length: 12 }, (_, k) => http.get(`/tx/${k}`)));
      expect(peak).toBe(3);
      expect(http.stats().requests).toBe(12);
    } finally {
      nock.disableNetConnect();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('rate 4 req/s spaces request starts 250 ms apart', async () => {
    nock(HOST)
      .get(/\/api\/x\d/)
      .times(4)
      .reply(200, 'ok');
    const delays: number[] = [];
    const http = new HttpTransport({
      baseUrl: BASE,
      rate: 4,
      concurrency: 4,
      now: () => 0,
      sleep: staticSleep(delays),
    });
    await Promise.all([0, 1, 2, 3].map((k) => http.get(`/x${k}`)));
    expect(delays).toEqual([250, 500, 750]);
    expect(http.stats().requests).toBe(4);
  });

  it('the deadline runs from the first attempt: a 40 s rate-limited queue all succeeds', async () => {
    nock(HOST)
      .get(/\/api\/q\d+/)
      .times(40)
      .reply(200, 'ok');
    const { http, clock } = transport({ rate: 1, concurrency: 1 });
    const t0 = clock.t;
    const res = await Promise.all(Array.from({ length: 40 }, (_, k) => http.get(`/q${k}`)));
    expect(res.length).toBe(40);
    expect(clock.t - t0).toBe(39_000);
    expect(http.stats()).toEqual({ requests: 40, retries: 0 });
  });

  it('rate 0 is unlimited: no waiting', async () => {
    nock(HOST)
      .get(/\/api\/x\d/)
      .times(4)
      .reply(200, 'ok');
    const { http, clock } = transport({ rate: 0 });
    await Promise.all([0, 1, 2, 3].map((k) => http.get(`/x${k}`)));
    expect(clock.delays).toEqual([]);
  });
});

describe('helpers', () => {
  it('parseRetryAfter reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:05 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBe(null);
    expect(parseRetryAfter(undefined, now)).toBe(null);
  });

  it('describeBody gives titles of HTML pages and one-line text', () => {
    expect(describeBody('<html><head><title>503 Service Unavailable</title></head></html>')).toBe(
      '503 Service Unavailable',
    );
    expect(describeBody('<html><body>x</body></html>')).toBe('HTML page');
    expect(describeBody('Invalid hex string\n')).toBe('Invalid hex string');
    expect(describeBody('x'.repeat(300)).length).toBe(201);
  });

  it('rejects a base URL without a scheme', () => {
    expect(() => new HttpTransport({ baseUrl: 'mempool.space/api' })).toThrow(
      'API URL must start with http:// or https://, got "mempool.space/api"',
    );
  });
});
