// The demo chain served as BigQuery rows gives the trace CSV of the Esplora offline run, byte for
// byte, through the real CLI path (official client, Application Default Credentials, REST).
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIO, DEMO_DIR, DEMO_TAGS, SHOP_A } from '../cli/helpers.js';
import { loadDemoChain } from '../support/load-chain.js';
import { fakeBigQuery, fakeCredentials, dropCredentials } from '../support/bigquery-fake.js';

const DEMO_ARGS = ['trace', SHOP_A, '--tags', DEMO_TAGS, '--hops', '6', '--format', 'csv'];

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

async function run(args: string[]) {
  const io = captureIO();
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

describe('--provider bigquery on the demo chain', () => {
  it('address: the same report as the offline run', async () => {
    const args = ['address', SHOP_A, '--format', 'json'];
    const offline = await run([...args, '--offline', DEMO_DIR]);
    const fake = fakeBigQuery(loadDemoChain());
    try {
      const bq = await run([...args, '--provider', 'bigquery', '-q']);
      expect(bq.err).toBe('');
      expect(bq.code).toBe(0);
      // Everything but where the data came from (the source, and the run's metadata block).
      const strip = (t: string) => {
        const { meta, ...doc } = JSON.parse(t) as Record<string, unknown>;
        expect(meta).toBeDefined();
        return JSON.stringify({ ...doc, source: '' });
      };
      expect(strip(bq.out)).toBe(strip(offline.out));
      expect(JSON.parse(bq.out)).toMatchObject({
        source: 'bigquery bigquery-public-data.crypto_bitcoin',
        meta: { options: { provider: 'bigquery' } },
      });
    } finally {
      fake.done();
    }
  });

  it.each([
    ['backward', 'fifo'],
    ['forward', 'poison'],
  ])('%s %s: the same CSV as the offline run', async (direction, model) => {
    const args = [...DEMO_ARGS, '--direction', direction, '--model', model];
    const offline = await run([...args, '--offline', DEMO_DIR]);
    const fake = fakeBigQuery(loadDemoChain());
    try {
      const bq = await run([...args, '--provider', 'bigquery', '-q']);
      expect(bq.err).toBe('');
      expect(offline.code).toBe(0);
      expect(bq.code).toBe(0);
      expect(bq.out).toBe(offline.out);
    } finally {
      fake.done();
    }
  });

  it('writes the same trace CSV as the Esplora offline run, in at most hops + 2 queries', async () => {
    const offline = await run([...DEMO_ARGS, '--offline', DEMO_DIR]);
    expect(offline.code).toBe(0);
    const fake = fakeBigQuery(loadDemoChain());
    try {
      const bq = await run([...DEMO_ARGS, '--provider', 'bigquery', '--max-bytes-billed', '2GB']);
      expect(bq.err).not.toMatch(/error|PARTIAL/i);
      expect(bq.code).toBe(0);
      expect(bq.out).toBe(offline.out);
      expect(bq.out.split('\n').length).toBeGreaterThan(10);
      expect(fake.queries.length).toBeLessThanOrEqual(6 + 2);
      // Every query has its dry run first, and each estimate is printed before it runs.
      expect(fake.dryRuns).toBe(fake.queries.length);
      const notices = bq.err.split('\n').filter((l) => l.startsWith('bigquery: query '));
      expect(notices).toHaveLength(fake.queries.length);
      expect(notices[0]).toMatch(
        /^bigquery: query 1 \(1 address history, tip height\): dry run estimates 1000000000 bytes \(1\.0 GB\) scanned; limit 2\.0 GB$/,
      );
    } finally {
      fake.done();
    }
  });
});
