// Requests a trace costs on the demo chain: Esplora (loopback server, no cache, no bulk
// outspends) against GraphSense (nock), for N seeds x H hops. The numbers are the README's and
// the call-count table; both sources must give the same CSV for each cell.
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIO, DEMO_TAGS } from '../cli/helpers.js';
import { startEsploraServer, type EsploraServer } from '../support/esplora-server.js';
import { emptyCalls, GraphSenseChain, gsKind, type GsKind } from '../support/graphsense-chain.js';
import { loadDemoChain } from '../support/load-chain.js';

const BASE = 'https://graphsense.test';
// ShopA..ShopD (fixtures/demo/CASE.md): one cluster, so the walks overlap.
const SHOPS = [
  'bc1qgxa0vq022w24wgcw78zr2zvla445qujuhm6wq8',
  'bc1qlq2thetqmef3j2ea35lnt9nunc0xs97f9mjdev',
  'bc1qzjhwgsl92vavyd58q9demxp2uxk7j0qpmn5y2j',
  '3Q1nY8fjcEp7Yi2TtrF97pQQffdmqfK4Lg',
];

let server: EsploraServer;
beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  server = await startEsploraServer(loadDemoChain());
});
afterAll(async () => {
  await server.close();
  nock.cleanAll();
  nock.enableNetConnect();
});

async function trace(seeds: string[], hops: number, source: string[]) {
  const io = captureIO();
  const args = ['trace', ...seeds, '--tags', DEMO_TAGS, '--hops', String(hops), '--format', 'csv'];
  const code = await main([...args, '--no-cache', '-q', ...source], io);
  expect(io.err).toBe('');
  expect(code).toBe(0);
  return io.out;
}

async function esploraCount(seeds: string[], hops: number) {
  const before = server.counts.requests;
  const out = await trace(seeds, hops, ['--api-url', server.url]);
  return { out, requests: server.counts.requests - before };
}

async function graphsenseCount(seeds: string[], hops: number, bulk: boolean) {
  const chain = new GraphSenseChain();
  const calls: Record<GsKind, number> = emptyCalls();
  nock(BASE)
    .persist()
    .post(/.*/)
    .reply((uri, body) => {
      calls[gsKind(uri)]++;
      // A host without the bulk route: 404, and btctrace asks one by one from then on.
      const a = bulk ? chain.bulk(uri, body) : { status: 404, body: '{"detail":"Not Found"}' };
      return [a.status, a.body, { 'Content-Type': 'application/json' }];
    })
    .get(/.*/)
    .reply((uri) => {
      calls[gsKind(uri)]++;
      const a = chain.answer(uri);
      return [a.status, a.body, { 'Content-Type': 'application/json' }];
    });
  const out = await trace(seeds, hops, ['--provider', 'graphsense', '--api-url', BASE]);
  nock.cleanAll();
  const { other, ...byEndpoint } = calls;
  expect(other).toBe(0);
  return { out, calls: byEndpoint, total: Object.values(byEndpoint).reduce((a, b) => a + b, 0) };
}

// Measured here (demo chain), one request per resource (a host that refuses bulk; its refused
// POSTs of the first tick are counted apart):
// seeds x hops -> Esplora requests, GraphSense [tx, spending, spent_in, address_txs, tags].
// Esplora embeds whole transactions in address histories; GraphSense lists hashes, so each
// history transaction costs 2 requests (body + /spending), and each address read one /tags.
const ONE_BY_ONE: Record<string, [number, number, number, number, number, number]> = {
  '1x1': [4, 7, 7, 2, 1, 18],
  '1x2': [6, 8, 8, 3, 1, 20],
  '1x4': [10, 10, 10, 5, 1, 24],
  '1x6': [18, 14, 14, 9, 1, 37],
  '4x1': [7, 15, 15, 2, 4, 31],
  '4x2': [9, 16, 16, 3, 4, 33],
  '4x4': [13, 18, 18, 5, 4, 37],
  '4x6': [21, 22, 22, 9, 4, 50],
};

describe('requests per trace, Esplora vs GraphSense (demo chain)', () => {
  for (const n of [1, 4]) {
    for (const hops of [1, 2, 4, 6]) {
      it(`${n} seed(s) x ${hops} hop(s)`, async () => {
        const seeds = SHOPS.slice(0, n);
        const es = await esploraCount(seeds, hops);
        // GraphSense indexes blocks only: ShopB's unconfirmed payment (no block_height) is the one
        // row Esplora has and GraphSense cannot.
        const confirmed = es.out.split('\n').filter((l) => l.split(',')[9] !== '');
        expect(es.out.split('\n').length - confirmed.length).toBe(n > 1 ? 1 : 0);

        const one = await graphsenseCount(seeds, hops, false);
        expect(one.out).toBe(confirmed.join('\n'));
        const [esplora, tx, spending, spentIn, history, tags] = ONE_BY_ONE[`${n}x${hops}`]!;
        expect(es.requests).toBe(esplora);
        const { bulk: refused, bulk_tags: refusedTags, ...perResource } = one.calls;
        expect(perResource).toEqual({
          tx,
          spending,
          spent_in: spentIn,
          address_txs: history,
          tags,
          entity: 0,
          stats: 1,
        });
        // Bulk requests already sent when the first refusal came back are refused too (a few).
        for (const r of [refused, refusedTags]) {
          expect(r).toBeGreaterThanOrEqual(1);
          expect(r).toBeLessThanOrEqual(3 * n);
        }

        // With bulk: what one tick asks leaves together. How many ticks a hop spreads over depends
        // on when answers arrive, so the bound, not the count: per hop (and for the seeds' own
        // histories and their first spenders) at most one request per endpoint, 4 endpoints,
        // plus the tip and each seed's history page(s).
        const bulk = await graphsenseCount(seeds, hops, true);
        expect(bulk.out).toBe(one.out);
        expect(bulk.total).toBeLessThanOrEqual(1 + n + 4 * (hops + 2));
        expect(bulk.total).toBeLessThan(one.total);
      });
    }
  }
});
