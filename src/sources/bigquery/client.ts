// Running one statement on BigQuery through Google's official client (@google-cloud/bigquery
// 8.x, loaded only when this backend is used). Its authenticated request() carries Application
// Default Credentials and bounded retries; the REST calls themselves are spelled out here so the
// cost rule is ours: jobs.query with dryRun first (the estimate is printed), a refusal when the
// estimate passes --max-bytes-billed, and the real query with maximumBytesBilled set, so BigQuery
// also refuses to bill more. Results are read with getQueryResults: polled while the job runs
// (the server waits timeoutMs per call), then paged with pageToken; polls, pages and rows are
// bounded.

import { UnavailableError } from '../errors.js';
import type { QueryParameter } from './sql.js';
import type { FrontierRow } from './rows.js';

/** The query's dry run says it would scan more than the limit; nothing was run. */
export class CostLimitError extends UnavailableError {}

/** Credentials missing or refused. */
export class BigQueryAuthError extends UnavailableError {}

/** Quota, billing, permission or query errors BigQuery answered with. */
export class BigQueryError extends UnavailableError {}

export const MAX_POLLS = 360; // x 10 s server-side waits: an hour at most
export const MAX_PAGES = 10_000;
export const MAX_ROWS = 5_000_000;
const POLL_WAIT_MS = 10_000;
const PAGE_ROWS = 20_000;

/** The part of the official client this module uses (its Service.request). */
export interface RequestClient {
  request(opts: Record<string, unknown>, callback: (err: Error | null, body?: unknown) => void): void;
}

export interface QueryStats {
  /** HTTP calls to the BigQuery API (dry runs, queries, polls, pages). */
  requests: number;
  dryRuns: number;
  /** Queries run (not dry runs). */
  queries: number;
  bytesEstimated: number;
  bytesProcessed: number;
}

export interface RunnerOptions {
  /** Most bytes one query may scan (and be billed for). */
  maxBytesBilled: bigint;
  /** A line for the user (stderr): each query's dry-run estimate. */
  onNotice?: (line: string) => void;
}

type Obj = Record<string, unknown>;

/** "212.4 GB": decimal units, as Google bills. */
export function humanBytes(n: bigint): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let v = Number(n);
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${v.toFixed(1)} ${units[u]}`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** A client or API failure as one line, classed by what the user can do about it. */
export function describeFailure(e: unknown, limit: bigint): UnavailableError {
  const err = e as { code?: unknown; errors?: { reason?: string; message?: string }[]; message?: unknown };
  const message = oneLine(typeof err?.message === 'string' ? err.message : String(e));
  const reason = err?.errors?.find((x) => typeof x?.reason === 'string')?.reason ?? '';
  const code = typeof err?.code === 'number' ? err.code : null;
  if (reason === 'bytesBilledLimitExceeded')
    return new CostLimitError(
      `bigquery refused to bill more than --max-bytes-billed ${limit} bytes (${humanBytes(limit)}): ${message}`,
      'bigquery',
    );
  if (code === 401 || /default credentials|invalid_grant|unauthorized|getaddrinfo.*oauth2/i.test(message))
    return new BigQueryAuthError(
      `bigquery: no usable Google credentials (${message}); set GOOGLE_APPLICATION_CREDENTIALS or run "gcloud auth application-default login"`,
      'bigquery',
    );
  const what =
    reason === 'quotaExceeded' || reason === 'rateLimitExceeded'
      ? 'quota exceeded'
      : reason === 'billingNotEnabled' || /billing/i.test(message)
        ? 'billing is not enabled for the project'
        : reason === 'accessDenied' || code === 403
          ? 'access denied'
          : `error${code !== null ? ` ${code}` : ''}${reason ? ` ${reason}` : ''}`;
  return new BigQueryError(`bigquery: ${what}: ${message}`, 'bigquery');
}

function bytesOf(v: unknown): bigint {
  return typeof v === 'string' && /^\d{1,20}$/.test(v) ? BigInt(v) : 0n;
}

export class QueryRunner {
  private readonly figures: QueryStats = {
    requests: 0,
    dryRuns: 0,
    queries: 0,
    bytesEstimated: 0,
    bytesProcessed: 0,
  };

  constructor(
    private readonly client: RequestClient,
    private readonly options: RunnerOptions,
  ) {}

  stats(): QueryStats {
    return { ...this.figures };
  }

  private call(opts: Record<string, unknown>): Promise<Obj> {
    this.figures.requests++;
    return new Promise((resolve, reject) => {
      this.client.request(opts, (err, body) => {
        if (err) reject(describeFailure(err, this.options.maxBytesBilled));
        else if (body === null || typeof body !== 'object')
          reject(new BigQueryError('bigquery: an empty answer', 'bigquery'));
        else resolve(body as Obj);
      });
    });
  }

  /** Dry run, cost check, then the query; every row as kind, key, body. */
  async run(sql: string, params: QueryParameter[], what: string): Promise<FrontierRow[]> {
    const base = { query: sql, useLegacySql: false, parameterMode: 'NAMED', queryParameters: params };
    const dry = await this.call({ method: 'POST', uri: '/queries', json: { ...base, dryRun: true } });
    this.figures.dryRuns++;
    const estimate = bytesOf(dry.totalBytesProcessed);
    this.figures.bytesEstimated += Number(estimate);
    const limit = this.options.maxBytesBilled;
    const n = this.figures.queries + 1;
    this.options.onNotice?.(
      `bigquery: query ${n} (${what}): dry run estimates ${estimate} bytes (${humanBytes(estimate)}) scanned; limit ${humanBytes(limit)}`,
    );
    if (estimate > limit) {
      throw new CostLimitError(
        `bigquery: query ${n} would scan ${estimate} bytes (${humanBytes(estimate)}), above --max-bytes-billed ${limit} (${humanBytes(limit)}); nothing was run: raise --max-bytes-billed to run it`,
        'bigquery',
      );
    }
    this.figures.queries++;
    let page = await this.call({
      method: 'POST',
      uri: '/queries',
      json: { ...base, maximumBytesBilled: String(limit), timeoutMs: POLL_WAIT_MS, maxResults: PAGE_ROWS },
    });
    const job = page.jobReference as { jobId?: unknown; location?: unknown } | undefined;
    const jobId =
      typeof job?.jobId === 'string' && /^[A-Za-z0-9_-]{1,1024}$/.test(job.jobId) ? job.jobId : null;
    const location = typeof job?.location === 'string' ? { location: job.location } : {};
    const results = (qs: Obj) => {
      if (jobId === null)
        throw new BigQueryError('bigquery: the answer names no job to read results from', 'bigquery');
      return this.call({ uri: `/queries/${jobId}`, qs: { ...location, maxResults: PAGE_ROWS, ...qs } });
    };
    for (let polls = 0; page.jobComplete !== true; polls++) {
      if (polls >= MAX_POLLS)
        throw new BigQueryError(`bigquery: query ${n} did not finish after ${MAX_POLLS} polls`, 'bigquery');
      page = await results({ timeoutMs: POLL_WAIT_MS });
    }
    this.figures.bytesProcessed += Number(bytesOf(page.totalBytesProcessed));
    const rows: FrontierRow[] = [];
    for (let pages = 1; ; pages++) {
      for (const r of Array.isArray(page.rows) ? (page.rows as unknown[]) : []) rows.push(rowOf(r));
      if (rows.length > MAX_ROWS)
        throw new BigQueryError(`bigquery: query ${n} returned more than ${MAX_ROWS} rows`, 'bigquery');
      const token = page.pageToken;
      if (typeof token !== 'string' || token === '') break;
      if (pages >= MAX_PAGES)
        throw new BigQueryError(`bigquery: query ${n} has more than ${MAX_PAGES} result pages`, 'bigquery');
      page = await results({ pageToken: token });
    }
    const total = typeof page.totalRows === 'string' ? Number(page.totalRows) : rows.length;
    if (total !== rows.length)
      throw new BigQueryError(
        `bigquery: query ${n} announced ${total} rows and sent ${rows.length}`,
        'bigquery',
      );
    return rows;
  }
}

function rowOf(r: unknown): FrontierRow {
  const f = (r as { f?: unknown })?.f;
  const cells = Array.isArray(f) ? f.map((c) => (c as { v?: unknown })?.v) : [];
  if (cells.length !== 3 || !cells.every((c) => typeof c === 'string'))
    throw new BigQueryError('bigquery: a result row is not three strings (kind, key, body)', 'bigquery');
  return { kind: cells[0] as string, key: cells[1] as string, body: cells[2] as string };
}
