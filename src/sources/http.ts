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
// Bodies are capped (body.ts, --max-body; over it: no retry). Redirects are refused, naming where
// they pointed, so every answer comes from the host the manifest names. Credentials in the base
// URL (user:pass@, ?apikey=) go on the wire only (api-url.ts).

import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type { AxiosInstance, AxiosStatic } from 'axios';
import { BadRequestError, NotFoundError, UnavailableError } from './errors.js';
import { RateGate, realSleep, type Clock, type Sleep } from './limiter.js';
import { currentPriority, PriorityLimit } from './schedule.js';
import {
  DEFAULT_TIMING,
  userAgent,
  type GetOptions,
  type HttpOptions,
  type HttpTiming,
  type RetryEvent,
  type ValidatingTransport,
} from './http-options.js';
import { MalformedBodyError } from './parse.js';
import { scrub, splitApiUrl } from './api-url.js';
import {
  ACCEPT_ENCODING,
  BodyTooLargeError,
  DEFAULT_MAX_BODY_BYTES,
  ERROR_BODY_BYTES,
  LargeBodySlots,
  readBody,
  UnsupportedEncodingError,
} from './body.js';
import { describeBody, lowerCaseHeaders, parseRetryAfter, redirectTarget } from './http-answer.js';
import type { TransportResponse, TransportStats } from './transport.js';

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
      /** The HTTP status of a refused attempt (429, 5xx), so the final error can carry it. */
      status?: number;
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
  /** Query string of the base URL (an API key, say), appended to every request. */
  private readonly query: string;
  private readonly secrets: readonly string[];
  private readonly slots: LargeBodySlots;
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
    const url = splitApiUrl(options.baseUrl);
    this.base = url.base;
    this.query = url.query;
    this.secrets = url.secrets;
    // the cap on each body, and the slots for large ones (body.ts)
    this.slots = new LargeBodySlots(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
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
        'Accept-Encoding': ACCEPT_ENCODING,
        ...(url.authorization !== null && { Authorization: url.authorization }),
        ...options.headers,
      },
      // The node adapter, named: no search through the adapters per request. Bodies are not
      // transformed (the POST body is already JSON text; the answer is a stream).
      adapter: 'http',
      transformRequest: [],
      transformResponse: [],
      // The body is read and decompressed by readBody(), under the cap.
      responseType: 'stream',
      decompress: false,
      validateStatus: () => true, // every status is classified below
      maxRedirects: 0,
      proxy: false,
    });
  }

  stats(): TransportStats {
    return { requests: this.requests, retries: this.retries };
  }

  get(path: string, options: GetOptions = {}): Promise<TransportResponse> {
    return this.send(path, options, undefined);
  }

  /**
   * POST a JSON body (GraphSense bulk endpoints: a read, not a change, so it is retried like a
   * GET). Same limits, retries, deadline and validation as get().
   */
  post(path: string, json: unknown, options: GetOptions = {}): Promise<TransportResponse> {
    return this.send(path, options, JSON.stringify(json));
  }

  private async send(
    path: string,
    options: GetOptions,
    body: string | undefined,
  ): Promise<TransportResponse> {
    // The deadline runs from the first attempt, not from the call: with a rate limit, a long
    // queue of healthy requests must not expire while waiting its turn.
    const deadline: { at: number | null } = { at: null };
    let attempts = 0;
    let reason: string;
    let hostLevel = false;
    let status: number | undefined;
    // Deeper requests of the walk first (schedule.ts); its retries keep its place.
    const priority = currentPriority();
    for (;;) {
      const outcome = await this.limit.run(() => this.attempt(path, deadline, options, body), priority);
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
      status = outcome.status;
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
      status,
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
    payload?: string,
  ): Promise<Outcome> {
    let down = this.hostDown();
    if (down === null) {
      const paced = this.gate.wait();
      if (paced !== null) {
        await paced;
        down = this.hostDown();
      }
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
      const res =
        payload === undefined
          ? await this.client.get<Readable>(this.url(path), { signal: controller.signal })
          : await this.client.post<Readable>(this.url(path), payload, {
              signal: controller.signal,
              headers: { 'Content-Type': 'application/json' },
            });
      status = res.status;
      headers = lowerCaseHeaders(res.headers);
      const ok = status >= 200 && status < 300;
      body = await readBody(res.data, headers, {
        maxBytes: ok ? this.slots.maxBytes : Math.min(this.slots.maxBytes, ERROR_BODY_BYTES),
        truncate: !ok,
        slots: this.slots,
        signal: controller.signal,
      });
    } catch (e) {
      if (timedOut) return { ok: false, reason: `timed out after ${timeoutMs} ms`, retryAfterMs: null };
      if (e instanceof BodyTooLargeError || e instanceof UnsupportedEncodingError) {
        // The host would send the same again: fail now, naming the cap.
        const hint = e instanceof BodyTooLargeError ? ' (--max-body raises it)' : '';
        throw new UnavailableError(`${this.base}: ${path}: ${e.message}${hint}`, path);
      }
      if (this.axios.isAxiosError(e)) {
        const reason = e.code ? `${e.code} ${e.message}` : e.message;
        return { ok: false, reason: this.scrub(reason), retryAfterMs: null };
      }
      // A stream or zlib failure mid-body (reset, truncated gzip): like a connection error.
      if (e instanceof Error && 'code' in e) {
        return { ok: false, reason: this.scrub(e.message), retryAfterMs: null };
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
    const what = this.scrub(`HTTP ${status}${text ? `: ${text}` : ''}`);
    if (status === 404) throw new NotFoundError(`${this.base}: ${path}: ${what}`, path);
    if (status === 400 || status === 413 || status === 422) {
      throw new BadRequestError(`${this.base}: ${path}: ${what}`, path);
    }
    if (status === 429 || status >= 500) {
      const retryAfterMs = parseRetryAfter(headers['retry-after'], this.now());
      // A 429 concerns the whole host: hold every queued request, not only this one.
      if (status === 429 && retryAfterMs !== null) this.gate.pauseUntil(this.now() + retryAfterMs);
      return { ok: false, reason: what, retryAfterMs, status };
    }
    if (status >= 300 && status < 400) {
      const to = redirectTarget(headers['location'], this.base + path);
      throw new UnavailableError(
        `${this.base}: ${path}: HTTP ${status} redirect to ${this.scrub(to)} refused (btctrace follows no redirects: give --api-url the address that answers)`,
        path,
      );
    }
    // 401/403 (enterprise auth), other 4xx: retrying will not help.
    throw new UnavailableError(`${this.base}: ${path}: ${what}`, path, status);
  }

  /** The request URL: base, path, then the base URL's own query (after the path's, if any). */
  private url(path: string): string {
    if (this.query === '') return this.base + path;
    return `${this.base}${path}${path.includes('?') ? '&' : '?'}${this.query}`;
  }

  private scrub(text: string): string {
    return scrub(text, this.secrets);
  }
}

export { describeBody, parseRetryAfter } from './http-answer.js';
export {
  DEFAULT_TIMING,
  userAgent,
  type GetOptions,
  type HttpOptions,
  type HttpTiming,
  type RetryEvent,
  type ValidatingTransport,
};
