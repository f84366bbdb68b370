// createGraphSenseSource(): the GraphSense REST API behind ChainSource, over the shared HTTP
// transport (retries with backoff, Retry-After, rate and concurrency limits, deadlines). The API
// key travels in the Authorization header only: never in a URL, a message or a file.

import { HttpTransport, type HttpTiming, type RetryEvent, type ValidatingTransport } from '../http.js';
import { memoized } from '../memo.js';
import type { ChainSource } from '../source.js';
import { GraphSenseSource } from './source.js';

export interface GraphSenseOptions extends HttpTiming {
  /** API root, e.g. https://api.ikna.io or http://localhost:9000 (no currency in it). */
  apiUrl: string;
  /** GRAPHSENSE_API_KEY; absent for a self-hosted API without authentication. */
  apiKey?: string;
  /** Default 8 in flight and no rate limit: the user's own or contracted service. */
  concurrency?: number;
  rate?: number;
  /** --max-body: the largest answer accepted, as sent and unzipped (http.ts). */
  maxBodyBytes?: number;
  onRetry?: (event: RetryEvent) => void;
  /** Ask what the walk asks in one tick through the bulk endpoints (default true). */
  bulk?: boolean;
  /** Receives the transport, so tags and clusters (attribution.ts) share its limits. */
  onTransport?: (transport: ValidatingTransport) => void;
}

export function createGraphSenseSource(options: GraphSenseOptions): ChainSource {
  const transport = new HttpTransport({
    ...options,
    baseUrl: options.apiUrl,
    concurrency: options.concurrency ?? 8,
    rate: options.rate ?? 0,
    ...(options.apiKey !== undefined &&
      options.apiKey !== '' && { headers: { Authorization: options.apiKey } }),
  });
  options.onTransport?.(transport);
  return memoized(new GraphSenseSource(transport, { bulk: options.bulk ?? true }));
}

export { GraphSenseAttribution, labelBook, labelOfTag, MAX_TAG_PAGES } from './attribution.js';
export { GraphSenseSource, MAX_HISTORY_PAGES, explainFailure } from './source.js';
export { graphsensePath, HISTORY_PAGE_SIZE } from './paths.js';
export { BULK_MAX, bulkPath, groupBulkRows } from './bulk.js';
