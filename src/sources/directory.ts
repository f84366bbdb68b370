// Offline answers from a recording directory, and the wrapper that writes such recordings.
// One file per resource, named by recordingFile() (tx_<txid>.json, address_<a>_txs.json ...),
// holding the body exactly as the explorer sent it, so an offline run parses the same bytes
// through the same checks as the live run did.

import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MiB, readInputTextSync, InputFileError } from '../model/input-file.js';
import { NotRecordedError, SourceError } from './errors.js';
import type { GetOptions, ValidatingTransport } from './http.js';
import { recordingFile } from './resources.js';
import type { TransportResponse, TransportStats } from './transport.js';

/**
 * One recorded body: the largest Esplora answers (a 25-transaction address page of big
 * transactions) are a few MiB; 64 MiB leaves room and still bounds memory per read.
 */
export const MAX_RECORDING_ENTRY_BYTES = 64 * MiB;

/** Answers from files; a missing file rejects with NotRecordedError naming file and resource. */
export class DirectoryTransport implements ValidatingTransport {
  readonly description: string;
  private requests = 0;

  constructor(private readonly dir: string) {
    this.description = `offline ${dir}`;
  }

  stats(): TransportStats {
    return { requests: this.requests, retries: 0 };
  }

  get(path: string, options: GetOptions = {}): Promise<TransportResponse> {
    try {
      return Promise.resolve(this.read(path, options));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private read(path: string, options: GetOptions): TransportResponse {
    const file = recordingFile(path);
    if (file === null) throw new NotRecordedError(`not in the recording: no file for GET ${path}`, path);
    this.requests++;
    let body: string;
    try {
      // O_NOFOLLOW: a recording is data from outside; a symlink in it could point anywhere.
      // Read synchronously: a local file is read faster than the five thread-pool round trips
      // of an asynchronous open/stat/read/read/close, and an offline run has nothing to overlap.
      body = readInputTextSync(join(this.dir, file), {
        what: 'recording entry',
        maxBytes: MAX_RECORDING_ENTRY_BYTES,
        noFollow: true,
        missingAsIs: true,
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new NotRecordedError(`not in the recording: ${file} (GET ${path})`, path);
      }
      if (e instanceof InputFileError) throw new SourceError(`offline recording: ${e.message}`, path);
      throw e;
    }
    const response: TransportResponse = { status: 200, body, headers: {} };
    // A malformed recording fails the same way a malformed live body does (no retry: the file
    // will not change).
    options.validate?.(response);
    return response;
  }
}

/** Receives answers to record; the Esplora source uses it to store bulk outspends per txid. */
export interface Recorder {
  record(path: string, body: string): Promise<void>;
}

/**
 * Passes requests to `inner` and writes each 2xx body to its recording file in `dir`
 * (created if needed). Writes are atomic (temp file + rename): an interrupted run never leaves
 * a half-written file that a later offline run would read as data. Options (validate) are
 * forwarded, so only bodies that passed validation are recorded.
 */
export class RecordingTransport implements ValidatingTransport, Recorder {
  readonly description: string;
  private dirReady: Promise<unknown> | null = null;

  constructor(
    private readonly inner: ValidatingTransport,
    private readonly dir: string,
  ) {
    this.description = `${inner.description} (recording to ${dir})`;
  }

  stats(): TransportStats {
    return this.inner.stats();
  }

  async get(path: string, options?: GetOptions): Promise<TransportResponse> {
    const response = await this.inner.get(path, options);
    if (response.status >= 200 && response.status < 300) await this.record(path, response.body);
    return response;
  }

  /** Writes one body; paths without a recording file (bulk requests) are skipped. */
  async record(path: string, body: string): Promise<void> {
    const file = recordingFile(path);
    if (file === null) return;
    this.dirReady ??= mkdir(this.dir, { recursive: true });
    await this.dirReady;
    const target = join(this.dir, file);
    const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, body, 'utf8');
      await rename(temp, target);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
  }
}
