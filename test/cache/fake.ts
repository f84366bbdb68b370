// Test helpers for the cache: a scripted inner transport, Esplora bodies that pass the parser,
// a virtual clock and temporary directories.

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotFoundError, UnavailableError } from '../../src/sources/errors.js';
import type { GetOptions, ValidatingTransport } from '../../src/sources/http.js';
import { MalformedBodyError } from '../../src/sources/parse.js';
import type { TransportResponse, TransportStats } from '../../src/sources/transport.js';

export const hex64 = (seed: string) => createHash('sha256').update(seed).digest('hex');

/** Entries written by the concurrency test's child processes (child.ts). */
export const ORIGIN = 'https://explorer.test/api';
export const entryPath = (id: string, i: number) => `/tx/${hex64(`${id}:${i}`)}`;
export const entryBody = (id: string, i: number) =>
  JSON.stringify({ writer: id, i, pad: 'x'.repeat(200 + (i % 50)) });

/** A valid Esplora tx body (1 input, 2 outputs, fee 1000 sat) named by a seed string. */
export function txBody(name: string, confirmed = true): string {
  const out = (k: number) => ({
    scriptpubkey: '0014' + hex64(`${name}:${k}`).slice(0, 40),
    scriptpubkey_type: 'v0_p2wpkh',
    scriptpubkey_address: `bc1qfake${k}`,
    value: 10_000 * (k + 1),
  });
  return JSON.stringify({
    txid: hex64(name),
    version: 2,
    locktime: 0,
    vin: [
      {
        txid: hex64(`parent ${name}`),
        vout: 0,
        prevout: { scriptpubkey: '0014' + '11'.repeat(20), scriptpubkey_type: 'v0_p2wpkh', value: 31_000 },
        scriptsig: '',
        is_coinbase: false,
        sequence: 4294967293,
      },
    ],
    vout: [out(0), out(1)],
    size: 222,
    weight: 561,
    fee: 1000,
    status: confirmed
      ? { confirmed: true, block_height: 800_000, block_hash: hex64('block'), block_time: 1_700_000_000 }
      : { confirmed: false },
  });
}

export function outspendsBody(spender: string | null): string {
  return JSON.stringify([
    spender === null ? { spent: false } : { spent: true, txid: hex64(spender), vin: 0 },
    { spent: false },
  ]);
}

type Answer = string | Error | (() => string | Error);

/** Answers paths from a table; counts requests per path; runs validate like the HTTP transport. */
export class FakeTransport implements ValidatingTransport {
  readonly answers = new Map<string, Answer>();
  readonly asked: string[] = [];

  constructor(readonly description = 'https://explorer.test/api') {}

  stats(): TransportStats {
    return { requests: this.asked.length, retries: 0 };
  }

  set(path: string, answer: Answer): this {
    this.answers.set(path, answer);
    return this;
  }

  get(path: string, options: GetOptions = {}): Promise<TransportResponse> {
    this.asked.push(path);
    let a = this.answers.get(path);
    if (typeof a === 'function') a = a();
    if (a === undefined) return Promise.reject(new NotFoundError(`${path}: HTTP 404: not found`, path));
    if (a instanceof Error) return Promise.reject(a);
    const response: TransportResponse = { status: 200, body: a, headers: {} };
    try {
      options.validate?.(response);
    } catch (e) {
      // The HTTP transport would retry and finally give up.
      if (e instanceof MalformedBodyError)
        return Promise.reject(new UnavailableError(`gave up: ${e.message}`, path));
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    return Promise.resolve(response);
  }

  count(path: string): number {
    return this.asked.filter((p) => p === path).length;
  }
}

export function clock(start = Date.parse('2026-01-01T00:00:00Z')) {
  const c = { t: start, now: () => c.t };
  return c;
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'btctrace-cache-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
