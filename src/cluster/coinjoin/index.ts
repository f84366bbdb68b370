// CoinJoin detection: several named rules, because no single rule covers every coordinator.
// A transaction with a CoinJoin finding at or above the veto threshold (default likely) never
// merges clusters, and carries the detectors' names and confidence wherever it is shown.
//
// Where the rules disagree (test vectors from reference/taint-clustering.md section 2.3; all
// amounts sat; "esplora" is informational and not in DETECTORS):
//
// | vector                         | equal-output | whirlpool | wasabi1 | wasabi2 | joinmarket | esplora |
// |--------------------------------|--------------|-----------|---------|---------|------------|---------|
// | CJ1 BlockSci 3->6 test coinjoin| yes          | no        | no      | no      | no (a)     | yes     |
// | CJ2 Whirlpool 0.01 BTC 5->5    | no (b)       | yes       | no      | no      | no         | yes     |
// | CJ3 Wasabi 1 12->20            | yes          | no        | yes     | no      | no (c)     | yes     |
// | CJ4 JoinMarket 5->6            | yes          | no        | no      | no      | yes        | yes     |
// | CJ5 exchange batch 2->4        | no           | no        | no      | no      | no         | YES (d) |
// | CJ6 Wasabi 2 15->20            | no (e)       | no        | no      | yes (f) | no         | no      |
//
// (a) its largest input (300,000,000) exceeds one equal output plus the largest change
//     (299,990,000), so the Dumplings shortcut refuses a participant that large.
// (b) BlockSci wants the equal value exactly ceil(outputs/2) times; Whirlpool has no change.
// (c) its largest input also pays the coordinator and the miner, so it exceeds one equal output
//     plus the largest change by more than 0.0001 BTC; besides, Dumplings tries "other" only
//     when no coordinator rule fired.
// (d) Esplora's false positive: three equal payouts and two inputs look like a mix.
// (e) multi-denomination rounds have no single value repeated once per participant.
// (f) with crocs-muni's 15-input minimum; nopara73's 50 misses this 15-input round.
// Not implemented: jm_unmixer's JoinMarket candidate rule and DESIGN.md's generic rule (>= 2
// equal outputs and as many input addresses), which flags every vector but CJ5.
//
// Every finding carries a confidence (finding.ts) and its reason; common-input clustering is
// vetoed by CoinJoin findings at or above a threshold (default likely). A Whirlpool Tx0 is its
// own finding and never a veto; post-mix findings need the parent transactions (post-mix.ts).
import { InputError } from '../../model/errors.js';
import type { Tx } from '../../model/tx.js';
import { distinctInputKeys, hasRepeatedOutputValue, type CoinJoinDetector } from './detector.js';
import { atLeast, DEFAULT_VETO, type CoinJoinFinding, type Confidence } from './finding.js';
import { assessTx0 } from './tx0.js';
import { equalOutput } from './equal-output.js';
import { esplora } from './esplora.js';
import { joinmarket } from './joinmarket.js';
import { wasabi1 } from './wasabi1.js';
import { wasabi2 } from './wasabi2.js';
import { whirlpool } from './whirlpool.js';

export type { CoinJoinDetector } from './detector.js';
export {
  atLeast,
  CONFIDENCES,
  DEFAULT_VETO,
  findingLabel,
  parseVetoThreshold,
  type CoinJoinFinding,
  type Confidence,
} from './finding.js';
export { assessTx0, isWhirlpoolTx0 } from './tx0.js';
export { postMixFindings } from './post-mix.js';
export { equalOutput, isEqualOutputCoinJoin } from './equal-output.js';
export { esplora, isEsploraCoinJoinLike } from './esplora.js';
export { createJoinMarketDetector, joinmarket } from './joinmarket.js';
export { createWasabi1Detector, wasabi1 } from './wasabi1.js';
export { createWasabi2Detector, wasabi2, WASABI2_DENOMINATIONS } from './wasabi2.js';
export { createWhirlpoolDetector, DEFAULT_WHIRLPOOL_POOLS, whirlpool } from './whirlpool.js';

/** The default set, in the fixed order names are reported in. */
export const DETECTORS: readonly CoinJoinDetector[] = [equalOutput, whirlpool, wasabi1, wasabi2, joinmarket];

/** Detectors that may be shown but are not in the default set (they flag non-CoinJoins). */
export const INFORMATIONAL_DETECTORS: readonly CoinJoinDetector[] = [esplora];

/**
 * Every finding on tx at any confidence: the CoinJoin detectors that fire (in the order of
 * `detectors`), then tx0:whirlpool. Coinbase never fires; a transaction whose inputs all spend
 * from one address is never a CoinJoin (one key signed every input).
 */
export function assessCoinJoin(
  tx: Tx,
  detectors: readonly CoinJoinDetector[] = DETECTORS,
): CoinJoinFinding[] {
  const out: CoinJoinFinding[] = [];
  if (tx.vin.some((i) => i.coinbase)) return out;
  // every detector needs a repeated output value: test that (cheap) before counting input owners
  if (hasRepeatedOutputValue(tx) && distinctInputKeys(tx) > 1) {
    for (const d of detectors) {
      const a = d.assess(tx);
      if (a !== null) out.push({ name: d.name, kind: 'coinjoin', ...a });
    }
  }
  const tx0 = assessTx0(tx);
  if (tx0 !== null) out.push({ name: 'tx0:whirlpool', kind: 'tx0', ...tx0 });
  return out;
}

/** The findings that stop common-input clustering: CoinJoins at or above threshold. */
export function vetoFindings(
  findings: readonly CoinJoinFinding[],
  threshold: Confidence = DEFAULT_VETO,
): CoinJoinFinding[] {
  return findings.filter((f) => f.kind === 'coinjoin' && atLeast(f.confidence, threshold));
}

/** Names of the detectors whose CoinJoin finding on tx is at or above threshold (the veto). */
export function detectCoinJoin(
  tx: Tx,
  detectors: readonly CoinJoinDetector[] = DETECTORS,
  threshold: Confidence = DEFAULT_VETO,
): string[] {
  return vetoFindings(assessCoinJoin(tx, detectors), threshold).map((f) => f.name);
}

/** Detectors by name (e.g. from a command-line list), in DETECTORS order then informational ones. */
export function selectDetectors(names: readonly string[]): CoinJoinDetector[] {
  const all = [...DETECTORS, ...INFORMATIONAL_DETECTORS];
  const known = new Set(all.map((d) => d.name));
  for (const n of names) {
    if (!known.has(n)) {
      throw new InputError(`unknown CoinJoin detector "${n}"; known: ${[...known].join(', ')}`);
    }
  }
  const wanted = new Set(names);
  return all.filter((d) => wanted.has(d.name));
}
