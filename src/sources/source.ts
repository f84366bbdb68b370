import type { AddressStats, Outspend, Tx } from '../model/tx.js';

export interface AddressHistory {
  /** Newest first; unconfirmed transactions before confirmed ones; no duplicates. */
  txs: Tx[];
  /** False when maxTxs cut the history: older transactions were not fetched. */
  complete: boolean;
}

/** Counters every source keeps; shown in run summaries and benchmarks. */
export interface SourceStats {
  /** HTTP requests sent (retries included). */
  requests: number;
  /** Retries after 429/5xx/timeouts/connection errors. */
  retries: number;
  /** Answers served from memo or cache without a request. */
  memoHits: number;
  /** Requests for a resource that had already been requested in this run (should stay 0). */
  repeated: number;
}

/**
 * Where chain data comes from. Esplora (blockstream.info, mempool.space, self-hosted),
 * offline recordings, and wrappers (memo, cache, record) all implement this; callers never
 * learn which one answered. Every method rejects with a SourceError subclass on failure.
 */
export interface ChainSource {
  /** Human-readable description for run metadata, e.g. "esplora https://mempool.space/api". */
  readonly description: string;
  getTx(txid: string): Promise<Tx>;
  getOutspends(txid: string): Promise<Outspend[]>;
  /**
   * Answers this source already holds in memory (a settled memo entry, an in-process chain):
   * returned at once, with no request and no promise, so a walk over local data runs without
   * a microtask per transaction. Undefined when not held; optional.
   */
  knownTx?(txid: string): Tx | undefined;
  knownOutspends?(txid: string): Outspend[] | undefined;
  /**
   * Outspends of several transactions in one call where the host supports it
   * (mempool.space /txs/outspends?txids=); sources without bulk support answer one by one.
   */
  getOutspendsMany(txids: string[]): Promise<Outspend[][]>;
  /** Confirmed and unconfirmed history, newest first, paging until the end or maxTxs. */
  getAddressHistory(address: string, maxTxs: number): Promise<AddressHistory>;
  getAddressStats(address: string): Promise<AddressStats>;
  getTipHeight(): Promise<number>;
  /** Raw transaction hex, for txid verification. */
  getTxHex(txid: string): Promise<string>;
  stats(): SourceStats;
}
