// Cost and failure behaviour of --provider bigquery: the dry-run limit (at the boundary), errors
// BigQuery answers with (quota, billing, bytes-billed limit, auth), polling and paging of
// results, values that are not integer strings, and option checks. Through nock, no network.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { QueryRunner, type RequestClient } from '../../src/sources/bigquery/client.js';
import { parseBytesOption } from '../../src/cli/bigquery-options.js';
import { captureIO, DEMO_DIR, DEMO_TAGS, SHOP_A } from '../cli/helpers.js';
import { loadDemoChain } from '../support/load-chain.js';
import { API, PROJECT, dropCredentials, fakeBigQuery, fakeCredentials } from '../support/bigquery-fake.js';
import { removeScratchDirs, scratchDir } from '../support/scratch.js';

afterAll(removeScratchDirs);

const BQ = ['trace', SHOP_A, '--tags', DEMO_TAGS, '--hops', '6', '--format', 'csv', '--provider', 'bigquery'];
const QUERIES = `/bigquery/v2/projects/${PROJECT}/queries`;

beforeAll(() => nock.disableNetConnect());
beforeEach(() => void fakeCredentials());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  dropCredentials();
});

async function run(args: string[]) {
  const io = captureIO();
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

function errorBody(code: number, reason: string, message: string) {
  return { error: { code, message, errors: [{ reason, message, domain: 'global' }], status: 'ERROR' } };
}

describe('the dry-run cost limit', () => {
  /** A client answering dry runs with `bytes` and real queries with one tip row. */
  function client(bytes: string, sent: unknown[]): RequestClient {
    return {
      request(opts, cb) {
        const body = opts.json as { dryRun?: boolean; maximumBytesBilled?: string };
        sent.push(body);
        if (body.dryRun) return cb(null, { totalBytesProcessed: bytes, jobComplete: true });
        cb(null, { jobComplete: true, totalRows: '1', rows: [{ f: [{ v: 'tip' }, { v: '' }, { v: '5' }] }] });
      },
    };
  }

  it('runs a query estimated at exactly the limit, with maximumBytesBilled set', async () => {
    const sent: { dryRun?: boolean; maximumBytesBilled?: string }[] = [];
    const notices: string[] = [];
    const r = new QueryRunner(client('1000000', sent), {
      maxBytesBilled: 1_000_000n,
      onNotice: (l) => notices.push(l),
    });
    await expect(r.run('SELECT 1', [], 'tip height')).resolves.toEqual([{ kind: 'tip', key: '', body: '5' }]);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.maximumBytesBilled).toBe('1000000');
    expect(notices).toEqual([
      'bigquery: query 1 (tip height): dry run estimates 1000000 bytes (1.0 MB) scanned; limit 1.0 MB',
    ]);
    expect(r.stats()).toMatchObject({ dryRuns: 1, queries: 1, bytesEstimated: 1_000_000 });
  });

  it('refuses a query estimated one byte above the limit, and runs nothing', async () => {
    const sent: unknown[] = [];
    const r = new QueryRunner(client('1000001', sent), { maxBytesBilled: 1_000_000n });
    await expect(r.run('SELECT 1', [], 'tip height')).rejects.toThrow(
      'bigquery: query 1 would scan 1000001 bytes (1.0 MB), above --max-bytes-billed 1000000 (1.0 MB); nothing was run: raise --max-bytes-billed to run it',
    );
    expect(sent).toHaveLength(1);
    expect(r.stats().queries).toBe(0);
  });

  it('the CLI refuses with one line and exit 1, writes nothing, sends no query', async () => {
    const fake = fakeBigQuery(loadDemoChain(), { bytes: () => 2_000_000_001 });
    const r = await run([...BQ, '--max-bytes-billed', '2GB']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(fake.queries).toHaveLength(0);
    const last = r.err.trim().split('\n').pop()!;
    expect(last).toMatch(
      /^btctrace: nothing traced: .*would scan 2000000001 bytes \(2\.0 GB\), above --max-bytes-billed 2000000000/,
    );
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('a refusal in the middle of a run', () => {
  it('the result so far is written, marked partial, exit 1', async () => {
    let dry = 0;
    // Queries 1-2 are cheap, the third would scan 5 GB: hops 1-2 are traced, the rest not.
    const fake = fakeBigQuery(loadDemoChain(), { bytes: () => (++dry >= 3 ? 5e9 : 1000) });
    const r = await run([...BQ, '--max-bytes-billed', '1GB']);
    expect(r.code).toBe(1);
    expect(fake.queries).toHaveLength(2);
    const rows = r.out.trim().split('\n').slice(1);
    expect(rows.filter((l) => l.includes(',error,')).length).toBeGreaterThan(0);
    expect(rows.filter((l) => l.includes(',seed,')).length).toBeGreaterThan(0);
    expect(r.err).toMatch(/would scan 5000000000 bytes \(5\.0 GB\), above --max-bytes-billed 1000000000/);
    expect(r.err).toMatch(/PARTIAL RESULT: see the warning above/);
  });
});

describe('errors BigQuery answers with', () => {
  it.each([
    [
      403,
      'quotaExceeded',
      'Quota exceeded: Your project exceeded quota for free query bytes scanned',
      'bigquery: quota exceeded: ',
    ],
    [
      403,
      'billingNotEnabled',
      'Billing has not been enabled for this project.',
      'bigquery: billing is not enabled for the project: ',
    ],
    [
      403,
      'accessDenied',
      'Access Denied: Project btctrace-test-project: User does not have bigquery.jobs.create permission',
      'bigquery: access denied: ',
    ],
    [
      400,
      'bytesBilledLimitExceeded',
      'Query exceeded limit for bytes billed: 1000. 10485760 or higher required.',
      'bigquery refused to bill more than --max-bytes-billed 1000 bytes (1.0 kB): ',
    ],
  ])('HTTP %i %s: exit 1 with one line naming it', async (status, reason, message, prefix) => {
    nock(API)
      .post(QUERIES)
      .query(true)
      .reply(status, errorBody(status, reason, message));
    const r = await run([...BQ, '--max-bytes-billed', '1000']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain(prefix + message);
    expect(r.err.trim().split('\n').pop()).toMatch(/^btctrace: nothing traced: /);
    expect(r.err).not.toContain('fake-access-token');
  });

  it('missing credentials: exit 1, says how to provide them', async () => {
    const saved = process.env.GOOGLE_APPLICATION_CREDENTIALS;
    process.env.GOOGLE_APPLICATION_CREDENTIALS = '/nonexistent/btctrace-key.json';
    try {
      const r = await run(BQ);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/GOOGLE_APPLICATION_CREDENTIALS/);
    } finally {
      process.env.GOOGLE_APPLICATION_CREDENTIALS = saved;
    }
  });
});

describe('reading results', () => {
  async function offlineCsv() {
    return (
      await run([
        'trace',
        SHOP_A,
        '--tags',
        DEMO_TAGS,
        '--hops',
        '6',
        '--format',
        'csv',
        '--offline',
        DEMO_DIR,
      ])
    ).out;
  }

  it('polls a job that is not complete yet, then reads it', async () => {
    const fake = fakeBigQuery(loadDemoChain(), { pendingPolls: 2 });
    const r = await run(BQ);
    expect(r.code).toBe(0);
    expect(r.out).toBe(await offlineCsv());
    // Per query: 2 polls answered "not complete", then the results.
    expect(fake.resultCalls).toBe(fake.queries.length * 3);
  });

  it('pages through results with pageToken: the same CSV', async () => {
    const fake = fakeBigQuery(loadDemoChain(), { pageSize: 2 });
    const r = await run(BQ);
    expect(r.code).toBe(0);
    expect(r.out).toBe(await offlineCsv());
    expect(fake.resultCalls).toBeGreaterThan(fake.queries.length);
  });

  it('a value that is not an integer string is an error, never a rounded number', async () => {
    nock(API)
      .persist()
      .post(QUERIES)
      .query(true)
      .reply((_u, body) => {
        if ((body as { dryRun?: boolean }).dryRun)
          return [200, { totalBytesProcessed: '10', jobComplete: true }];
        const hist = JSON.stringify({ hash: 'aa'.repeat(32), height: 1 });
        const tx = JSON.stringify({
          ...{ hash: 'aa'.repeat(32), size: 100, vsize: 100, version: 1, locktime: 0, coinbase: true },
          ...{ block_hash: 'bb'.repeat(32), height: 1, time: 1_231_006_505, fee: '0', nin: 0, nout: 1 },
          ...{ vin: [], vout: [{ n: 0, script: '0014' + 'cc'.repeat(20), value: '1.5' }] },
        });
        const rows = [
          ['hist', SHOP_A, hist],
          ['tx', 'aa'.repeat(32), tx],
        ];
        return [
          200,
          { jobComplete: true, totalRows: '2', rows: rows.map((r) => ({ f: r.map((v) => ({ v })) })) },
        ];
      });
    const r = await run(BQ);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/vout\[0\]: value: expected an integer satoshi string, got "1\.5"/);
  });
});

describe('billing project and manifest', () => {
  it('--bq-project names the project the query jobs go to', async () => {
    let asked = 0;
    nock(API)
      .post('/bigquery/v2/projects/other-project-1/queries')
      .query(true)
      .reply(() => {
        asked++;
        return [403, errorBody(403, 'accessDenied', 'Access Denied: Project other-project-1')];
      });
    const r = await run([...BQ, '--bq-project', 'other-project-1']);
    expect(asked).toBe(1);
    expect(r.code).toBe(1);
    expect(r.err).toContain('bigquery: access denied: Access Denied: Project other-project-1');
  });

  it('the manifest records the data source, queries, dry runs and bytes', async () => {
    const fake = fakeBigQuery(loadDemoChain(), { bytes: () => 123_456 });
    const dir = scratchDir('btctrace-bq-manifest-');
    const out = join(dir, 'trace.csv');
    const r = await run([...BQ, '-o', out, '-q']);
    expect(r.code).toBe(0);
    const manifest = readFileSync(`${out}.manifest.json`, 'utf8');
    const n = fake.queries.length;
    expect(manifest).toContain('bigquery bigquery-public-data.crypto_bitcoin');
    expect(manifest).toContain(`"bigquery_queries": ${n}`);
    expect(manifest).toContain(`"bigquery_dry_runs": ${n}`);
    expect(manifest).toContain(`"bigquery_bytes_estimated": ${n * 123_456}`);
    expect(manifest).toContain(`"bigquery_bytes_processed": ${n * 1000}`);
  });
});

describe('options', () => {
  it.each([
    ['500GB', 500_000_000_000n],
    ['1TiB', 2n ** 40n],
    ['2000000', 2_000_000n],
    ['1', 1n],
    ['1000TB', 10n ** 15n],
  ])('--max-bytes-billed %s = %s bytes', (text, bytes) => {
    expect(parseBytesOption('--max-bytes-billed', text)).toBe(bytes);
  });

  it.each([['0'], ['1001TB'], ['1.5GB'], ['lots'], ['-5']])('--max-bytes-billed %s: exit 2', async (v) => {
    const r = await run([...BQ, '--max-bytes-billed', v]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--max-bytes-billed ${v}: expected a byte count`);
  });

  it.each([
    [['--offline', DEMO_DIR], '--offline does not apply to --provider bigquery'],
    [['--verify-txids'], '--verify-txids needs raw transactions'],
    [['--network', 'testnet'], 'reads mainnet only'],
    [['--bq-project', 'Bad_Project!'], '--bq-project Bad_Project!: not a Google Cloud project id'],
  ])('%j: exit 2', async (extra, message) => {
    const r = await run([...BQ, ...extra]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('--max-bytes-billed without --provider bigquery: exit 2', async () => {
    const r = await run(['trace', SHOP_A, '--offline', DEMO_DIR, '--max-bytes-billed', '1GB']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('apply to --provider bigquery only');
  });
});
