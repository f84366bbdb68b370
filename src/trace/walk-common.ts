import type { Tx } from '../model/tx.js';
import type { ChainSource } from '../sources/source.js';
import { SourceError } from '../sources/errors.js';
import type { LabelBook } from '../labels/label.js';
import type { TaintModel } from './taint.js';

export interface WalkOptions {
  model: TaintModel;
  /** Transaction hops to follow beyond the seeds' outputs. */
  hops: number;
  /** Outputs whose taint is below this many satoshis are not followed. */
  minSat: number;
  maxTxs: number;
  maxAddressTxs: number;
  /**
   * Lower-case categories and abuse terms to stop at; "coinjoin" stops at transactions a
   * detector flags.
   */
  stopAt: readonly string[];
  /** Entity names to stop at (--stop-at-label). */
  stopAtLabels?: readonly string[];
}

export interface WalkProgress {
  txs: number;
}

export interface WalkDeps {
  source: ChainSource;
  /** Labels, looked up once per transaction's addresses (never one call per row). */
  labels: LabelBook;
  /** CoinJoin detectors that fired on a transaction (names); injected so trace does not depend on cluster. */
  classify?: (tx: Tx) => string[];
  /** Further named findings to show on a transaction's rows (e.g. change heuristics). */
  txFlags?: (tx: Tx) => string[];
  onProgress?: (p: WalkProgress) => void;
  onWarning?: (message: string) => void;
}

export function describeError(e: unknown): string {
  if (e instanceof SourceError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
