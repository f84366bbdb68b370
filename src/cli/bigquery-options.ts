// --provider bigquery options (--bq-project, --max-bytes-billed) and the handle a command reads
// the chain through; the official client is loaded only when this provider is used.
import { InputError } from '../model/errors.js';
import type { IO } from './io.js';
import type { SourceHandle, SourceRequest } from './source-options.js';

export interface BigQueryRequest {
  project?: string;
  maxBytesBilled: bigint;
  quiet: boolean;
}

/** Default --max-bytes-billed: 100 GB a query (BigQuery bills on-demand queries per byte scanned). */
export const DEFAULT_MAX_BYTES_BILLED = 100_000_000_000n;
const BYTE_UNITS: Record<string, bigint> = {
  '': 1n,
  b: 1n,
  kb: 10n ** 3n,
  mb: 10n ** 6n,
  gb: 10n ** 9n,
  tb: 10n ** 12n,
  kib: 2n ** 10n,
  mib: 2n ** 20n,
  gib: 2n ** 30n,
  tib: 2n ** 40n,
};

/** "500GB", "1 TiB", "2000000": a byte count from 1 byte to 1 PB. */
export function parseBytesOption(flag: string, value: string): bigint {
  const m = /^(\d{1,16})\s*([a-z]{0,3})$/i.exec(value.trim());
  const unit = m ? BYTE_UNITS[m[2]!.toLowerCase()] : undefined;
  const n = m && unit !== undefined ? BigInt(m[1]!) * unit : null;
  if (n === null || n < 1n || n > 10n ** 15n)
    throw new InputError(
      `${flag} ${value}: expected a byte count such as 500GB, 1TiB or 2000000 (at most 1 PB)`,
    );
  return n;
}

export function bigQueryRequest(opts: Record<string, unknown>, req: SourceRequest): BigQueryRequest {
  for (const [key, flag] of [
    ['apiUrl', '--api-url'],
    ['offline', '--offline'],
    ['record', '--record'],
    ['concurrency', '--concurrency'],
    ['rate', '--rate'],
  ] as const)
    if (typeof opts[key] === 'string') throw new InputError(`${flag} does not apply to --provider bigquery`);
  if (req.verifyTxids)
    throw new InputError('--verify-txids needs raw transactions, which the BigQuery dataset does not hold');
  if (req.network !== 'mainnet')
    throw new InputError(`--provider bigquery reads mainnet only (crypto_bitcoin), not ${req.network}`);
  const bq: BigQueryRequest = {
    maxBytesBilled:
      typeof opts.maxBytesBilled === 'string'
        ? parseBytesOption('--max-bytes-billed', opts.maxBytesBilled)
        : DEFAULT_MAX_BYTES_BILLED,
    quiet: opts.quiet === true,
  };
  if (typeof opts.bqProject === 'string') {
    if (!/^(?:[a-z0-9.-]{1,63}:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(opts.bqProject))
      throw new InputError(`--bq-project ${opts.bqProject}: not a Google Cloud project id`);
    bq.project = opts.bqProject;
  }
  return bq;
}

/** --provider bigquery: the official client is loaded only here. */
export async function openBigQueryHandle(bq: BigQueryRequest, io: IO): Promise<SourceHandle> {
  const { openBigQuerySource } = await import('../sources/bigquery/index.js');
  const { checkedSource } = await import('../sources/checks.js');
  const opened = await openBigQuerySource({
    maxBytesBilled: bq.maxBytesBilled,
    ...(bq.project !== undefined && { projectId: bq.project }),
    ...(!bq.quiet && { onNotice: (line: string) => io.stderr(`${line}\n`) }),
  });
  const checked = checkedSource(opened.source, { network: 'mainnet', rawHex: false });
  return {
    source: checked,
    counts() {
      const q = opened.backend.queryStats();
      const out: Record<string, number> = {
        bigquery_queries: q.queries,
        bigquery_dry_runs: q.dryRuns,
        bigquery_bytes_estimated: q.bytesEstimated,
        bigquery_bytes_processed: q.bytesProcessed,
      };
      for (const [k, v] of Object.entries(checked.checks())) out[`checks_${k}`] = v;
      return out;
    },
    close: () => {},
  };
}
