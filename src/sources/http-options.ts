// The options and the per-call contract of the HTTP transport (http.ts), apart so that modules
// that only wrap a transport (cache, recording, prices) need not load axios.

import type { Clock, Sleep } from './limiter.js';
import type { Transport, TransportResponse } from './transport.js';
import { toolVersion } from '../version.js';

/** Per-call options a transport may honour (the HTTP and recording transports do). */
export interface GetOptions {
  /**
   * Checks a 2xx answer before the transport returns it. Throwing MalformedBodyError makes the
   * HTTP transport retry (a truncated or HTML body is an error, never data); any other error is
   * passed to the caller unchanged. Wrapping transports (recording, cache) should forward this
   * option so that only validated bodies are stored.
   */
  validate?: (response: TransportResponse) => void;
}

/** A Transport whose get() accepts GetOptions. Transports that ignore the argument still fit. */
export interface ValidatingTransport extends Transport {
  get(path: string, options?: GetOptions): Promise<TransportResponse>;
}

export interface RetryEvent {
  path: string;
  /** The attempt that failed (1-based). */
  attempt: number;
  reason: string;
  /** How long the transport sleeps before the next attempt. */
  delayMs: number;
}

export interface HttpTiming {
  /** Attempts per resource, the first included (default 6). */
  maxAttempts?: number;
  /** Backoff cap before the first retry, doubling each retry (default 500 ms). */
  baseDelayMs?: number;
  /** Largest backoff cap (default 8000 ms). */
  maxDelayMs?: number;
  /** Timeout of one attempt (default 10 000 ms). */
  timeoutMs?: number;
  /** Give up on a resource this long after its first attempt (default 25 000 ms). */
  deadlineMs?: number;
  sleep?: Sleep;
  /** Clock for backoff and deadlines, ms (default Date.now; also used for Retry-After dates). */
  now?: Clock;
  /** Uniform [0, 1) source for jitter (default Math.random). */
  random?: () => number;
}

export interface HttpOptions extends HttpTiming {
  /**
   * Esplora base URL, e.g. "https://mempool.space/api". User info (user:pass@) is sent as basic
   * auth and a query string is appended to every request; neither appears in `description`.
   */
  baseUrl: string;
  /** Cap on each answer's bytes, as sent and decompressed (default 32 MiB). */
  maxBodyBytes?: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Request starts per second; 0 = unlimited (default 0). */
  rate?: number;
  /** Extra request headers (e.g. Authorization for an enterprise endpoint). */
  headers?: Record<string, string>;
  userAgent?: string;
  /** Called before each retry sleep, e.g. to log "429 from host, waiting 2 s". */
  onRetry?: (event: RetryEvent) => void;
}

export const DEFAULT_TIMING = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  timeoutMs: 10_000,
  deadlineMs: 25_000,
} as const;

/** "btctrace/<version>", so host operators can tell who is calling. */
export function userAgent(): string {
  return `btctrace/${toolVersion()}`;
}
