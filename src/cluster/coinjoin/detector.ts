// The shape every CoinJoin detector shares, and the transaction measurements they use.
// Detectors are pure functions of one normalized transaction; none looks at other transactions.
import type { Tx } from '../../model/tx.js';
import { inputKey } from '../keys.js';
import type { Assessment } from './finding.js';

export interface CoinJoinDetector {
  /** Stable name, shown in output next to every transaction it flags. */
  readonly name: string;
  /** Confidence and reason when the rule fires; null when it does not. */
  assess(tx: Tx): Assessment | null;
  /** assess(tx) !== null, at any confidence. */
  detect(tx: Tx): boolean;
}

export function makeDetector(name: string, assess: (tx: Tx) => Assessment | null): CoinJoinDetector {
  return { name, assess, detect: (tx) => assess(tx) !== null };
}

/** Block height for height-gated rules; unconfirmed transactions count as current (every gate open). */
export function ruleHeight(tx: Tx): number {
  return tx.status.height ?? Number.POSITIVE_INFINITY;
}

export interface OutputValueGroups {
  /** value -> number of outputs with that value, in order of first appearance. */
  counts: Map<number, number>;
  /** The most frequent value; ties go to the value that appears first in vout order. */
  topValue: number;
  topCount: number;
  /** Values that occur more than once. */
  equalGroupCount: number;
  /** Values that occur exactly once. */
  uniqueValueCount: number;
}

/**
 * Output values grouped. The tie rule matches Dumplings (a stable sort over a dictionary in
 * insertion order); BlockSci's unordered_map leaves ties unspecified, and only the count
 * matters there except for the dust check.
 */
export function outputValueGroups(tx: Tx): OutputValueGroups {
  const counts = new Map<number, number>();
  for (const o of tx.vout) counts.set(o.value, (counts.get(o.value) ?? 0) + 1);
  let topValue = 0;
  let topCount = 0;
  let equalGroupCount = 0;
  let uniqueValueCount = 0;
  for (const [value, count] of counts) {
    if (count > topCount) {
      topValue = value;
      topCount = count;
    }
    if (count > 1) equalGroupCount++;
    else uniqueValueCount++;
  }
  return { counts, topValue, topCount, equalGroupCount, uniqueValueCount };
}

/**
 * True when two outputs have the same value. Every default detector needs that, so it is the
 * cheap first test; it allocates nothing for ordinary transactions (up to 32 outputs).
 */
export function hasRepeatedOutputValue(tx: Tx): boolean {
  const outs = tx.vout;
  const n = outs.length;
  if (n <= 32) {
    for (let i = 0; i < n; i++) {
      const v = outs[i]!.value;
      for (let j = i + 1; j < n; j++) if (outs[j]!.value === v) return true;
    }
    return false;
  }
  const seen = new Set<number>();
  for (const o of outs) {
    if (seen.has(o.value)) return true;
    seen.add(o.value);
  }
  return false;
}

/** Number of distinct input keys (addresses, or scripts for address-less inputs). */
export function distinctInputKeys(tx: Tx): number {
  const keys = new Set<string>();
  for (const i of tx.vin) {
    const k = inputKey(i);
    if (k !== null) keys.add(k);
  }
  return keys.size;
}

export function hasCoinbaseInput(tx: Tx): boolean {
  return tx.vin.some((i) => i.coinbase);
}

export const P2WPKH = 'v0_p2wpkh';
export const P2TR = 'v1_p2tr';

/** Dumplings' isNativeSegwitOnly: every input and every output is P2WPKH (OP_RETURN included, so it fails). */
export function nativeSegwitOnly(tx: Tx): boolean {
  return (
    tx.vin.every((i) => i.prevout?.scriptType === P2WPKH) && tx.vout.every((o) => o.scriptType === P2WPKH)
  );
}

/** |a - b| <= margin: NBitcoin's Money.Almost, which Dumplings uses for pool and base amounts. */
export function almost(a: number, b: number, margin: number): boolean {
  return Math.abs(a - b) <= margin;
}

/** Dumplings looks at a transaction only if it is not coinbase and some output value repeats. */
export function dumplingsGate(tx: Tx): boolean {
  return tx.vin.length > 0 && !hasCoinbaseInput(tx) && hasRepeatedOutputValue(tx);
}
