// Post-mix spends: a transaction that spends an output of a CoinJoin. Informational (the
// spender is usually one wallet moving its mixed coins on), and only knowable with the parent
// transactions at hand, so this is a pure function of the transaction and whatever parents the
// caller has; a parent it lacks is simply not judged.
import type { Tx } from '../../model/tx.js';
import type { CoinJoinDetector } from './detector.js';
import { atLeast, DEFAULT_VETO, type CoinJoinFinding, type Confidence } from './finding.js';

/**
 * One `post-mix:<detector>` finding per detector whose CoinJoin finding (at or above threshold)
 * on a parent of tx is spent here, with that parent's confidence. `assess` is assessCoinJoin
 * (passed in to keep this module free of the detector list).
 */
export function postMixFindings(
  tx: Tx,
  parents: ReadonlyMap<string, Tx>,
  assess: (parent: Tx, detectors?: readonly CoinJoinDetector[]) => CoinJoinFinding[],
  threshold: Confidence = DEFAULT_VETO,
): CoinJoinFinding[] {
  const byName = new Map<string, { confidence: Confidence; parents: Set<string>; inputs: number }>();
  const seen = new Map<string, CoinJoinFinding[]>();
  for (const input of tx.vin) {
    if (input.coinbase) continue;
    const parent = parents.get(input.txid);
    if (!parent) continue;
    let found = seen.get(parent.txid);
    if (found === undefined) {
      found = assess(parent).filter((f) => f.kind === 'coinjoin' && atLeast(f.confidence, threshold));
      seen.set(parent.txid, found);
    }
    for (const f of found) {
      const e = byName.get(f.name) ?? { confidence: f.confidence, parents: new Set<string>(), inputs: 0 };
      if (atLeast(f.confidence, e.confidence)) e.confidence = f.confidence;
      e.parents.add(parent.txid);
      e.inputs++;
      byName.set(f.name, e);
    }
  }
  return [...byName.entries()].map(([name, e]) => ({
    name: `post-mix:${name}`,
    kind: 'post-mix' as const,
    confidence: e.confidence,
    reason: `${e.inputs} input(s) spend outputs of ${e.parents.size} ${name} CoinJoin(s) (${[...e.parents].sort().join(', ')})`,
  }));
}
