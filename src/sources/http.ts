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
// One attempt, and what its answer means, is http-exchange.ts: bodies are capped (body.ts,
// --max-body; over it: no retry) and redirects refused, naming where they pointed, so every
// answer comes from the host the manifest names. Credentials in the base URL (user:pass@,
// ?apikey=) go on the wire only (api-url.ts).

import { UnavailableError } from './errors.js';
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
import { splitApiUrl } from './api-url.js';
import { DEFAULT_MAX_BODY_BYTES, LargeBodySlots } from './body.js';
import { HttpExchange } from './http-exchange.js';
import type { Outcome } from './http-exchange.js';
import type { TransportResponse, TransportStats } from './transport.js';

export class HttpTransport implements ValidatingTransport {
  readonly description: string;
  private readonly base: string;
  private readonly exchange: HttpExchange;
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
    this.exchange = new HttpExchange({
      url,
      slots: new LargeBodySlots(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES),
      gate: this.gate,
      now: this.now,
      userAgent: options.userAgent ?? userAgent(),
      ...(options.headers && { headers: options.headers }),
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
    const outcome = await this.exchange.run(path, timeoutMs, options, payload);
    if (outcome.ok) this.down = null;
    return outcome;
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
