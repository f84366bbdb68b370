// A frontier at a time: a ChainSource over a backend that answers many questions in one call
// (one SQL query, one bulk request). The walks (src/trace/) already ask for a whole frontier at
// once — every answer starts the requests it makes possible, in the same turn of the event loop
// or the walk's next recompute — so this wrapper collects the calls until the walk has gone
// quiet for one turn and sends them as one bulk request. The taint computation stays the code
// the explorer walk runs; only the number of round trips changes: about one per hop for the
// whole frontier of every seed, whatever the number of seeds.

import type { AddressStats, Outspend, Tx } from '../model/tx.js';
import { NotFoundError } from './errors.js';
import type { AddressHistory, ChainSource, SourceStats } from './source.js';

/** What one bulk call asks; every list is sorted and without duplicates (deterministic SQL). */
export interface BulkRequest {
  txids: string[];
  /** Transactions whose outputs' spenders are wanted. */
  outspends: string[];
  /** Seed address histories, with the most transactions any caller wants of each. */
  histories: { address: string; maxTxs: number }[];
  tip: boolean;
}

/** The answers; a txid or address left out of a map was not found. */
export interface BulkAnswer {
  txs: Map<string, Tx>;
  outspends: Map<string, Outspend[]>;
  histories: Map<string, AddressHistory>;
  tip: number | null;
}

export interface BulkBackend {
  readonly description: string;
  fetch(request: BulkRequest): Promise<BulkAnswer>;
  getAddressStats(address: string): Promise<AddressStats>;
  getTxHex(txid: string): Promise<string>;
  stats(): SourceStats;
}

/**
 * Turns of the event loop a batch may wait for more calls. The walk needs two or three (an
 * answer's callbacks, then its recompute); the bound keeps a caller that never goes quiet from
 * holding a batch back forever.
 */
export const MAX_SETTLE_TURNS = 32;

interface Waiter<T> {
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
}

class Batch {
  readonly txs = new Map<string, Waiter<Tx>[]>();
  readonly outspends = new Map<string, Waiter<Outspend[]>[]>();
  readonly histories = new Map<string, { maxTxs: number; waiters: Waiter<AddressHistory>[] }>();
  readonly tip: Waiter<number>[] = [];
}

function wait<T>(list: Waiter<T>[]): Promise<T> {
  return new Promise<T>((resolve, reject) => list.push({ resolve, reject }));
}

class BatchingSource implements ChainSource {
  readonly description: string;
  private batch = new Batch();
  private scheduled = false;
  /** Calls added since the last settle check: a batch goes out after a turn that adds none. */
  private added = 0;
  /** Bodies that came with an answer (histories, outspends' own transactions): no call needed. */
  private readonly bodies = new Map<string, Tx>();

  constructor(private readonly backend: BulkBackend) {
    this.description = backend.description;
  }

  stats(): SourceStats {
    return this.backend.stats();
  }

  getTx(txid: string): Promise<Tx> {
    const known = this.bodies.get(txid);
    if (known) return Promise.resolve(known);
    let list = this.batch.txs.get(txid);
    if (!list) this.batch.txs.set(txid, (list = []));
    return this.queued(wait(list));
  }

  getOutspends(txid: string): Promise<Outspend[]> {
    let list = this.batch.outspends.get(txid);
    if (!list) this.batch.outspends.set(txid, (list = []));
    return this.queued(wait(list));
  }

  getOutspendsMany(txids: string[]): Promise<Outspend[][]> {
    return Promise.all(txids.map((t) => this.getOutspends(t)));
  }

  getAddressHistory(address: string, maxTxs: number): Promise<AddressHistory> {
    let entry = this.batch.histories.get(address);
    if (!entry) this.batch.histories.set(address, (entry = { maxTxs, waiters: [] }));
    entry.maxTxs = Math.max(entry.maxTxs, maxTxs);
    const cap = maxTxs;
    return this.queued(wait(entry.waiters)).then((h) =>
      h.txs.length <= cap ? h : { txs: h.txs.slice(0, cap), complete: false },
    );
  }

  getTipHeight(): Promise<number> {
    return this.queued(wait(this.batch.tip));
  }

  getAddressStats(address: string): Promise<AddressStats> {
    return this.backend.getAddressStats(address);
  }

  getTxHex(txid: string): Promise<string> {
    return this.backend.getTxHex(txid);
  }

  private queued<T>(p: Promise<T>): Promise<T> {
    this.added++;
    if (!this.scheduled) {
      this.scheduled = true;
      this.settle(0);
    }
    return p;
  }

  private settle(turns: number): void {
    this.added = 0;
    setImmediate(() => {
      // The first turn always waits once more: a caller's next turn (the walk's recompute is
      // scheduled with setImmediate too) may come right after this check.
      if ((turns === 0 || this.added > 0) && turns + 1 < MAX_SETTLE_TURNS) return this.settle(turns + 1);
      this.scheduled = false;
      const batch = this.batch;
      this.batch = new Batch();
      void this.send(batch);
    });
  }

  private async send(batch: Batch): Promise<void> {
    const request: BulkRequest = {
      txids: [...batch.txs.keys()].sort(),
      outspends: [...batch.outspends.keys()].sort(),
      histories: [...batch.histories]
        .map(([address, h]) => ({ address, maxTxs: h.maxTxs }))
        .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)),
      tip: batch.tip.length > 0,
    };
    let answer: BulkAnswer;
    try {
      answer = await this.backend.fetch(request);
    } catch (e) {
      const all = [
        ...[...batch.txs.values()].flat(),
        ...[...batch.outspends.values()].flat(),
        ...[...batch.histories.values()].flatMap((h) => h.waiters),
        ...batch.tip,
      ];
      for (const w of all) w.reject(e);
      return;
    }
    for (const tx of answer.txs.values()) this.bodies.set(tx.txid, tx);
    for (const h of answer.histories.values()) for (const tx of h.txs) this.bodies.set(tx.txid, tx);
    const where = this.description;
    for (const [txid, list] of batch.txs) {
      const tx = answer.txs.get(txid);
      for (const w of list)
        if (tx) w.resolve(tx);
        else w.reject(new NotFoundError(`${where}: no transaction ${txid}`, `tx ${txid}`));
    }
    for (const [txid, list] of batch.outspends) {
      const os = answer.outspends.get(txid);
      for (const w of list)
        if (os) w.resolve(os);
        else w.reject(new NotFoundError(`${where}: no transaction ${txid}`, `outspends ${txid}`));
    }
    for (const [address, h] of batch.histories) {
      const found = answer.histories.get(address) ?? { txs: [], complete: true };
      for (const w of h.waiters) w.resolve(found);
    }
    for (const w of batch.tip)
      if (answer.tip !== null) w.resolve(answer.tip);
      else w.reject(new NotFoundError(`${where}: no chain tip height`, 'tip'));
  }
}

/** A ChainSource that sends the calls of one frontier to the backend as one bulk call. */
export function batchedSource(backend: BulkBackend): ChainSource {
  return new BatchingSource(backend);
}
