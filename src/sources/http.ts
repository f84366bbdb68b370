// HTTP transport for Esplora hosts (axios): bounded concurrency, a requests-per-second limit,
// a per-request timeout, retries with exponential backoff and full jitter, and a per-resource
// deadline so that a dead explorer ends the run with a clear UnavailableError instead of a hang.
//
// Retry schedule (defaults): up to 6 attempts; before retry n (1-based) wait a random time in
// [0, min(8 s, 0.5 s * 2^(n-1))) ("full jitter": 0.5, 1, 2, 4, 8 s caps, so at most 15.5 s of
// sleeping in all), or exactly what Retry-After asks for when the host sends it. Each attempt
// times out after 10 s, and no attempt starts or sleeps past 25 s from the first one: a
// blackholed host gives up in ~25 s, a refusing one as soon as the attempts are spent.
// Once a resource gives up, requests not yet sent fail at once for the next 25 s ("not sent"),
// so a dead explorer ends the whole run in about 30 s however long the queue.
// Error bodies are never JSON-parsed: Esplora errors are text/plain, nginx 429/5xx are HTML.

import { createRequire } from 'node:module';
import type { AxiosInstance, AxiosStatic } from 'axios';
import { BadRequestError, NotFoundError, UnavailableError } from './errors.js';
import { RateGate, realSleep, type Clock, type Sleep } from './limiter.js';
import { currentPriority, PriorityLimit } from './schedule.js';
import { MalformedBodyError } from './parse.js';
import type { Transport, TransportResponse, TransportStats } from './transport.js';
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
  /** Esplora base URL, e.g. "https://mempool.space/api". */
  baseUrl: string;
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

type Outcome =
  | { ok: true; response: TransportResponse }
  | {
      ok: false;
      reason: string;
      retryAfterMs: number | null;
      /** The host gave up recently: this request was not sent. */
      notSent?: boolean;
      /** A retry waited in the queue past the resource's deadline. */
      expired?: boolean;
      /** The answer came but its body was not valid (retried, but says nothing about the host). */
      malformed?: boolean;
    };

/**
 * axios, loaded when the first live transport is made (offline runs never load it), from its
 * CommonJS build: one pre-bundled file that loads in about half the time of its ES module tree.
 */
function loadAxios(): AxiosStatic {
  return createRequire(import.meta.url)('axios') as AxiosStatic;
}

export class HttpTransport implements ValidatingTransport {
  readonly description: string;
  private readonly base: string;
  private readonly axios: AxiosStatic;
  private readonly client: AxiosInstance;
  private readonly limit: PriorityLimit;
  private readonly gate: RateGate;
  private readonly timing: Required<Omit<HttpTiming, 'sleep' | 'now' | 'random'>>;
  private readonly sleep: Sleep;
  private readonly now: Clock;
  private readonly random: () => number;
  private readonly onRetry: ((event: RetryEvent) => void) | undefined;
  private requests = 0;
  private retries = 0;
  /** Set when a resource gave up: until then, requests not yet sent fail at once. */
  private down: { until: number; path: string; reason: string } | null = null;

  constructor(options: HttpOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    if (!/^https?:\/\/[^/]/.test(this.base)) {
      throw new RangeError(
        `API URL must start with http:// or https://, got ${JSON.stringify(options.baseUrl)}`,
      );
    }
    this.description = this.base;
    this.timing = {
      maxAttempts: options.maxAttempts ?? DEFAULT_TIMING.maxAttempts,
      baseDelayMs: options.baseDelayMs ?? DEFAULT_TIMING.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? DEFAULT_TIMING.maxDelayMs,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMING.timeoutMs,
      deadlineMs: options.deadlineMs ?? DEFAULT_TIMING.deadlineMs,
    };
    if (!Number.isInteger(this.timing.maxAttempts) || this.timing.maxAttempts < 1) {
      throw new RangeError(`maxAttempts must be a positive integer, got ${this.timing.maxAttempts}`);
    }
    const concurrency = options.concurrency ?? 4;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    }
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.onRetry = options.onRetry;
    this.limit = new PriorityLimit(concurrency);
    this.gate = new RateGate(options.rate ?? 0, this.now, this.sleep);
    this.axios = loadAxios();
    this.client = this.axios.create({
      headers: {
        'User-Agent': options.userAgent ?? userAgent(),
        Accept: 'application/json, text/plain;q=0.9',
        ...options.headers,
      },
      responseType: 'text',
      transformResponse: [(data: unknown) => data], // raw text: never JSON-parse error bodies
      validateStatus: () => true, // every status is classified below
      maxRedirects: 3,
    });
  }

  stats(): TransportStats {
    return { requests: this.requests, retries: this.retries };
  }

  async get(path: string, options: GetOptions = {}): Promise<TransportResponse> {
    // The deadline runs from the first attempt, not from the call: with a rate limit, a long
    // queue of healthy requests must not expire while waiting its turn.
    const deadline: { at: number | null } = { at: null };
    let attempts = 0;
    let reason: string;
    let hostLevel = false;
    // Deeper requests of the walk first (schedule.ts); its retries keep its place.
    const priority = currentPriority();
    for (;;) {
      const outcome = await this.limit.run(() => this.attempt(path, deadline, options), priority);
      if (outcome.ok) return outcome.response;
      if (outcome.notSent) {
        const tried =
          attempts === 0 ? 'not sent' : `stopped after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
        throw new UnavailableError(`${this.base}: ${path}: ${tried}: ${outcome.reason}`, path);
      }
      if (outcome.expired) {
        // A retry waited in the queue past the deadline: report the last real failure.
        reason = `${reason!} (the ${this.timing.deadlineMs} ms deadline passed while the retry was queued)`;
        break;
      }
      attempts++;
      reason = outcome.reason;
      hostLevel = !outcome.malformed;
      if (attempts >= this.timing.maxAttempts) break;
      const delayMs = outcome.retryAfterMs ?? this.backoff(attempts);
      if (this.now() + delayMs >= deadline.at!) {
        reason += ` (waiting ${Math.round(delayMs)} ms more would pass the ${this.timing.deadlineMs} ms deadline)`;
        break;
      }
      this.onRetry?.({ path, attempt: attempts, reason, delayMs });
      await this.sleep(delayMs);
    }
    // One resource gave up on timeouts, refusals, 429s or 5xx: the host is down. Requests not
    // yet sent fail at once for one deadline's length, so a dead explorer ends a run in about
    // 30 s rather than one deadline per queued request. (A body that stays malformed concerns
    // that resource only.)
    if (hostLevel) this.down = { until: this.now() + this.timing.deadlineMs, path, reason };
    throw new UnavailableError(
      `${this.base}: ${path}: gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason}`,
      path,
    );
  }

  /** Full jitter: uniform in [0, min(maxDelay, base * 2^(retry-1))). */
  private backoff(failedAttempts: number): number {
    const cap = Math.min(this.timing.maxDelayMs, this.timing.baseDelayMs * 2 ** (failedAttempts - 1));
    return Math.floor(this.random() * cap);
  }

  /** Null when requests may go out; else why not (the host gave up recently). */
  private hostDown(): string | null {
    if (this.down === null) return null;
    if (this.now() >= this.down.until) {
      this.down = null;
      return null;
    }
    return `the explorer gave up on ${this.down.path} just before: ${this.down.reason}`;
  }

  private async attempt(
    path: string,
    deadline: { at: number | null },
    options: GetOptions,
  ): Promise<Outcome> {
    let down = this.hostDown();
    if (down === null) {
      await this.gate.wait();
      down = this.hostDown();
    }
    if (down !== null) return { ok: false, notSent: true, reason: down, retryAfterMs: null };
    const retry = deadline.at !== null;
    deadline.at ??= this.now() + this.timing.deadlineMs;
    const remaining = deadline.at - this.now();
    if (remaining <= 0) return { ok: false, expired: true, reason: '', retryAfterMs: null };
    const timeoutMs = Math.min(this.timing.timeoutMs, remaining);
    this.requests++;
    if (retry) this.retries++;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    let status: number;
    let body: string;
    let headers: Record<string, string>;
    try {
      const res = await this.client.get<string>(this.base + path, { signal: controller.signal });
      status = res.status;
      body = typeof res.data === 'string' ? res.data : String(res.data ?? '');
      headers = lowerCaseHeaders(res.headers);
    } catch (e) {
      if (timedOut) return { ok: false, reason: `timed out after ${timeoutMs} ms`, retryAfterMs: null };
      if (this.axios.isAxiosError(e)) {
        return { ok: false, reason: e.code ? `${e.code} ${e.message}` : e.message, retryAfterMs: null };
      }
      throw e;
    } finally {
      clearTimeout(timer);
    }

    if (status >= 200 && status < 300) {
      const response: TransportResponse = { status, body, headers };
      try {
        options.validate?.(response);
      } catch (e) {
        if (e instanceof MalformedBodyError) {
          return { ok: false, malformed: true, reason: e.message, retryAfterMs: null };
        }
        throw e;
      }
      this.down = null;
      return { ok: true, response };
    }
    const text = describeBody(body);
    const what = `HTTP ${status}${text ? `: ${text}` : ''}`;
    if (status === 404) throw new NotFoundError(`${this.base}: ${path}: ${what}`, path);
    if (status === 400 || status === 413 || status === 422) {
      throw new BadRequestError(`${this.base}: ${path}: ${what}`, path);
    }
    if (status === 429 || status >= 500) {
      const retryAfterMs = parseRetryAfter(headers['retry-after'], this.now());
      // A 429 concerns the whole host: hold every queued request, not only this one.
      if (status === 429 && retryAfterMs !== null) this.gate.pauseUntil(this.now() + retryAfterMs);
      return { ok: false, reason: what, retryAfterMs };
    }
    // 401/403 (enterprise auth), 3xx after redirects, other 4xx: retrying will not help.
    throw new UnavailableError(`${this.base}: ${path}: ${what}`, path);
  }
}

function lowerCaseHeaders(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string') out[k.toLowerCase()] = v;
    else if (typeof v === 'number') out[k.toLowerCase()] = String(v);
    else if (Array.isArray(v)) out[k.toLowerCase()] = v.join(', ');
  }
  return out;
}

/** Retry-After as delay-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (value === undefined) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** A short, single-line description of an error body: the text itself, or an HTML page's title. */
export function describeBody(body: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(body);
  if (title) return title[1]!.trim();
  if (/^\s*</.test(body)) return 'HTML page';
  const line = body.trim().replace(/\s+/g, ' ');
  return line.length > 200 ? line.slice(0, 200) + '…' : line;
}
