// Reading one HTTP response body with a byte cap on what arrives (compressed) and on what it
// decodes to, so an endless body or a gzip bomb costs at most `maxBytes` of memory and ends the
// request instead of the run. Decompression is done here rather than by axios: axios' own
// maxContentLength counts decoded bytes only, and nothing bounds the encoded stream.

import { pipeline } from 'node:stream/promises';
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

export interface BodyLimit {
  /** Most bytes accepted, encoded and decoded each. */
  maxBytes: number;
  /** Return the first maxBytes instead of failing (error bodies: only their first line is shown). */
  truncate?: boolean;
}

/**
 * The whole body of `stream` as text, decoded per `contentEncoding`. Fails with
 * BodyTooLargeError as soon as either count passes the cap (a declared Content-Length over it
 * fails before a byte is read), destroying the stream so the socket is released.
 */
export async function readBody(
  stream: Readable,
  headers: Record<string, string>,
  limit: BodyLimit,
): Promise<string> {
  const { maxBytes } = limit;
  const declared = Number(headers['content-length']);
  const encoding = (headers['content-encoding'] ?? '').trim().toLowerCase();
  if (!limit.truncate && encoding === '' && Number.isFinite(declared) && declared > maxBytes) {
    stream.destroy();
    throw new BodyTooLargeError(
      `the answer is ${declared} bytes (Content-Length), more than the ${formatBytes(maxBytes)} cap`,
    );
  }
  let unzip: Transform | null;
  try {
    unzip = decoder(encoding);
  } catch (e) {
    stream.destroy();
    throw e;
  }
  const chunks: Buffer[] = [];
  let kept = 0;
  let full = false;
  const capped = (what: string) =>
    async function* (source: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
      let n = 0;
      for await (const piece of source) {
        const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
        n += chunk.length;
        if (n > maxBytes && !limit.truncate) {
          throw new BodyTooLargeError(`the answer passed the ${formatBytes(maxBytes)} cap ${what}`);
        }
        yield chunk;
      }
    };
  const collect = async (source: AsyncIterable<Buffer | string>): Promise<void> => {
    for await (const piece of source) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
      if (kept + chunk.length > maxBytes) {
        if (!limit.truncate)
          throw new BodyTooLargeError(`the answer passed the ${formatBytes(maxBytes)} cap`);
        chunks.push(chunk.subarray(0, maxBytes - kept));
        kept = maxBytes;
        full = true;
        return; // ends the pipeline early: the rest is never read
      }
      chunks.push(chunk);
      kept += chunk.length;
    }
  };
  try {
    if (unzip) {
      await pipeline(stream, capped('before decompression'), unzip, capped('after decompression'), collect);
    } else await pipeline(stream, capped('as sent'), collect);
  } catch (e) {
    stream.destroy();
    if (!(full && limit.truncate)) throw e;
  }
  return Buffer.concat(chunks, kept).toString('utf8');
}
