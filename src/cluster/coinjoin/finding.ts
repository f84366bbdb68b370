// What a CoinJoin detector reports: a named finding with a confidence and the reason in words,
// so every veto in a case file can be read back to the rule that made it.
import { InputError } from '../../model/errors.js';

/**
 * definite: a coordinator's exact fingerprint (pool amounts, coordinator fee address).
 * likely: the shape of a multi-party round that one wallet has no reason to build.
 * possible: equal outputs with little anonymity (two of them, an OP_RETURN, heavy address
 * reuse): shown, but by default not enough to stop common-input clustering.
 */
export type Confidence = 'definite' | 'likely' | 'possible';
export const CONFIDENCES: readonly Confidence[] = ['definite', 'likely', 'possible'];

/**
 * coinjoin: a multi-party transaction (vetoes clustering at or above the threshold).
 * tx0: a Whirlpool Tx0, one wallet funding premix outputs (never a veto: its inputs share an owner).
 * post-mix: spends an output of a CoinJoin (informational; needs the parent transactions).
 */
export type FindingKind = 'coinjoin' | 'tx0' | 'post-mix';

export interface CoinJoinFinding {
  /** "whirlpool", "tx0:whirlpool", "post-mix:whirlpool" ... */
  name: string;
  kind: FindingKind;
  confidence: Confidence;
  reason: string;
}

/** What one detector says about one transaction (its name and kind are the detector's). */
export interface Assessment {
  confidence: Confidence;
  reason: string;
}

/** True when c is at least as strong as threshold (definite > likely > possible). */
export function atLeast(c: Confidence, threshold: Confidence): boolean {
  return CONFIDENCES.indexOf(c) <= CONFIDENCES.indexOf(threshold);
}

export const DEFAULT_VETO: Confidence = 'likely';

/** The --coinjoin-veto value. */
export function parseVetoThreshold(value: string): Confidence {
  const v = value.trim().toLowerCase();
  if (!(CONFIDENCES as readonly string[]).includes(v)) {
    throw new InputError(`--coinjoin-veto: "${value}" is not one of ${CONFIDENCES.join(', ')}`);
  }
  return v as Confidence;
}

/** "whirlpool (definite)": how a finding is shown in flags and tables. */
export function findingLabel(f: CoinJoinFinding): string {
  return `${f.name} (${f.confidence})`;
}
