// One HTTP exchange with an Esplora host (axios): the request under a timeout, its body read
// under the cap (body.ts), and the answer classified as an Outcome for the retry loop
// (http.ts): a 2xx that passes validation, a refusal worth retrying (429, 5xx, connection
// errors, timeouts, malformed bodies), or an error thrown at once (404, 400, redirects, other
// 4xx, bodies over the cap). Error bodies are never JSON-parsed: Esplora errors are text/plain,
// nginx 429/5xx are HTML. Messages name the host without its credentials (api-url.ts).

import type { Readable } from 'node:stream';
import type { AxiosInstance, AxiosStatic } from 'axios';
import { scrub, type ApiUrl } from './api-url.js';
import {
  ACCEPT_ENCODING,
  BodyTooLargeError,
  ERROR_BODY_BYTES,
  readBody,
  UnsupportedEncodingError,
  type LargeBodySlots,
} from './body.js';
import { BadRequestError, NotFoundError, UnavailableError } from './errors.js';
import { describeBody, lowerCaseHeaders, parseRetryAfter, redirectTarget } from './http-answer.js';
import type { GetOptions } from './http-options.js';
import type { Clock, RateGate } from './limiter.js';
import { MalformedBodyError } from './parse.js';
import type { TransportResponse } from './transport.js';

export type Outcome =
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

let axiosLoaded: Promise<AxiosStatic> | undefined;

/**
 * axios, loaded when the first live transport is made (offline runs never load it), from its
 * CommonJS build: one file that loads in about half the time of its ES module tree. Imported,
 * not required, so that the bundled CLI (npm run bundle) carries it, still run only when asked;
 * the bundle takes this import from axios's ES module sources instead, without the parts the
 * transport never uses (bin/build-bundle.js).
 */
function loadAxios(): Promise<AxiosStatic> {
  axiosLoaded ??= import('axios/dist/node/axios.cjs').then((m) => m.default);
  return axiosLoaded;
}

export interface ExchangeOptions {
  url: ApiUrl;
  /** The cap on each body, and the slots for large ones (body.ts). */
  slots: LargeBodySlots;
  /** Paused by a 429 with Retry-After: the whole host waits. */
  gate: RateGate;
  now: Clock;
  userAgent: string;
  headers?: Record<string, string>;
}

export class HttpExchange {
  private readonly base: string;
  /** Query string of the base URL (an API key, say), appended to every request. */
  private readonly query: string;
  private readonly secrets: readonly string[];
  private readonly slots: LargeBodySlots;
  private readonly gate: RateGate;
  private readonly now: Clock;
  private readonly client: Promise<{ axios: AxiosStatic; client: AxiosInstance }>;

  constructor(o: ExchangeOptions) {
    this.base = o.url.base;
    this.query = o.url.query;
    this.secrets = o.url.secrets;
    this.slots = o.slots;
    this.gate = o.gate;
    this.now = o.now;
    this.client = loadAxios().then((axios) => ({ axios, client: this.create(axios, o) }));
  }

  private create(axios: AxiosStatic, o: ExchangeOptions): AxiosInstance {
    return axios.create({
      headers: {
        'User-Agent': o.userAgent,
        Accept: 'application/json, text/plain;q=0.9',
        'Accept-Encoding': ACCEPT_ENCODING,
        ...(o.url.authorization !== null && { Authorization: o.url.authorization }),
        ...o.headers,
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

  /** One attempt at `path` (a POST of `payload` when given), over in at most timeoutMs. */
  async run(path: string, timeoutMs: number, options: GetOptions, payload?: string): Promise<Outcome> {
    const { axios, client } = await this.client;
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
          ? await client.get<Readable>(this.url(path), { signal: controller.signal })
          : await client.post<Readable>(this.url(path), payload, {
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
      if (axios.isAxiosError(e)) {
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
