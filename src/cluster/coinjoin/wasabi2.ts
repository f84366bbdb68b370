// Wasabi 2 (WabiSabi) rounds, per Dumplings (crocs-muni fork): P2WPKH/P2TR inputs, inputs and
// outputs sorted by value descending, and more than 80% of the outputs at a standard denomination.
import type { Tx } from '../../model/tx.js';
import {
  distinctInputKeys,
  dumplingsGate,
  makeDetector,
  P2TR,
  P2WPKH,
  ruleHeight,
  type CoinJoinDetector,
} from './detector.js';
import type { Assessment } from './finding.js';

/** Dumplings FirstWasabi2Block. */
export const WASABI2_FIRST_HEIGHT = 741_213;

/**
 * crocs-muni/Dumplings MinWW2Inputs: 50 in nopara73's original, lowered to 15 because the
 * coordinators that followed zkSNACKs (closed mid-2024) run smaller rounds.
 */
export const WASABI2_MIN_INPUTS = 15;

/**
 * Distinct input addresses must be at least half the inputs (1/2): the labelled rounds have
 * 90-100%, the one-wallet look-alikes one or two addresses for dozens of inputs.
 */
export const WASABI2_MIN_OWNER_SHARE_NUM = 1;
export const WASABI2_MIN_OWNER_SHARE_DEN = 2;

/** Standard denominations: 2^k, 3^k, 2*3^k, 10^k, 2*10^k, 5*10^k within [5,000; 134,375,000,000] sat (78 values). */
export const WASABI2_DENOMINATIONS: ReadonlySet<number> = buildDenominations();

function buildDenominations(): Set<number> {
  const min = 5_000;
  const max = 134_375_000_000;
  const out = new Set<number>();
  const series = (base: number, factor: number): void => {
    for (let v = factor; v <= max; v *= base) if (v >= min) out.add(v);
  };
  series(2, 1);
  series(3, 1);
  series(3, 2);
  series(10, 1);
  series(10, 2);
  series(10, 5);
  return out;
}

export interface Wasabi2Options {
  /** Minimum number of inputs (default 15; nopara73's Dumplings used 50). */
  minInputs?: number;
}

function nonIncreasing(values: number[]): boolean {
  for (let k = 1; k < values.length; k++) if (values[k]! > values[k - 1]!) return false;
  return true;
}

export function createWasabi2Detector(options: Wasabi2Options = {}): CoinJoinDetector {
  const minInputs = options.minInputs ?? WASABI2_MIN_INPUTS;
  if (!Number.isSafeInteger(minInputs) || minInputs < 1) {
    throw new RangeError(`Wasabi 2 minInputs ${minInputs} is not a positive integer`);
  }
  return makeDetector('wasabi2', (tx: Tx): Assessment | null => {
    if (!dumplingsGate(tx) || ruleHeight(tx) < WASABI2_FIRST_HEIGHT) return null;
    if (tx.vin.length < minInputs) return null;
    const inputValues: number[] = [];
    for (const i of tx.vin) {
      const t = i.prevout?.scriptType;
      if (t !== P2WPKH && t !== P2TR) return null;
      inputValues.push(i.prevout!.value);
    }
    if (!nonIncreasing(inputValues) || !nonIncreasing(tx.vout.map((o) => o.value))) return null;
    let standard = 0;
    for (const o of tx.vout) if (WASABI2_DENOMINATIONS.has(o.value)) standard++;
    if (standard * 5 <= tx.vout.length * 4) return null; // more than 80%, in integers
    // A round gathers many wallets: inputs from few addresses are one wallet's consolidation
    // that happens to pay standard amounts (WabiSabi clients never reuse an input address).
    const owners = distinctInputKeys(tx);
    if (owners * WASABI2_MIN_OWNER_SHARE_DEN < tx.vin.length * WASABI2_MIN_OWNER_SHARE_NUM) return null;
    return {
      confidence: 'likely',
      reason:
        `Wasabi 2 shape: ${tx.vin.length} P2WPKH/P2TR inputs from ${owners} addresses, inputs and outputs sorted by value, ` +
        `${standard} of ${tx.vout.length} outputs (over 80%) at standard denominations`,
    };
  });
}

export const wasabi2: CoinJoinDetector = createWasabi2Detector();
