// The loopback Esplora server: same bodies as MemoryChain, latency, 429s, faults, clean close.

import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BAD_GATEWAY_BODY,
  RATE_LIMIT_BODY,
  startEsploraServer,
  type EsploraServer,
} from '../support/esplora-server.js';
import { httpGet, type GetResult } from '../support/http-get.js';
import { loadDemoChain } from '../support/load-chain.js';

const chain = loadDemoChain();
const txid = chain.txids()[20]!;
const hot = 'bc1qdghlu0jkyuxtrhxd45arnwe5y3twgxt7m06c3h';

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => {
  nock.enableNetConnect();
});

const servers: EsploraServer[] = [];
async function start(opts: Parameters<typeof startEsploraServer>[1] = {}): Promise<EsploraServer> {
  const s = await startEsploraServer(chain, opts);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function response(r: GetResult): Extract<GetResult, { kind: 'response' }> {
  if (r.kind !== 'response') throw new Error(`expected a response, got ${JSON.stringify(r)}`);
  return r;
}

describe('serving the chain', () => {
  it('answers the same bodies, statuses and content types as MemoryChain, under /api', async () => {
    const s = await start();
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
    const paths = [
      '/blocks/tip/height',
      `/tx/${txid}`,
      `/tx/${txid}/hex`,
      `/tx/${txid}/outspends`,
      `/address/${hot}`,
      `/address/${hot}/txs`,
      `/txs/outspends?txids=${txid},${chain.txids()[21]}`,
      `/tx/${'00'.repeat(32)}`,
      '/address/nope',
    ];
    for (const path of paths) {
      const r = response(await httpGet(s.url + path));
      const a = chain.answer(path);
      expect([r.status, r.body, r.headers['content-type']], path).toEqual([a.status, a.body, a.contentType]);
    }
    expect(s.counts.requests).toBe(9);
    expect(s.log.map((e) => e.outcome)).toEqual(Array(9).fill('ok'));
    expect(s.log.map((e) => e.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 404, 400]);
    const outside = response(await httpGet(s.url.replace(/\/api$/, '/tx/abc')));
    expect([outside.status, outside.body]).toEqual([404, 'endpoint does not exist "/tx/abc"']);
  });

  it('counts requests per path and reports paths answered twice', async () => {
    const s = await start();
    await httpGet(`${s.url}/tx/${txid}`);
    await httpGet(`${s.url}/tx/${txid}`);
    await httpGet(`${s.url}/tx/${txid}/hex`);
    expect(s.counts.byPath.get(`/tx/${txid}`)).toBe(2);
    expect(s.counts.byPath.get(`/tx/${txid}/hex`)).toBe(1);
    expect(s.repeated()).toEqual([`/tx/${txid}`]);
    expect(s.log[1]!.time).toBeGreaterThanOrEqual(s.log[0]!.time);
  });

  it('adds the configured latency to every answer', async () => {
    const s = await start({ latencyMs: 80 });
    const results = await Promise.all([1, 2, 3].map(() => httpGet(`${s.url}/tx/${txid}`)));
    for (const r of results) {
      expect(response(r).status).toBe(200);
      expect(r.ms).toBeGreaterThanOrEqual(78); // timer granularity
    }
    // Concurrent requests wait in parallel, not one after the other.
    expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(400);
  });
});

describe('rate limit', () => {
  it('answers 429 with an HTML page and Retry-After beyond the burst', async () => {
    const s = await start({ rateLimit: { perSecond: 1, burst: 2, retryAfter: true } });
    const rs = [];
    for (let i = 0; i < 3; i++) rs.push(response(await httpGet(`${s.url}/tx/${txid}`)));
    expect(rs.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(rs[2]!.body).toBe(RATE_LIMIT_BODY);
    expect(rs[2]!.body).toContain('<title>429 Too Many Requests</title>');
    expect(rs[2]!.headers['content-type']).toBe('text/html');
    expect(rs[2]!.headers['retry-after']).toBe('1');
    expect(s.log.map((e) => e.outcome)).toEqual(['ok', 'ok', '429']);
    expect(s.repeated()).toEqual([`/tx/${txid}`]); // 429s do not count as answers
  });

  it('sends no Retry-After when asked not to (like blockstream.info), and refills over time', async () => {
    const s = await start({ rateLimit: { perSecond: 20, burst: 1, retryAfter: false } });
    const first = response(await httpGet(`${s.url}/tx/${txid}`));
    const second = response(await httpGet(`${s.url}/tx/${txid}`));
    expect([first.status, second.status]).toEqual([200, 429]);
    expect(second.headers['retry-after']).toBeUndefined();
    await new Promise((r) => setTimeout(r, 120)); // 20/s: one token every 50 ms
    expect(response(await httpGet(`${s.url}/tx/${txid}`)).status).toBe(200);
  });
});

describe('faults', () => {
  it('502: an HTML page, at most maxPerPath times, then the real answer', async () => {
    const s = await start({ faults: { rate: 1, kinds: ['502'], seed: 7, maxPerPath: 2 } });
    const rs = [];
    for (let i = 0; i < 3; i++) rs.push(response(await httpGet(`${s.url}/tx/${txid}`)));
    expect(rs.map((r) => r.status)).toEqual([502, 502, 200]);
    expect(rs[0]!.body).toBe(BAD_GATEWAY_BODY);
    expect(rs[0]!.headers['content-type']).toBe('text/html');
    expect(rs[2]!.body).toBe(chain.answer(`/tx/${txid}`).body);
    expect(s.log.map((e) => e.outcome)).toEqual(['502', '502', 'ok']);
  });

  it('truncated: status 200 with the first half of a JSON body; text bodies get a 502 instead', async () => {
    const s = await start({ faults: { rate: 1, kinds: ['truncated'], seed: 1, maxPerPath: 1 } });
    const full = chain.answer(`/tx/${txid}/outspends`).body;
    const cut = response(await httpGet(`${s.url}/tx/${txid}/outspends`));
    expect(cut.status).toBe(200);
    expect(cut.body).toBe(full.slice(0, Math.floor(full.length / 2)));
    expect(() => JSON.parse(cut.body) as unknown).toThrow();
    expect(response(await httpGet(`${s.url}/tx/${txid}/outspends`)).body).toBe(full);
    const tip = response(await httpGet(`${s.url}/blocks/tip/height`));
    expect(tip.status).toBe(502);
    expect(s.log.map((e) => e.outcome)).toEqual(['truncated', 'ok', '502']);
  });

  it('reset: the connection is destroyed without an answer', async () => {
    const s = await start({ faults: { rate: 1, kinds: ['reset'], seed: 3, maxPerPath: 1 } });
    const r = await httpGet(`${s.url}/tx/${txid}`);
    expect(r.kind).toBe('error');
    expect(r.kind === 'error' && ['ECONNRESET', 'EPIPE'].includes(r.code)).toBe(true);
    expect(response(await httpGet(`${s.url}/tx/${txid}`)).status).toBe(200);
    expect(s.log.map((e) => [e.outcome, e.status])).toEqual([
      ['reset', 0],
      ['ok', 200],
    ]);
  });

  it('hang: never answered, so the client timeout must fire; close() still ends cleanly', async () => {
    const s = await start({ faults: { rate: 1, kinds: ['hang'], seed: 3, maxPerPath: 1 } });
    const r = await httpGet(`${s.url}/tx/${txid}`, 150);
    expect(r.kind).toBe('timeout');
    expect(r.ms).toBeGreaterThanOrEqual(145);
    expect(response(await httpGet(`${s.url}/tx/${txid}`)).status).toBe(200);
  });

  it('draws the same faults for the same seed, whatever the request order', async () => {
    const paths = chain.allPaths().slice(0, 60);
    const opts = { faults: { rate: 0.3, kinds: ['502', 'truncated'] as ('502' | 'truncated')[], seed: 42 } };
    const a = await start(opts);
    const b = await start(opts);
    for (const p of paths) await httpGet(a.url + p);
    for (const p of [...paths].reverse()) await httpGet(b.url + p);
    const outcomes = (s: EsploraServer): string[] => s.log.map((e) => `${e.path} ${e.outcome}`).sort();
    expect(outcomes(a)).toEqual(outcomes(b));
    const faulted = a.log.filter((e) => e.outcome !== 'ok').length;
    expect(faulted).toBe(21); // of 60 requests at rate 0.3
    expect(a.log.filter((e) => e.outcome === 'truncated').length).toBe(6);
  });
});

describe('close()', () => {
  const count = (): Record<string, number> => {
    const c: Record<string, number> = {};
    for (const r of process.getActiveResourcesInfo()) c[r] = (c[r] ?? 0) + 1;
    return c;
  };

  it('leaves no server, socket or timer handle behind, even with a hanging request and pending latency', async () => {
    await new Promise((r) => setTimeout(r, 20)); // let earlier tests' handles finish closing
    const before = count();
    const s = await startEsploraServer(chain, {
      latencyMs: 5_000,
      faults: { rate: 1, kinds: ['hang'], seed: 1, maxPerPath: 1 },
    });
    const hanging = httpGet(`${s.url}/tx/${txid}`, 10_000);
    const delayed = httpGet(`${s.url}/tx/${chain.txids()[0]}`, 10_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(s.counts.requests).toBe(2);
    const during = count();
    expect(during.TCPServerWrap ?? 0).toBe((before.TCPServerWrap ?? 0) + 1);
    await s.close();
    const [h, d] = await Promise.all([hanging, delayed]);
    expect([h.kind, d.kind]).toEqual(['error', 'error']);
    // libuv releases closed handles a moment after the close callbacks: poll briefly.
    const kinds = ['TCPServerWrap', 'TCPSocketWrap', 'Timeout'];
    const settled = (): boolean => kinds.every((k) => (count()[k] ?? 0) <= (before[k] ?? 0));
    for (let i = 0; i < 50 && !settled(); i++) await new Promise((r) => setTimeout(r, 10));
    const after = count();
    for (const kind of kinds) expect(after[kind] ?? 0, kind).toBeLessThanOrEqual(before[kind] ?? 0);
    await s.close(); // twice is harmless
  });
});
