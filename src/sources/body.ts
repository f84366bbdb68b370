// Reading one HTTP response body with a byte cap on what arrives (compressed) and on what it
// decodes to, so an endless body or a gzip bomb costs at most `maxBytes` of memory and ends the
// request instead of the run. Decompression is done here rather than by axios: axios' own
// maxContentLength counts decoded bytes only, and nothing bounds the encoded stream.

import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createUnzip } from 'node:zlib';

/** Default cap per answer. Real answers stay far below: the largest recorded transaction
 * (bitfinex_2016, 4,000+ inputs) is 0.56 MB, a 25-transaction page of such ones ~14 MB. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
/** Error bodies are only shown (one line): the first 64 KiB are plenty. */
export const ERROR_BODY_BYTES = 64 * 1024;

/** The answer passed the cap: not retried (the host would send it again). */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/** The host used a content-encoding btctrace does not decode (it asked only for the ones it does). */
export class UnsupportedEncodingError extends Error {
  override readonly name = 'UnsupportedEncodingError';
}

/** "32 MiB", "512 KiB", "1000 bytes". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

export const ACCEPT_ENCODING = 'gzip, deflate, br';

function decoder(encoding: string): Transform | null {
  switch (encoding) {
    case '':
    case 'identity':
      return null;
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createUnzip();
    case 'br':
      return createBrotliDecompress();
    default:
      throw new UnsupportedEncodingError(`the answer uses content-encoding ${JSON.stringify(encoding)}`);
  }
}

/** Bytes a body may hold without a large-body slot (most Esplora answers are far smaller). */
export const SMALL_BODY_BYTES = 1024 * 1024;
/** What the large bodies being read at once may hold together (slots of maxBytes each). */
export const LARGE_BODIES_BYTES = 256 * 1024 * 1024;

/**
 * Large-body slots shared by one transport's requests, so memory stays under about
 * concurrency x 1 MiB + 256 MiB however high --concurrency and --max-body go: a body passing
 * 1 MiB waits (its stream paused) for a slot. Slot holders wait for nothing, so they always
 * finish and release: no deadlock. At the defaults (8 in flight, 32 MiB) nothing ever waits.
 */
export class LargeBodySlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(readonly maxBytes: number) {
    if (!Number.isInteger(maxBytes) || maxBytes < 1) {
      throw new RangeError(`maxBodyBytes must be a positive integer, got ${maxBytes}`);
    }
    this.free = Math.max(1, Math.floor(LARGE_BODIES_BYTES / maxBytes));
  }
  /** Resolves with a release function once a slot is free; rejects if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(release);
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(release);
      };
      const onAbort = (): void => {
        const k = this.waiting.indexOf(grant);
        if (k >= 0) this.waiting.splice(k, 1);
        reject(new Error('aborted while waiting to read a large answer'));
      };
      this.waiting.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

export interface BodyLimit {
  /** Most bytes accepted, encoded and decoded each. */
  maxBytes: number;
  /** Slots a body past SMALL_BODY_BYTES must hold (none: no such wait). */
  slots?: LargeBodySlots;
  /** Aborts a wait for a slot (the attempt's timeout). */
  signal?: AbortSignal;
  /** Return the first maxBytes instead of failing (error bodies: only their first line is shown). */
  truncate?: boolean;
}

/**
 * The whole body of `stream` as text, decoded per `contentEncoding`. Fails with
 * BodyTooLargeError as soon as either count passes the cap (a declared Content-Length over it
 * fails before a byte is read), destroying the stream so the socket is released.
 * Read with plain 'data' listeners rather than stream.pipeline: a pipeline of async generators
 * costs a few streams, an AbortController and a DOMException per answer, which was a tenth of
 * the client's CPU time per request.
 */
export function readBody(
  stream: Readable,
  headers: Record<string, string>,
  limit: BodyLimit,
): Promise<string> {
  const { maxBytes } = limit;
  const declared = Number(headers['content-length']);
  const encoding = (headers['content-encoding'] ?? '').trim().toLowerCase();
  if (!limit.truncate && encoding === '' && Number.isFinite(declared) && declared > maxBytes) {
    stream.destroy();
    return Promise.reject(
      new BodyTooLargeError(
        `the answer is ${declared} bytes (Content-Length), more than the ${formatBytes(maxBytes)} cap`,
      ),
    );
  }
  let unzip: Transform | null;
  try {
    unzip = decoder(encoding);
  } catch (e) {
    stream.destroy();
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
  return new Promise<string>((resolve, reject) => {
    new BodyReader(stream, unzip, limit, resolve, reject).start();
  });
}

/** One body being read: raw bytes from `stream`, through `unzip` when encoded, into chunks. */
class BodyReader {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private sent = 0;
  private done = false;
  private release: (() => void) | null = null;
  /** The stream whose 'data' the collector takes: the decoder's output, or the body itself. */
  private readonly out: Readable;

  constructor(
    private readonly stream: Readable,
    private readonly unzip: Transform | null,
    private readonly limit: BodyLimit,
    private readonly resolve: (body: string) => void,
    private readonly reject: (e: Error) => void,
  ) {
    this.out = unzip ?? stream;
  }

  start(): void {
    const { stream, unzip } = this;
    const fail = (e: Error): void => this.finish(e);
    stream.on('error', fail);
    // A body cut short (socket closed before its end) is a connection error, as in a pipeline.
    stream.on('close', () => {
      if (!stream.readableEnded) this.finish(prematureClose());
    });
    if (unzip) {
      unzip.on('error', fail);
      stream.on('data', (piece: Buffer | string) => this.onRaw(toBuffer(piece)));
      stream.on('end', () => unzip.end());
      unzip.on('drain', () => stream.resume());
    }
    this.out.on('data', (piece: Buffer | string) => this.onDecoded(toBuffer(piece)));
    this.out.on('end', () => this.finish(null));
  }

  /** Encoded bytes as sent: capped, then fed to the decoder. */
  private onRaw(chunk: Buffer): void {
    if (this.done) return;
    this.sent += chunk.length;
    if (this.sent > this.limit.maxBytes && !this.limit.truncate) {
      return this.finish(this.tooLarge('before decompression'));
    }
    if (!this.unzip!.write(chunk)) this.stream.pause();
  }

  /** Bytes as decoded (or as sent, without an encoding): capped, kept. */
  private onDecoded(chunk: Buffer): void {
    if (this.done) return;
    const { maxBytes, truncate, slots } = this.limit;
    if (this.kept + chunk.length > maxBytes) {
      if (!truncate) return this.finish(this.tooLarge(this.unzip ? 'after decompression' : 'as sent'));
      // An error page: its first maxBytes are plenty; the rest is never read.
      this.chunks.push(chunk.subarray(0, maxBytes - this.kept));
      this.kept = maxBytes;
      return this.finish(null);
    }
    if (slots && this.release === null && this.kept + chunk.length > SMALL_BODY_BYTES) {
      // Past 1 MiB: hold the stream until a large-body slot is free.
      this.out.pause();
      slots.acquire(this.limit.signal).then(
        (release) => {
          if (this.done) return release();
          this.release = release;
          this.keep(chunk);
          this.out.resume();
        },
        (e: unknown) => this.finish(e instanceof Error ? e : new Error(String(e))),
      );
      return;
    }
    this.keep(chunk);
  }

  private keep(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.kept += chunk.length;
  }

  private tooLarge(what: string): BodyTooLargeError {
    return new BodyTooLargeError(`the answer passed the ${formatBytes(this.limit.maxBytes)} cap ${what}`);
  }

  /** Settles once: the text on success (or a cut error page), else destroys the streams. */
  private finish(e: Error | null): void {
    if (this.done) return;
    this.done = true;
    this.release?.();
    const ended = e === null && this.stream.readableEnded && (this.unzip?.readableEnded ?? true);
    if (!ended) {
      this.stream.destroy();
      this.unzip?.destroy();
    }
    if (e) return this.reject(e);
    this.resolve(Buffer.concat(this.chunks, this.kept).toString('utf8'));
  }
}

function toBuffer(piece: Buffer | string): Buffer {
  return typeof piece === 'string' ? Buffer.from(piece) : piece;
}

function prematureClose(): Error {
  return Object.assign(new Error('the answer ended before its body was complete'), {
    code: 'ERR_STREAM_PREMATURE_CLOSE',
  });
}
