// Change heuristics: opt-in, each named, never used for merging by default. They are evidence
// an analyst weighs ("We recommend against simply using one of these heuristics without further
// refinement for clustering", BlockSci docs/reference/heuristics/change.rst).
import { InputError } from '../../model/errors.js';
import type { Tx } from '../../model/tx.js';
import { addressReuse } from './address-reuse.js';
import { addressType } from './address-type.js';
import { freshAddress } from './fresh-address.js';
import { missingContext, type ChangeContext, type ChangeHeuristic, type ContextLookup } from './heuristic.js';
import { locktime } from './locktime.js';
import { optimalChange } from './optimal-change.js';
import { peelChain } from './peel.js';
import { roundNumber } from './round-number.js';

export type { ChangeContext, ChangeHeuristic, ContextLookup } from './heuristic.js';
export { missingContext, spendableVouts } from './heuristic.js';
export { followPeelChain, isPeelingChain, looksLikePeelStep, peelChain, type PeelChainWalk } from './peel.js';
export { createRoundNumber, ROUND_NUMBER_DIGITS } from './round-number.js';
export { addressReuse, addressType, freshAddress, locktime, optimalChange, roundNumber };

/** Every heuristic, in the fixed order their names are reported in. */
export const CHANGE_HEURISTICS: readonly ChangeHeuristic[] = [
  addressReuse,
  addressType,
  optimalChange,
  roundNumber,
  freshAddress,
  locktime,
  peelChain,
];

/** Heuristics by name (e.g. --change-heuristics a,b), in CHANGE_HEURISTICS order. */
export function selectChangeHeuristics(names: readonly string[]): ChangeHeuristic[] {
  const known = CHANGE_HEURISTICS.map((h) => h.name);
  for (const n of names) {
    if (!known.includes(n))
      throw new InputError(`unknown change heuristic "${n}"; known: ${known.join(', ')}`);
  }
  return CHANGE_HEURISTICS.filter((h) => names.includes(h.name));
}

export interface HeuristicVerdict {
  name: string;
  /** Vouts it cannot rule out; [] when it could not run. */
  candidates: number[];
  /** Lookups it needed and did not get (non-empty: it did not run). */
  missing: ContextLookup[];
}

/** Each named heuristic's candidate set, for output that shows the analyst every opinion. */
export function evaluateChange(tx: Tx, ctx: ChangeContext, names: readonly string[]): HeuristicVerdict[] {
  return selectChangeHeuristics(names).map((h) => {
    const missing = missingContext(h, ctx);
    return { name: h.name, candidates: missing.length > 0 ? [] : h.candidates(tx, ctx), missing };
  });
}

export interface LikelyChange {
  vout: number;
  /** Heuristics that singled this output out (exactly one candidate), in CHANGE_HEURISTICS order. */
  heuristics: string[];
}

/**
 * Outputs that some heuristic names as the unique change, sorted by vout. Heuristics that name
 * different outputs both appear: the disagreement is for the analyst to see, not to hide.
 */
export function likelyChange(tx: Tx, ctx: ChangeContext, names: readonly string[]): LikelyChange[] {
  const byVout = new Map<number, string[]>();
  for (const v of evaluateChange(tx, ctx, names)) {
    if (v.candidates.length !== 1) continue;
    const vout = v.candidates[0]!;
    const list = byVout.get(vout) ?? [];
    list.push(v.name);
    byVout.set(vout, list);
  }
  return [...byVout.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([vout, heuristics]) => ({ vout, heuristics }));
}

/** Parses a comma-separated list such as "address-reuse,optimal-change"; unknown names are an InputError. */
export function parseChangeHeuristicNames(list: string): string[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  selectChangeHeuristics(names);
  return [...new Set(names)];
}
