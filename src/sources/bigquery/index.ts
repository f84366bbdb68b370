// --provider bigquery: the chain from Google BigQuery's public dataset crypto_bitcoin, one SQL
// statement per frontier (src/sources/batching.ts turns the walk's concurrent calls into it).
// The dataset is the blockchain-etl export: confirmed transactions only, loaded in batches, so
// "unspent" means unspent as of its newest block (the tip height recorded with the run).

import type { AddressStats } from '../../model/tx.js';
import { batchedSource, type BulkAnswer, type BulkBackend, type BulkRequest } from '../batching.js';
import { UnavailableError } from '../errors.js';
import { memoized } from '../memo.js';
import type { ChainSource, SourceStats } from '../source.js';
import { QueryRunner, type QueryStats, type RequestClient } from './client.js';
import { assemble, parseAddressStatsRows } from './rows.js';
import { addressStatsQuery, DEFAULT_DATASET, frontierQuery, monthOf } from './sql.js';

/** Txids, spent txids or addresses one statement carries at most; larger frontiers are split. */
export const MAX_KEYS_PER_QUERY = 20_000;

export interface BigQuerySourceOptions {
  /** Billing project for the query jobs; default: the one of the credentials. */
  projectId?: string;
  maxBytesBilled: bigint;
  dataset?: string;
  onNotice?: (line: string) => void;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Splits a request so that no list passes MAX_KEYS_PER_QUERY (one statement for most runs). */
function split(req: BulkRequest): BulkRequest[] {
  const t = chunk(req.txids, MAX_KEYS_PER_QUERY);
  const o = chunk(req.outspends, MAX_KEYS_PER_QUERY);
  const h = chunk(req.histories, MAX_KEYS_PER_QUERY);
  const n = Math.max(1, t.length, o.length, h.length);
  return Array.from({ length: n }, (_, i) => ({
    txids: t[i] ?? [],
    outspends: o[i] ?? [],
    histories: h[i] ?? [],
    tip: req.tip && i === 0,
  }));
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function describe(req: BulkRequest): string {
  const parts: string[] = [];
  if (req.histories.length) parts.push(count(req.histories.length, 'address history', 'address histories'));
  if (req.txids.length) parts.push(count(req.txids.length, 'transaction', 'transactions'));
  if (req.outspends.length)
    parts.push(`spenders of ${count(req.outspends.length, 'transaction', 'transactions')}`);
  if (req.tip) parts.push('tip height');
  return parts.join(', ');
}

export class BigQueryBackend implements BulkBackend {
  readonly description: string;
  private readonly dataset: string;
  /** Block month of every transaction seen, to name partitions in later statements. */
  private readonly months = new Map<string, string>();
  /** Output scripts of every body read: address-less prevouts take theirs from here. */
  private readonly scripts = new Map<string, string>();

  constructor(
    private readonly runner: QueryRunner,
    options: { dataset?: string; projectId?: string },
  ) {
    this.dataset = options.dataset ?? DEFAULT_DATASET;
    this.description = `bigquery ${this.dataset}${options.projectId ? ` (billing project ${options.projectId})` : ''}`;
  }

  async fetch(request: BulkRequest): Promise<BulkAnswer> {
    const answer: BulkAnswer = { txs: new Map(), outspends: new Map(), histories: new Map(), tip: null };
    for (const part of split(request)) {
      const q = frontierQuery(part, this.months, this.dataset);
      const rows = await this.runner.run(q.sql, q.params, describe(part));
      const a = assemble(rows, part, this.scripts);
      for (const [k, v] of a.txs) {
        answer.txs.set(k, v);
        if (v.status.time !== null) this.months.set(k, monthOf(v.status.time));
      }
      for (const [k, v] of a.outspends) {
        answer.outspends.set(k, v);
        for (const s of v)
          if (s.txid && s.status?.time != null) this.months.set(s.txid, monthOf(s.status.time));
      }
      for (const [k, v] of a.histories) answer.histories.set(k, v);
      if (a.tip !== null) answer.tip = a.tip;
    }
    return answer;
  }

  /** One statement of its own: totals are aggregates over the whole chain, not a frontier. */
  async getAddressStats(address: string): Promise<AddressStats> {
    const q = addressStatsQuery(address, this.dataset);
    return parseAddressStatsRows(await this.runner.run(q.sql, q.params, `totals of ${address}`), address);
  }

  getTxHex(txid: string): Promise<string> {
    return Promise.reject(
      new UnavailableError(
        `${this.description}: the dataset holds no raw transactions (${txid})`,
        `hex ${txid}`,
      ),
    );
  }

  stats(): SourceStats {
    const s = this.runner.stats();
    return { requests: s.requests, retries: 0, memoHits: 0, repeated: 0 };
  }

  queryStats(): QueryStats {
    return this.runner.stats();
  }
}

export interface BigQueryHandle {
  source: ChainSource;
  backend: BigQueryBackend;
}

/** The source over an already built client (its request() is authenticated). */
export function bigQuerySourceFromClient(
  client: RequestClient,
  options: BigQuerySourceOptions,
): BigQueryHandle {
  const runner = new QueryRunner(client, {
    maxBytesBilled: options.maxBytesBilled,
    ...(options.onNotice && { onNotice: options.onNotice }),
  });
  const backend = new BigQueryBackend(runner, {
    ...(options.dataset !== undefined && { dataset: options.dataset }),
    ...(options.projectId !== undefined && { projectId: options.projectId }),
  });
  return { source: memoized(batchedSource(backend)), backend };
}

/** Opens the official client with Application Default Credentials (loaded only now). */
export async function openBigQuerySource(options: BigQuerySourceOptions): Promise<BigQueryHandle> {
  const { BigQuery } = await import('@google-cloud/bigquery');
  const client = new BigQuery({
    ...(options.projectId !== undefined && { projectId: options.projectId }),
    // Bounded: 429/5xx and rateLimitExceeded are retried twice with the client's backoff.
    retryOptions: { autoRetry: true, maxRetries: 2 },
  });
  return bigQuerySourceFromClient(client as unknown as RequestClient, options);
}
