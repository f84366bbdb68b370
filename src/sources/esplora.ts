// ChainSource over the Esplora REST API (blockstream.info, mempool.space, self-hosted electrs),
// reached through any Transport (HTTP, recording directory, cache). Every answer is parsed and
// validated here, whatever the transport, and checked against what the source already knows
// (a tx's txid is the one asked for; outspends have one entry per output).

import type { AddressStats, Outspend, Tx } from '../model/tx.js';
import type { Recorder } from './directory.js';
import { IntegrityError, NotFoundError } from './errors.js';
import type { GetOptions, ValidatingTransport } from './http.js';
import {
  MalformedBodyError,
  parseAddressStats,
  parseJson,
  parseOutspends,
  parseTipHeight,
  parseTx,
  parseTxHex,
  parseTxList,
} from './parse.js';
import { pageHistory } from './history.js';
import { esploraPath } from './resources.js';
import type { AddressHistory, ChainSource, SourceStats } from './source.js';
import type { Transport } from './transport.js';
import { checkAddress, checkTxid } from './path-args.js';
import { currentPriority, withPriority } from './schedule.js';

export { CHAIN_PAGE_SIZE, FIRST_PAGE_MAX } from './history.js';
/** mempool/electrs refuses more txids per /txs/outspends request ("Too many txids requested"). */
export const BULK_OUTSPENDS_MAX = 50;

export interface EsploraOptions {
  /** Ask outspends in bulk through GET /txs/outspends?txids= (mempool/electrs hosts). */
  bulkOutspends?: boolean;
  /** Receives each bulk slot as its per-transaction outspends answer (recording mode). */
  recorder?: Recorder;
}

interface Waiter {
  resolve: (v: Outspend[]) => void;
  reject: (e: unknown) => void;
  promise: Promise<Outspend[]>;
  /** The caller's request priority (schedule.ts), for the request that leaves a turn later. */
  priority: number;
}

export class EsploraSource implements ChainSource {
  readonly description: string;
  private readonly transport: ValidatingTransport;
  private bulk: boolean;
  private readonly recorder: Recorder | undefined;
  /** Resources requested so far: asking one twice is counted in `repeated`. */
  private readonly sent = new Set<string>();
  private repeated = 0;
  /** Output counts of transactions and outspend lists seen, to cross-check the two. */
  private readonly voutCount = new Map<string, number>();
  private readonly outspendCount = new Map<string, number>();
  /** Outspends requests waiting for the end of the current tick, to go out in bulk. */
  private pending = new Map<string, Waiter>();
  private flushScheduled = false;

  constructor(transport: Transport, options: EsploraOptions = {}) {
    this.transport = transport;
    this.description = `esplora ${transport.description}`;
    this.bulk = options.bulkOutspends ?? false;
    this.recorder = options.recorder;
  }

  stats(): SourceStats {
    const t = this.transport.stats();
    return { requests: t.requests, retries: t.retries, memoHits: 0, repeated: this.repeated };
  }

  async getTx(txid: string): Promise<Tx> {
    const id = checkTxid(txid);
    const path = esploraPath.tx(id);
    // Checked inside the parse step, so a wrong answer is retried-or-rejected before anything
    // (recording, cache) stores it.
    const tx = await this.fetch(path, (body) => {
      const t = parseTx(parseJson(body, path), path);
      if (t.txid !== id) {
        throw new IntegrityError(`${path}: asked for ${id}, the explorer answered ${t.txid}`, path);
      }
      return t;
    });
    this.voutCount.set(id, tx.vout.length);
    this.crossCheck(id, path);
    return tx;
  }

  async getTxHex(txid: string): Promise<string> {
    const path = esploraPath.txHex(checkTxid(txid));
    return this.fetch(path, (body) => parseTxHex(body, path));
  }

  getOutspends(txid: string): Promise<Outspend[]> {
    let id: string;
    try {
      id = checkTxid(txid);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    if (!this.bulk) return this.singleOutspends(id);
    const waiting = this.pending.get(id);
    if (waiting) {
      waiting.priority = Math.max(waiting.priority, currentPriority());
      return waiting.promise;
    }
    this.note(esploraPath.outspends(id));
    let resolve!: (v: Outspend[]) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<Outspend[]>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.pending.set(id, { resolve, reject, promise, priority: currentPriority() });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // Everything asked before the event loop turns goes out together.
      setImmediate(() => this.flush());
    }
    return promise;
  }

  getOutspendsMany(txids: string[]): Promise<Outspend[][]> {
    // With bulk on, these calls land in the same tick and leave in requests of up to 50 txids.
    return Promise.all(txids.map((t) => this.getOutspends(t)));
  }

  async getAddressStats(address: string): Promise<AddressStats> {
    const path = esploraPath.address(checkAddress(address));
    return this.fetch(path, (body) => {
      const stats = parseAddressStats(parseJson(body, path), path);
      if (stats.address.toLowerCase() !== address.toLowerCase()) {
        throw new IntegrityError(
          `${path}: asked for ${address}, the explorer answered ${stats.address}`,
          path,
        );
      }
      return stats;
    });
  }

  async getTipHeight(): Promise<number> {
    const path = esploraPath.tipHeight();
    return this.fetch(path, (body) => parseTipHeight(body, path));
  }

  /** Pages the history (history.ts); a looping page cursor rejects with IntegrityError. */
  async getAddressHistory(address: string, maxTxs: number): Promise<AddressHistory> {
    checkAddress(address);
    if (!(maxTxs >= 1) || (!Number.isInteger(maxTxs) && maxTxs !== Infinity)) {
      throw new RangeError(`maxTxs must be a positive integer, got ${maxTxs}`);
    }
    return pageHistory(address, maxTxs, (path) => this.txPage(path));
  }

  private txPage(path: string): Promise<Tx[]> {
    return this.fetch(path, (body) => parseTxList(parseJson(body, path), path));
  }

  /**
   * GETs a path and parses the body once, inside the transport's validate hook when it has one
   * (so a malformed body is retried there), else after it returns.
   */
  private async fetch<T>(path: string, parse: (body: string) => T, note = true): Promise<T> {
    if (note) this.note(path);
    const held: { value?: T; done: boolean } = { done: false };
    const options: GetOptions = {
      validate: (r) => {
        held.value = parse(r.body);
        held.done = true;
      },
    };
    const response = await this.transport.get(path, options);
    return held.done ? (held.value as T) : parse(response.body);
  }

  private note(key: string): void {
    if (this.sent.has(key)) this.repeated++;
    else this.sent.add(key);
  }

  private async singleOutspends(txid: string, note = true): Promise<Outspend[]> {
    const path = esploraPath.outspends(txid);
    const list = await this.fetch(path, (body) => parseOutspends(parseJson(body, path), path), note);
    this.outspendCount.set(txid, list.length);
    this.crossCheck(txid, path);
    return list;
  }

  private flush(): void {
    const batch = [...this.pending];
    this.pending = new Map();
    this.flushScheduled = false;
    for (let k = 0; k < batch.length; k += BULK_OUTSPENDS_MAX) {
      const chunk = batch.slice(k, k + BULK_OUTSPENDS_MAX);
      // The request serves each of its callers: it ranks as the deepest of them.
      const priority = Math.max(...chunk.map(([, w]) => w.priority));
      withPriority(priority, () => {
        if (chunk.length === 1) {
          // One txid: the ordinary endpoint (it 404s for an unknown tx, and caches per path).
          const [txid, w] = chunk[0]!;
          this.singleOutspends(txid, false).then(w.resolve, w.reject);
        } else void this.bulkOutspends(chunk);
      });
    }
  }

  private async bulkOutspends(chunk: [string, Waiter][]): Promise<void> {
    const txids = chunk.map(([t]) => t);
    const path = esploraPath.outspendsMany(txids);
    let slots: { raw: unknown; list: Outspend[] }[];
    try {
      slots = await this.fetch(path, (body) => parseBulk(parseJson(body, path), path, txids.length), false);
    } catch (e) {
      if (e instanceof NotFoundError && this.bulk) {
        // The host has no bulk endpoint (404 "endpoint does not exist"): ask one by one from now on.
        this.bulk = false;
      }
      if (e instanceof NotFoundError) {
        for (const [txid, w] of chunk)
          withPriority(w.priority, () => this.singleOutspends(txid, false)).then(w.resolve, w.reject);
        return;
      }
      for (const [, w] of chunk) w.reject(e);
      return;
    }
    await Promise.all(
      chunk.map(async ([txid, w], k) => {
        const resource = esploraPath.outspends(txid);
        try {
          const { raw, list } = slots[k]!;
          // An unknown txid gets [] in its slot; a real transaction has at least one output.
          if (list.length === 0) {
            throw new NotFoundError(
              `${resource}: Transaction not found (empty slot in ${path.slice(0, 40)}…)`,
              resource,
            );
          }
          this.outspendCount.set(txid, list.length);
          this.crossCheck(txid, resource);
          await this.recorder?.record(resource, JSON.stringify(raw));
          w.resolve(list);
        } catch (e) {
          w.reject(e);
        }
      }),
    );
  }

  /** Outspends must have one entry per output of the transaction. */
  private crossCheck(txid: string, resource: string): void {
    const outs = this.voutCount.get(txid);
    const spends = this.outspendCount.get(txid);
    if (outs !== undefined && spends !== undefined && outs !== spends) {
      throw new IntegrityError(
        `${resource}: transaction ${txid} has ${outs} outputs but the explorer listed ${spends} outspends`,
        resource,
      );
    }
  }
}

function parseBulk(json: unknown, resource: string, n: number): { raw: unknown; list: Outspend[] }[] {
  if (!Array.isArray(json) || json.length !== n) {
    throw new MalformedBodyError(
      `${resource}: expected an array of ${n} outspend lists, got ${Array.isArray(json) ? `${json.length} entries` : typeof json}`,
      resource,
    );
  }
  return json.map((raw: unknown, k) => ({ raw, list: parseOutspends(raw, resource, `[${k}]`) }));
}
