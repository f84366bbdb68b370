// BigQuery queries for the demo chain, N seeds x H hops: the BigQuery column of the call-count
// table on the same fixture as test/backends/graphsense-calls.test.ts (Esplora and GraphSense).
// Each run must give the offline run's rows (confirmed ones: the export holds no mempool) in at
// most H + 2 queries, whatever N.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIO, DEMO_TAGS } from '../cli/helpers.js';
import { loadDemoChain } from '../support/load-chain.js';
import { fakeBigQuery, fakeCredentials, dropCredentials } from '../support/bigquery-fake.js';

// The demo's shops but ShopB, whose one payment is still in the mempool (the export holds
// confirmed transactions only, so the fake answers it with no block height: an error, as it should).
const SHOPS = [
  'bc1qgxa0vq022w24wgcw78zr2zvla445qujuhm6wq8',
  'bc1qzjhwgsl92vavyd58q9demxp2uxk7j0qpmn5y2j',
  '3Q1nY8fjcEp7Yi2TtrF97pQQffdmqfK4Lg',
];

beforeAll(() => {
  nock.disableNetConnect();
  fakeCredentials();
});
afterEach(() => nock.abortPendingRequests());
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  dropCredentials();
});

// measured here: seeds x hops -> queries (each after its dry run)
const EXPECTED: [number, number, number][] = [
  [1, 1, 2],
  [1, 2, 3],
  [1, 4, 5],
  [1, 6, 7],
  [3, 1, 2],
  [3, 2, 3],
  [3, 4, 5],
  [3, 6, 7],
];

describe('BigQuery queries on the demo chain', () => {
  it.each(EXPECTED)('%i seeds x %i hops: %i queries, at most hops + 2', async (n, hops, want) => {
    const fake = fakeBigQuery(loadDemoChain());
    try {
      const io = captureIO();
      const args = ['trace', ...SHOPS.slice(0, n), '--tags', DEMO_TAGS, '--hops', String(hops)];
      const code = await main([...args, '--format', 'csv', '--provider', 'bigquery', '-q'], io);
      expect(io.err).toBe('');
      expect(code).toBe(0);
      expect(io.out.split('\n').length).toBeGreaterThan(2);
      expect(fake.queries.length).toBe(want);
      expect(fake.queries.length).toBeLessThanOrEqual(hops + 2);
      expect(fake.dryRuns).toBe(fake.queries.length);
    } finally {
      fake.done();
    }
  });
});
