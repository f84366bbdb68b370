// The forward walk's record of one transaction (src/trace/forward.ts): its body, hop and, per
// output by vout, taint, spender and bits, so the hot path builds no "txid:vout" strings.
import type { Tx } from '../model/tx.js';
import type { Taint } from './taint.js';
import type { AddressInfo } from './walk-base.js';

// Per-output bits.
export const SEED = 1;
/** Its spender is known from the spender's own inputs (not only from outspends). */
export const PROVEN = 2;
export const UNSPENT = 4;
export const FOLLOWED = 8;

/** Everything the walk knows about one transaction and its outputs. */
export interface TxState {
  readonly txid: string;
  /** Its body, once held. */
  tx: Tx | undefined;
  /** In S (spends tainted outputs), with its hop; -1 when not in S. */
  hop: number;
  /** Asked for but not yet in S: the outputs that led to it (as [state, vout]). */
  pending: [TxState, number][] | undefined;
  /** Outspends asked: the answer's promise, or null once recorded; undefined: not asked. */
  outspends: Promise<void> | null | undefined;
  /** As of its last computation (final once the walk is done): taint in, out (seeds' outputs
   *  not counted) and to the fee. */
  taintIn: number;
  taintOut: number;
  feeTaint: number;
  /** Per output (by vout): taint, spender, bits. Created when first needed. An output's hop is
   *  not kept: it is its transaction's (outHop). */
  taint: (Taint | undefined)[] | undefined;
  spender: (TxState | undefined)[] | undefined;
  bits: number[] | undefined;
  /** Per output: its address's labels and stop rule (null: no address), once labels are read. */
  outInfo: (AddressInfo | null)[] | undefined;
  /** Named findings (CoinJoin detectors, coinbase ...), recorded once. */
  flags: string[] | undefined;
  /** In the recompute queue, and its place there (block height, unconfirmed last). */
  queued: boolean;
  rank: number;
  /** Order of first mention: breaks rank ties in the queue (parents are mostly mentioned first). */
  readonly seq: number;
  /** Read off tx once (parentsOf is the body they were read from): input and output values and
   *  the states of what the inputs spend, by vin (undefined for coinbase inputs). */
  parents: (TxState | undefined)[] | undefined;
  inValues: number[] | undefined;
  outValues: number[] | undefined;
  parentsOf: Tx | undefined;
}

export function newState(txid: string, seq: number): TxState {
  return {
    txid,
    tx: undefined,
    hop: -1,
    pending: undefined,
    outspends: undefined,
    taintIn: 0,
    taintOut: 0,
    feeTaint: 0,
    taint: undefined,
    spender: undefined,
    bits: undefined,
    outInfo: undefined,
    flags: undefined,
    queued: false,
    rank: 0,
    seq,
    parents: undefined,
    inValues: undefined,
    outValues: undefined,
    parentsOf: undefined,
  };
}

/** An output's hop: 0 for a seed, else its transaction's (every tainted output of a transaction
 *  in S takes the hop its computation gave the transaction). */
export function outHop(st: TxState, j: number): number {
  return hasBit(st, j, SEED) ? 0 : st.hop;
}

export function hasBit(st: TxState, j: number, bit: number): boolean {
  const b = st.bits?.[j];
  return b !== undefined && (b & bit) !== 0;
}

export function setBit(st: TxState, j: number, bit: number): void {
  const bits = (st.bits ??= []);
  bits[j] = (bits[j] ?? 0) | bit;
}

export function sameRanges(a: Taint, b: Taint): boolean {
  if (a.ranges === b.ranges) return true;
  if (!a.ranges || !b.ranges || a.ranges.length !== b.ranges.length) return false;
  for (let i = 0; i < a.ranges.length; i++) if (a.ranges[i] !== b.ranges[i]) return false;
  return true;
}
