// The options every chain-reading command shares, checked and turned into createSource() input.
import { NETWORK_NAMES, type NetworkName } from '../model/address.js';
import { InputError } from '../model/errors.js';
import type { ChainSource } from '../sources/source.js';
import type { ValidatingTransport } from '../sources/http.js';
import type { RunCache } from '../sources/cache.js';
import type { VerifiedSource } from '../sources/verify.js';
import type { GraphSenseAttribution } from '../sources/graphsense/attribution.js';
import type { IO } from './io.js';
import { existsSync, statSync } from 'node:fs';
import { bigQueryRequest, openBigQueryHandle, type BigQueryRequest } from './bigquery-options.js';
import { defaultCacheDir } from '../sources/cache-paths.js';
import {
  optString,
  parseChoice,
  parseIntOption,
  parseNumberOption,
  parseSizeOption,
  parseUrlOption,
} from './parse.js';
import { snakeCase } from '../output/meta.js';
import { providerBaseUrl, type ProviderName } from '../sources/providers.js';
import { readRecordingMeta, writeRecordingMeta } from './recording-meta.js';
import { publicApiUrl } from '../sources/api-url.js';
import { DEFAULT_MAX_BODY_BYTES } from '../sources/body.js';

/**
 * An --api-url with user info or a query string: the request needs it, nothing else may show
 * it. Not enumerable and redacted in JSON, String() and util.inspect, so a request object that
 * reaches a manifest, a fingerprint or a log cannot carry it.
 */
export class SecretUrl {
  readonly #url: string;
  constructor(url: string) {
    this.#url = url;
  }
  reveal(): string {
    return this.#url;
  }
  toJSON(): string {
    return '[redacted]';
  }
  toString(): string {
    return '[redacted]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'SecretUrl [redacted]';
  }
}

export interface SourceRequest {
  network: NetworkName;
  provider: 'mempool' | 'blockstream' | 'bigquery' | 'graphsense';
  /** --provider bigquery: billing project, cost limit per query, print the dry-run estimates. */
  bigquery?: BigQueryRequest;
  /** --api-url without user info or query: what messages and manifests show. */
  apiUrl?: string;
  /** --api-url as given, when it carries user info or a query string (sent, never shown). */
  apiSecretUrl?: SecretUrl;
  /** --max-body in bytes (default 32 MiB). */
  maxBodyBytes?: number;
  offline?: string;
  record?: string;
  concurrency?: number;
  rate?: number;
  /** Persistent cache directory; null = no cache (--no-cache, or offline). */
  cacheDir: string | null;
  /** --verify-txids: check every transaction against its raw bytes. */
  verifyTxids: boolean;
}

export function sourceRequest(opts: Record<string, unknown>): SourceRequest {
  const req: SourceRequest = {
    network: parseChoice('--network', optString(opts, 'network', 'mainnet'), NETWORK_NAMES),
    provider: parseChoice('--provider', optString(opts, 'provider', 'mempool'), [
      'mempool',
      'blockstream',
      'bigquery',
      'graphsense',
    ] as const),
    cacheDir: opts.cache === false ? null : optString(opts, 'cacheDir', '') || defaultCacheDir(),
    verifyTxids: opts.verifyTxids === true,
  };
  if (req.provider === 'bigquery') {
    req.bigquery = bigQueryRequest(opts, req);
    req.cacheDir = null; // answers are per query; the dataset itself is the store
    return req;
  } else if (typeof opts.bqProject === 'string' || typeof opts.maxBytesBilled === 'string') {
    throw new InputError('--bq-project and --max-bytes-billed apply to --provider bigquery only');
  }
  if (typeof opts.apiUrl === 'string') {
    const given = parseUrlOption('--api-url', opts.apiUrl);
    req.apiUrl = publicApiUrl(given);
    if (req.apiUrl !== given) req.apiSecretUrl = new SecretUrl(given);
  }
  if (typeof opts.maxBody === 'string') {
    req.maxBodyBytes = parseSizeOption('--max-body', opts.maxBody, 1024, 512 * 1024 ** 2);
  }
  if (typeof opts.offline === 'string') {
    if (!existsSync(opts.offline) || !statSync(opts.offline).isDirectory()) {
      throw new InputError(`--offline ${opts.offline}: no such directory`);
    }
    if (typeof opts.apiUrl === 'string') throw new InputError('--offline and --api-url exclude each other');
    if (typeof opts.record === 'string') throw new InputError('--offline and --record exclude each other');
    req.offline = opts.offline;
    req.cacheDir = null; // a recording is already local; caching it would only copy it
  }
  if (typeof opts.record === 'string') req.record = opts.record;
  if (typeof opts.concurrency === 'string')
    req.concurrency = parseIntOption('--concurrency', opts.concurrency, 1, 64);
  if (typeof opts.rate === 'string') req.rate = parseNumberOption('--rate', opts.rate, 0.01);
  if (req.provider === 'graphsense') checkGraphSenseRequest(req);
  return req;
}

/** With --offline: the recording's own metadata (recording-meta.ts), for the run's metadata. */
export function recordingOf(req: SourceRequest): Record<string, unknown> | undefined {
  return req.offline ? (readRecordingMeta(req.offline) ?? undefined) : undefined;
}

/** What --provider graphsense needs and cannot do (src/sources/graphsense/). */
function checkGraphSenseRequest(req: SourceRequest): void {
  if (req.apiUrl === undefined)
    throw new InputError('--provider graphsense needs --api-url <base>, e.g. https://api.ikna.io');
  if (req.network !== 'mainnet')
    throw new InputError(`--provider graphsense: --network ${req.network}: only mainnet`);
  // GraphSense answers hold no raw transactions, and its paths are not Esplora's.
  if (req.verifyTxids)
    throw new InputError('--provider graphsense cannot --verify-txids: GraphSense has no raw transactions');
  if (req.record !== undefined)
    throw new InputError('--provider graphsense cannot --record (recordings are Esplora answers)');
  // The persistent cache knows Esplora paths only.
  req.cacheDir = null;
}

/** For run metadata: where the data came from, in words. */
export function describeSourceRequest(req: SourceRequest): string {
  if (req.offline) return `offline recording ${req.offline}`;
  if (req.provider === 'graphsense') return `graphsense ${req.apiUrl}`;
  if (req.apiUrl) return `esplora ${req.apiUrl}`;
  if (req.bigquery)
    return `bigquery bigquery-public-data.crypto_bitcoin${req.bigquery.project ? ` (billing project ${req.bigquery.project})` : ''}`;
  return `esplora provider ${req.provider}`;
}

export interface SourceHandle {
  source: ChainSource;
  /** Figures for the manifest: cache hits, verification counts. */
  counts(): Record<string, number>;
  /** The transport the source reads through, for other resources of its host (prices). */
  transport?: ValidatingTransport;
  /** With --provider graphsense: its TagStore labels and entity (cluster) ids. */
  attribution?: GraphSenseAttribution;
  close(): void;
}

/**
 * The explorer client a command uses: createSource() plus the persistent cache and, with
 * --verify-txids, raw-transaction verification. Heavy modules load only when asked for.
 */
export async function openSourceHandle(
  req: SourceRequest,
  io: IO,
  /** A source injected by a test or a caller: used as it is, with nothing to count or close. */
  injected?: (req: SourceRequest) => ChainSource,
): Promise<SourceHandle> {
  if (injected) return { source: injected(req), counts: () => ({}), close: () => {} };
  if (req.bigquery) return openBigQueryHandle(req.bigquery, io);
  const { createSource } = await import('../sources/index.js');
  let opened: RunCache | null = null;
  if (req.cacheDir !== null) {
    const { openCache } = await import('../sources/cache.js');
    opened = openCache({ dir: req.cacheDir, onWarning: (w) => io.stderr(`warning: ${w}\n`) });
  }
  const cache = opened;
  let transport: ValidatingTransport | undefined;
  try {
    if (req.provider === 'graphsense') return await openGraphSense(req, io);
    let source: ChainSource = createSource({
      network: req.network,
      provider: req.provider,
      ...(req.apiUrl !== undefined && { apiUrl: req.apiSecretUrl?.reveal() ?? req.apiUrl }),
      maxBodyBytes: req.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      ...(req.offline !== undefined && { offline: req.offline }),
      ...(req.record !== undefined && { record: req.record }),
      ...(req.concurrency !== undefined && { concurrency: req.concurrency }),
      ...(req.rate !== undefined && { rate: req.rate }),
      ...(cache && { wrapTransport: (t: ValidatingTransport) => cache.wrapTransport(t) }),
      onTransport: (t) => (transport = t),
    });
    let verified: VerifiedSource | null = null;
    if (req.verifyTxids) {
      const { verifiedSource } = await import('../sources/verify.js');
      verified = verifiedSource(source, { network: req.network });
      source = verified;
    }
    // The free checks run on every answer, whatever the options (src/sources/checks.ts).
    const { checkedSource } = await import('../sources/checks.js');
    const checked = checkedSource(source, { network: req.network, rawHex: verified !== null });
    source = checked;
    return {
      source,
      ...(transport && { transport }),
      counts() {
        const out: Record<string, number> = {};
        const add = (prefix: string, figures: object) => {
          // snake_case like every other manifest key: "verified_outspends_checked", never camelCase
          for (const [k, v] of Object.entries(figures as Record<string, number>))
            out[snakeCase(`${prefix}${k}`)] = v;
        };
        if (cache) add('cache_', cache.counts());
        if (verified) add('verified_', verified.verification());
        add('checks_', checked.checks());
        return out;
      },
      close: () => {
        cache?.close();
        if (req.record !== undefined)
          writeRecordingMeta({
            dir: req.record,
            // --record is refused with bigquery (bigquery-options.ts): an Esplora provider here
            sourceUrl: req.apiUrl ?? providerBaseUrl(req.provider as ProviderName, req.network),
            network: req.network,
            now: io.now(),
          });
      },
    };
  } catch (e) {
    cache?.close();
    throw e;
  }
}

/** GraphSense: no persistent cache (it knows Esplora paths only), no raw-hex checks. */
async function openGraphSense(req: SourceRequest, io: IO): Promise<SourceHandle> {
  const { createGraphSenseSource, GraphSenseAttribution } = await import('../sources/graphsense/index.js');
  const apiKey = io.env.GRAPHSENSE_API_KEY;
  let transport: ValidatingTransport | undefined;
  // checkGraphSenseRequest made sure of --api-url and refused --offline / --record
  let source: ChainSource;
  try {
    source = createGraphSenseSource({
      onTransport: (t) => (transport = t),
      apiUrl: req.apiSecretUrl?.reveal() ?? req.apiUrl!,
      maxBodyBytes: req.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      ...(apiKey !== undefined && { apiKey }),
      ...(req.concurrency !== undefined && { concurrency: req.concurrency }),
      ...(req.rate !== undefined && { rate: req.rate }),
    });
  } catch (e) {
    if (e instanceof RangeError) throw new InputError(e.message);
    throw e;
  }
  const { checkedSource } = await import('../sources/checks.js');
  const checked = checkedSource(source, { network: req.network, hashFields: false });
  return {
    source: checked,
    ...(transport && { attribution: new GraphSenseAttribution(transport, { bulk: true }) }),
    counts: () => prefixed('checks_', checked.checks()),
    close: () => {},
  };
}

function prefixed(prefix: string, figures: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(figures)) out[`${prefix}${k}`] = v;
  return out;
}
