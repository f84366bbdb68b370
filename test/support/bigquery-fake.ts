// A fake BigQuery REST API for tests (nock, no network): jobs.query with dryRun, jobs.query,
// getQueryResults with polling and pageToken paging, answering btctrace's frontier statement
// (src/sources/bigquery/sql.ts) from a MemoryChain laid out as the blockchain-etl
// crypto_bitcoin tables would hold it. It reads the named parameters, not the SQL text, and
// honours the partition filters (tx_months, spent_from) so that a wrong month prunes a row away
// as BigQuery would. Credentials: a generated service-account key file and a faked OAuth token
// endpoint, so the official client runs its real Application Default Credentials path.

import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import nock from 'nock';
import type { EsploraTx, MemoryChain } from './memory.js';
import { monthOf } from '../../src/sources/bigquery/sql.js';

export const API = 'https://bigquery.googleapis.com';
export const PROJECT = 'btctrace-test-project';

const ETL_TYPE: Record<string, string> = {
  p2pkh: 'pubkeyhash',
  p2sh: 'scripthash',
  v0_p2wpkh: 'witness_v0_keyhash',
  v0_p2wsh: 'witness_v0_scripthash',
  v1_p2tr: 'witness_v1_taproot',
  p2pk: 'pubkey',
  op_return: 'nulldata',
  multisig: 'multisig',
};

/** The JSON body sql.ts's TO_JSON_STRING(STRUCT(...)) gives for one transaction. */
export function etlBody(tx: EsploraTx): string {
  return JSON.stringify({
    hash: tx.txid,
    size: tx.size,
    vsize: Math.ceil(tx.weight / 4),
    version: tx.version,
    locktime: tx.locktime,
    block_hash: tx.status.block_hash,
    height: tx.status.block_height,
    time: tx.status.block_time,
    coinbase: tx.vin[0]?.is_coinbase ?? false,
    coinbase_script: tx.vin[0]?.is_coinbase ? tx.vin[0].scriptsig : null,
    fee: String(tx.fee),
    nin: tx.vin[0]?.is_coinbase ? 0 : tx.vin.length,
    nout: tx.vout.length,
    vin: tx.vin
      .filter((i) => !i.is_coinbase)
      .map((i, n) => ({
        n,
        txid: i.txid,
        vout: i.vout,
        scriptsig: i.scriptsig,
        sequence: i.sequence,
        type: ETL_TYPE[i.prevout?.scriptpubkey_type ?? ''] ?? 'nonstandard',
        addresses: i.prevout?.scriptpubkey_address ? [i.prevout.scriptpubkey_address] : [],
        value: String(i.prevout?.value ?? 0),
      })),
    vout: tx.vout.map((o, n) => ({
      n,
      script: o.scriptpubkey,
      type: ETL_TYPE[o.scriptpubkey_type] ?? 'nonstandard',
      value: String(o.value),
    })),
  });
}

interface Param {
  name: string;
  parameterValue: { value?: string; arrayValues?: { value: string }[] };
}

export interface FakeOptions {
  /** Bytes each dry run reports (default 1 GB). */
  bytes?: (sql: string) => number;
  /** Rows per result page (default: all in one). */
  pageSize?: number;
  /** Polls answered jobComplete: false before the job completes (default 0). */
  pendingPolls?: number;
}

export interface FakeBigQuery {
  /** Real (not dry-run) jobs.query calls, with their named parameters. */
  queries: { sql: string; params: Map<string, string[]> }[];
  dryRuns: number;
  resultCalls: number;
  done(): void;
}

type Row = [string, string, string];

function rowsFor(chain: MemoryChain, sql: string, params: Map<string, string[]>): Row[] {
  const rows: Row[] = [];
  const all = chain.txids().map((t) => chain.getTx(t)!);
  const month = (tx: EsploraTx) => monthOf(tx.status.block_time!);
  const txMonths = params.get('tx_months');
  for (const id of params.get('txids') ?? []) {
    const tx = chain.getTx(id);
    if (tx && (!txMonths || txMonths.includes(month(tx)))) rows.push(['tx', id, etlBody(tx)]);
  }
  const spentFrom = params.get('spent_from')?.[0];
  const spent = new Set(params.get('spent') ?? []);
  for (const tx of all) {
    if (spentFrom !== undefined && month(tx) < spentFrom) continue;
    tx.vin.forEach((i, n) => {
      if (i.is_coinbase || !spent.has(i.txid)) return;
      const s = tx.status;
      rows.push([
        'spend',
        i.txid,
        JSON.stringify({
          vout: i.vout,
          txid: tx.txid,
          vin: n,
          height: s.block_height,
          block_hash: s.block_hash,
          time: s.block_time,
        }),
      ]);
    });
  }
  const limit = Number(params.get('history_limit')?.[0] ?? 0);
  const kept = new Set<string>(); // t.hash IN (SELECT hash FROM kept): each body once
  for (const address of params.get('addresses') ?? []) {
    const touching = all
      .filter(
        (tx) =>
          tx.vout.some((o) => o.scriptpubkey_address === address) ||
          tx.vin.some((i) => i.prevout?.scriptpubkey_address === address),
      )
      .sort((a, b) => b.status.block_height! - a.status.block_height! || (a.txid < b.txid ? 1 : -1))
      .slice(0, limit);
    for (const tx of touching) {
      rows.push(['hist', address, JSON.stringify({ hash: tx.txid, height: tx.status.block_height })]);
      if (!kept.has(tx.txid)) rows.push(['tx', tx.txid, etlBody(tx)]);
      kept.add(tx.txid);
    }
  }
  if (sql.includes("'tip' AS kind")) rows.push(['tip', '', String(chain.tipHeight)]);
  const address = params.get('address')?.[0];
  if (address !== undefined) {
    // The Esplora host's chain_stats for the same chain, in the statement's row shape.
    const e = JSON.parse(chain.answer(`/address/${address}`).body) as { chain_stats: Record<string, number> };
    const c = e.chain_stats;
    const body = {
      funded_count: c.funded_txo_count,
      funded_sum: String(c.funded_txo_sum),
      spent_count: c.spent_txo_count,
    };
    rows.push([
      'stats',
      address,
      JSON.stringify({ ...body, spent_sum: String(c.spent_txo_sum), tx_count: c.tx_count }),
    ]);
  }
  return rows;
}

let keyFile: string | null = null;

/** Writes a service-account key file (once), points ADC at it and fakes the token endpoint. */
export function fakeCredentials(): string {
  process.env.GOOGLE_APPLICATION_CREDENTIALS = keyFile ??= writeKeyFile();
  nock('https://oauth2.googleapis.com')
    .persist()
    .post('/token')
    .reply(200, { access_token: 'fake-access-token', expires_in: 3600, token_type: 'Bearer' });
  return keyFile;
}

/** Removes the key file's dir (for a test file's afterAll); the next fakeCredentials() writes another. */
export function dropCredentials(): void {
  if (keyFile) rmSync(dirname(keyFile), { recursive: true, force: true });
  keyFile = null;
  delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
}

function writeKeyFile(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dir = mkdtempSync(join(tmpdir(), 'btctrace-bq-'));
  const file = join(dir, 'service-account.json');
  writeFileSync(
    file,
    JSON.stringify({
      type: 'service_account',
      project_id: PROJECT,
      private_key_id: 'test-key',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
      client_email: `tester@${PROJECT}.iam.gserviceaccount.com`,
      client_id: '1',
      token_uri: 'https://oauth2.googleapis.com/token',
    }),
  );
  return file;
}

/** Serves the chain as BigQuery would, until done(). */
export function fakeBigQuery(chain: MemoryChain, options: FakeOptions = {}): FakeBigQuery {
  const jobs = new Map<string, { rows: Row[]; polls: number }>();
  const fake: FakeBigQuery = {
    queries: [],
    dryRuns: 0,
    resultCalls: 0,
    // Interceptors cannot be removed one scope at a time: clear all, keep the token endpoint.
    done: () => {
      nock.cleanAll();
      fakeCredentials();
    },
  };
  const pageSize = options.pageSize ?? Number.MAX_SAFE_INTEGER;
  const page = (jobId: string, start: number) => {
    const job = jobs.get(jobId)!;
    const slice = job.rows.slice(start, start + pageSize);
    const next = start + slice.length;
    return {
      kind: 'bigquery#getQueryResultsResponse',
      jobReference: { projectId: PROJECT, jobId, location: 'US' },
      jobComplete: true,
      totalRows: String(job.rows.length),
      totalBytesProcessed: '1000',
      rows: slice.map((r) => ({ f: r.map((v) => ({ v })) })),
      ...(next < job.rows.length && { pageToken: `${jobId}:${next}` }),
    };
  };
  nock(API)
    .persist()
    .post(`/bigquery/v2/projects/${PROJECT}/queries`)
    .query(true)
    .reply((_uri, body) => {
      const b = body as { query: string; dryRun?: boolean; queryParameters: Param[] };
      const params = new Map(
        b.queryParameters.map((p) => [
          p.name,
          p.parameterValue.arrayValues?.map((v) => v.value) ?? [p.parameterValue.value ?? ''],
        ]),
      );
      if (b.dryRun) {
        fake.dryRuns++;
        const bytes = options.bytes?.(b.query) ?? 1_000_000_000;
        return [
          200,
          { kind: 'bigquery#queryResponse', jobComplete: true, totalBytesProcessed: String(bytes) },
        ];
      }
      fake.queries.push({ sql: b.query, params });
      const jobId = `job_${fake.queries.length}`;
      jobs.set(jobId, { rows: rowsFor(chain, b.query, params), polls: 0 });
      if ((options.pendingPolls ?? 0) > 0)
        return [200, { jobReference: { projectId: PROJECT, jobId, location: 'US' }, jobComplete: false }];
      return [200, page(jobId, 0)];
    })
    .get(new RegExp(`^/bigquery/v2/projects/${PROJECT}/queries/job_\\d+`))
    .query(true)
    .reply((uri) => {
      fake.resultCalls++;
      const url = new URL(uri, API);
      const jobId = url.pathname.split('/').pop()!;
      const job = jobs.get(jobId);
      if (!job) return [404, { error: { code: 404, message: `Not found: Job ${jobId}` } }];
      const token = url.searchParams.get('pageToken');
      if (token === null && job.polls < (options.pendingPolls ?? 0)) {
        job.polls++;
        return [200, { jobReference: { projectId: PROJECT, jobId, location: 'US' }, jobComplete: false }];
      }
      return [200, page(jobId, token === null ? 0 : Number(token.split(':')[1]))];
    });
  return fake;
}
