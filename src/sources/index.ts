// createSource(): the one place that turns options (provider, URL, network, offline,
// recording, limits) into a ChainSource. Callers never learn which explorer answers.

import { InputError } from '../model/errors.js';
import { DirectoryTransport, RecordingTransport } from './directory.js';
import { EsploraSource } from './esplora.js';
import { HttpTransport, type HttpTiming, type RetryEvent, type ValidatingTransport } from './http.js';
import { memoized } from './memo.js';
import {
  DEFAULT_PROVIDER,
  hostPolicy,
  providerBaseUrl,
  type BackendName,
  type Network,
  type ProviderName,
} from './providers.js';
import type { ChainSource } from './source.js';

export interface CreateSourceOptions extends HttpTiming {
  /** Named public explorer (default mempool), ignored when apiUrl is given (backends are refused). */
  provider?: ProviderName | BackendName | 'bigquery';
  /** Esplora base URL, e.g. http://localhost:3000/api; used as given (network ignored). */
  apiUrl?: string;
  network?: Network;
  /** Answer only from this recording directory; no network. */
  offline?: string;
  /** Write every answer into this directory as a recording. */
  record?: string;
  concurrency?: number;
  /** Cap on each answer, as sent and decompressed (default 32 MiB). */
  maxBodyBytes?: number;
  /** Requests per second; 0 = unlimited. */
  rate?: number;
  bulkOutspends?: boolean;
  /** Extra HTTP headers, e.g. Authorization for an enterprise endpoint. */
  headers?: Record<string, string>;
  onRetry?: (event: RetryEvent) => void;
  /**
   * Wraps the transport before the source uses it (e.g. a persistent cache). It sits between
   * the recorder and HTTP, so cached answers are recorded too; it should forward get()'s
   * options argument so validation happens before anything is stored.
   */
  wrapTransport?: (transport: ValidatingTransport) => ValidatingTransport;
  /**
   * Receives the transport the source reads through (cache, recording or offline directory
   * included), so other resources of the same host (price history, src/prices) share its rate
   * limit, cache and recording.
   */
  onTransport?: (transport: ValidatingTransport) => void;
}

export function createSource(options: CreateSourceOptions = {}): ChainSource {
  // GraphSense is opened with createGraphSenseSource (src/cli/source-options.ts), loaded only then.
  if (options.provider === 'graphsense')
    throw new InputError('--provider graphsense is opened through createGraphSenseSource, not createSource');
  if (options.offline !== undefined) {
    if (options.record !== undefined) throw new InputError('--offline and --record cannot be used together');
    if (options.apiUrl !== undefined) throw new InputError('--offline and --api-url cannot be used together');
    // Recordings hold per-transaction outspends files only, so bulk requests are never made.
    const directory = new DirectoryTransport(options.offline);
    options.onTransport?.(directory);
    return memoized(new EsploraSource(directory, { bulkOutspends: false }));
  }
  // BigQuery is no Esplora host: it is opened with openBigQuerySource (src/sources/bigquery/).
  if (options.provider === 'bigquery' && options.apiUrl === undefined)
    throw new InputError('--provider bigquery is opened through openBigQuerySource, not createSource');
  const provider = options.provider === 'bigquery' ? DEFAULT_PROVIDER : options.provider;
  const baseUrl =
    options.apiUrl ??
    providerBaseUrl((provider as ProviderName) ?? DEFAULT_PROVIDER, options.network ?? 'mainnet');
  const policy = hostPolicy(baseUrl, {
    ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
    ...(options.rate !== undefined && { rate: options.rate }),
    ...(options.bulkOutspends !== undefined && { bulkOutspends: options.bulkOutspends }),
  });
  let transport: ValidatingTransport;
  try {
    transport = new HttpTransport({
      ...options,
      baseUrl,
      concurrency: policy.concurrency,
      rate: policy.rate,
    });
  } catch (e) {
    if (e instanceof RangeError) throw new InputError(e.message);
    throw e;
  }
  if (options.wrapTransport) transport = options.wrapTransport(transport);
  if (options.record !== undefined) {
    const recording = new RecordingTransport(transport, options.record);
    options.onTransport?.(recording);
    return memoized(
      new EsploraSource(recording, { bulkOutspends: policy.bulkOutspends, recorder: recording }),
    );
  }
  options.onTransport?.(transport);
  return memoized(new EsploraSource(transport, { bulkOutspends: policy.bulkOutspends }));
}

export type { AddressHistory, ChainSource, SourceStats } from './source.js';
export type { Transport, TransportResponse, TransportStats } from './transport.js';
export {
  BadRequestError,
  IntegrityError,
  NotFoundError,
  NotRecordedError,
  SourceError,
  UnavailableError,
} from './errors.js';
export { DirectoryTransport, RecordingTransport, type Recorder } from './directory.js';
export { EsploraSource, type EsploraOptions } from './esplora.js';
export {
  HttpTransport,
  DEFAULT_TIMING,
  userAgent,
  type GetOptions,
  type HttpOptions,
  type HttpTiming,
  type RetryEvent,
  type ValidatingTransport,
} from './http.js';
export { memoized } from './memo.js';
export { MalformedBodyError } from './parse.js';
export {
  BACKEND_NAMES,
  DEFAULT_PROVIDER,
  NETWORKS,
  PROVIDER_NAMES,
  hostPolicy,
  providerBaseUrl,
  publicHost,
  type BackendName,
  type HostPolicy,
  type Network,
  type ProviderName,
} from './providers.js';
