// A frontier at a time: the number of BigQuery queries for an N-seed, H-hop run stays at most
// H + 2 whatever N, for one trace of N seeds and for a batch of N seeds; and the frontier
// statements name the partitions (block months) once they are known.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIO } from '../cli/helpers.js';
import { fakeBigQuery, fakeCredentials, dropCredentials } from '../support/bigquery-fake.js';
import { seedChains } from '../support/seed-chains.js';
import { removeScratchDirs, scratchDir } from '../support/scratch.js';

afterAll(removeScratchDirs);

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

async function traceCount(n: number, hops: number) {
  const { chain, seeds } = seedChains(n, hops);
  const fake = fakeBigQuery(chain);
  try {
    const io = captureIO();
    const code = await main(
      ['trace', ...seeds, '--provider', 'bigquery', '--hops', String(hops), '--format', 'csv', '-q'],
      io,
    );
    const rows = io.out.trim().split('\n').slice(1);
    return { code, err: io.err, rows, queries: fake.queries };
  } finally {
    fake.done();
  }
}

describe('queries per run on --provider bigquery', () => {
  it.each([
    [1, 1],
    [1, 4],
    [10, 4],
    [100, 4],
    [100, 2],
    [1000, 2],
  ])('%i seeds x %i hops: every output found, at most hops + 2 queries', async (n, hops) => {
    const r = await traceCount(n, hops);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    // Each seed: its received output (hop 0) and one output a hop.
    expect(r.rows).toHaveLength(n * (hops + 1));
    // The last hop's outputs are unspent: their (empty) spenders were asked in the last query.
    const last = r.rows.filter((l) => l.startsWith(`${hops},`));
    expect(last).toHaveLength(n);
    expect(last.every((l) => l.includes(',unspent,'))).toBe(true);
    expect(r.queries.length).toBeLessThanOrEqual(hops + 2);
    // Measured: histories + tip in one, then one statement a hop.
    expect(r.queries.length).toBe(hops + 1);
  });

  // The call-count table of the issue, on one fixture: Esplora requests vs BigQuery queries.
  it.each([
    [1, 1, 3, 2],
    [1, 4, 9, 5],
    [10, 4, 81, 5],
    [100, 4, 801, 5],
  ])(
    '%i seeds x %i hops: Esplora %i requests, BigQuery %i queries, the same CSV',
    async (n, hops, esploraCalls, bqQueries) => {
      const { chain, seeds } = seedChains(n, hops);
      let requests = 0;
      nock('http://esplora.test')
        .get(/.*/)
        .times(10 * esploraCalls)
        .reply((uri) => {
          requests++;
          const a = chain.answer(uri.replace(/^\/api/, ''));
          return [a.status, a.body, { 'content-type': a.contentType }];
        });
      const common = ['trace', ...seeds, '--hops', String(hops), '--format', 'csv', '-q'];
      const viaEsplora = captureIO();
      expect(await main([...common, '--api-url', 'http://esplora.test/api', '--no-cache'], viaEsplora)).toBe(
        0,
      );
      const fake = fakeBigQuery(chain);
      try {
        const viaBigQuery = captureIO();
        expect(await main([...common, '--provider', 'bigquery'], viaBigQuery)).toBe(0);
        expect(viaBigQuery.out).toBe(viaEsplora.out);
        expect(requests).toBe(esploraCalls);
        expect(fake.queries.length).toBe(bqQueries);
      } finally {
        fake.done();
      }
    },
  );

  it('names the block months of the frontier once they are known (partition pruning)', async () => {
    const r = await traceCount(3, 4);
    const [first, second, third, fourth] = r.queries;
    expect(first!.params.has('addresses')).toBe(true);
    expect(first!.params.has('tx_months')).toBe(false);
    // The hop-1 transactions came with the histories, so their month is known.
    expect(second!.params.get('spent_from')).toEqual(['2024-07-01']);
    // Hop 2's spenders were named by query 2, with their block times.
    expect(third!.params.get('tx_months')).toEqual(['2024-07-01']);
    expect(third!.params.get('txids')).toHaveLength(3);
    expect(fourth!.params.get('tx_months')).toEqual(['2024-08-01']);
  });

  it('a batch of 60 seeds runs in lockstep: at most hops + 2 queries for the whole batch', async () => {
    const hops = 3;
    const { chain, seeds } = seedChains(60, hops);
    const dir = scratchDir('btctrace-bq-batch-');
    const list = join(dir, 'seeds.txt');
    writeFileSync(list, seeds.join('\n') + '\n');
    const fake = fakeBigQuery(chain);
    try {
      const io = captureIO();
      const code = await main(
        [
          'batch',
          list,
          '--out-dir',
          join(dir, 'out'),
          '--provider',
          'bigquery',
          '--hops',
          String(hops),
          '-q',
        ],
        io,
      );
      expect(code).toBe(0);
      const files = readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.csv') && f !== 'summary.csv');
      expect(files).toHaveLength(60);
      const one = readFileSync(join(dir, 'out', files[0]!), 'utf8')
        .trim()
        .split('\n');
      expect(one).toHaveLength(1 + hops + 1);
      expect(fake.queries.length).toBeLessThanOrEqual(hops + 2);
      expect(fake.queries.length).toBe(hops + 1); // measured
    } finally {
      fake.done();
    }
  });
});
