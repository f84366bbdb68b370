// Wasabi 2 (WabiSabi) rounds, per Dumplings (crocs-muni fork): P2WPKH/P2TR inputs, inputs and
// outputs sorted by value descending, and more than 80% of the outputs at a standard denomination.
import type { Tx } from '../../model/tx.js';
import { dumplingsGate, P2TR, P2WPKH, ruleHeight, type CoinJoinDetector } from './detector.js';

/** Dumplings FirstWasabi2Block. */
export const WASABI2_FIRST_HEIGHT = 741_213;

/**
 * crocs-muni/Dumplings MinWW2Inputs: 50 in nopara73's original, lowered to 15 because the
 * coordinators that followed zkSNACKs (closed mid-2024) run smaller rounds.
 */
export const WASABI2_MIN_INPUTS = 15;

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
  return {
    name: 'wasabi2',
    detect(tx: Tx): boolean {
      if (!dumplingsGate(tx) || ruleHeight(tx) < WASABI2_FIRST_HEIGHT) return false;
      if (tx.vin.length < minInputs) return false;
      const inputValues: number[] = [];
      for (const i of tx.vin) {
        const t = i.prevout?.scriptType;
        if (t !== P2WPKH && t !== P2TR) return false;
        inputValues.push(i.prevout!.value);
      }
      if (!nonIncreasing(inputValues) || !nonIncreasing(tx.vout.map((o) => o.value))) return false;
      let standard = 0;
      for (const o of tx.vout) if (WASABI2_DENOMINATIONS.has(o.value)) standard++;
      return standard * 5 > tx.vout.length * 4; // more than 80%, in integers
    },
  };
}

export const wasabi2: CoinJoinDetector = createWasabi2Detector();
