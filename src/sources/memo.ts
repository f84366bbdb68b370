// Memoization for one run: each resource is asked of the wrapped source at most once.
// Concurrent identical calls share one in-flight promise. Definitive failures (not found, bad
// request, not recorded) are remembered as failures; transient ones (unavailable, integrity)
// are forgotten once settled, so a later call may try again.

import type { AddressStats, Outspend, Tx } from '../model/tx.js';
import { BadRequestError, NotFoundError, NotRecordedError } from './errors.js';
import type { AddressHistory, ChainSource, SourceStats } from './source.js';

interface HistoryEntry {
  maxTxs: number;
  promise: Promise<AddressHistory>;
}

function definitive(e: unknown): boolean {
  return e instanceof NotFoundError || e instanceof BadRequestError || e instanceof NotRecordedError;
}

/** A history cut to at most maxTxs transactions (a cut history is incomplete). */
function cut(h: AddressHistory, maxTxs: number): AddressHistory {
  return h.txs.length <= maxTxs ? h : { txs: h.txs.slice(0, maxTxs), complete: false };
}

class MemoSource implements ChainSource {
  readonly description: string;
  private readonly entries = new Map<string, Promise<unknown>>();
  private readonly histories = new Map<string, HistoryEntry>();
  /** Values of the entries that resolved, for knownTx/knownOutspends. */
  private readonly settled = new Map<string, unknown>();
  private hits = 0;

  constructor(private readonly source: ChainSource) {
    this.description = source.description;
  }

  stats(): SourceStats {
    const s = this.source.stats();
    return { ...s, memoHits: s.memoHits + this.hits };
  }

  private once<T>(key: string, call: () => Promise<T>): Promise<T> {
    const known = this.entries.get(key);
    if (known) {
      this.hits++;
      return known as Promise<T>;
    }
    let p: Promise<T>;
    try {
      p = call();
    } catch (e) {
      p = Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    this.entries.set(key, p);
    p.then(
      (v) => {
        if (this.entries.get(key) === p) this.settled.set(key, v);
      },
      (e: unknown) => {
        if (!definitive(e) && this.entries.get(key) === p) this.entries.delete(key);
      },
    );
    return p;
  }

  private known<T>(key: string): T | undefined {
    const v = this.settled.get(key) as T | undefined;
    if (v !== undefined) this.hits++;
    return v;
  }

  knownTx(txid: string): Tx | undefined {
    return this.known<Tx>(`tx ${txid}`);
  }

  knownOutspends(txid: string): Outspend[] | undefined {
    return this.known<Outspend[]>(`outspends ${txid}`);
  }

  getTx(txid: string): Promise<Tx> {
    return this.once(`tx ${txid}`, () => this.source.getTx(txid));
  }

  getTxHex(txid: string): Promise<string> {
    return this.once(`hex ${txid}`, () => this.source.getTxHex(txid));
  }

  getOutspends(txid: string): Promise<Outspend[]> {
    return this.once(`outspends ${txid}`, () => this.source.getOutspends(txid));
  }

  getOutspendsMany(txids: string[]): Promise<Outspend[][]> {
    // Per txid, so known ones are served from the memo; the rest are asked in the same tick,
    // which lets a bulk-capable source coalesce them into one request.
    return Promise.all(txids.map((t) => this.getOutspends(t)));
  }

  getAddressStats(address: string): Promise<AddressStats> {
    return this.once(`address ${address}`, () => this.source.getAddressStats(address));
  }

  getTipHeight(): Promise<number> {
    return this.once('tip', () => this.source.getTipHeight());
  }

  /**
   * A history already asked with a limit at least as large (or found complete) answers a later
   * call, cut to its limit; a call with a larger limit over an incomplete history asks again.
   */
  async getAddressHistory(address: string, maxTxs: number): Promise<AddressHistory> {
    const known = this.histories.get(address);
    if (known) {
      if (maxTxs <= known.maxTxs) {
        this.hits++;
        return cut(await known.promise, maxTxs);
      }
      const h = await known.promise.catch(() => null);
      if (h?.complete) {
        this.hits++;
        return h;
      }
    }
    const entry: HistoryEntry = { maxTxs, promise: this.source.getAddressHistory(address, maxTxs) };
    this.histories.set(address, entry);
    entry.promise.catch((e: unknown) => {
      if (!definitive(e) && this.histories.get(address) === entry) this.histories.delete(address);
    });
    return entry.promise;
  }
}

/** Wraps a source so that each resource is requested at most once per run. */
export function memoized(source: ChainSource): ChainSource {
  return new MemoSource(source);
}
