// Esplora's isCoinJoinLike (Blockstream/esplora client/src/lib/privacy-analysis.js), the rule
// blockstream.info shows its users. Informational only: it also fires on ordinary batch
// payouts (an exchange paying three customers the same amount, CJ5), so it is not in the
// default set and never stops a merge unless a caller puts it there on purpose.
import type { Tx } from '../../model/tx.js';
import { hasRepeatedOutputValue, makeDetector, outputValueGroups } from './detector.js';

export function isEsploraCoinJoinLike(tx: Tx): boolean {
  if (tx.vin.length <= 1 || !hasRepeatedOutputValue(tx)) return false;
  const target = Math.min(5, Math.max(2, Math.floor(tx.vout.length / 2)));
  return outputValueGroups(tx).topCount >= target;
}

export const esplora = makeDetector('esplora', (tx) => {
  if (!isEsploraCoinJoinLike(tx)) return null;
  const g = outputValueGroups(tx);
  return {
    confidence: 'possible',
    reason: `${g.topCount} outputs of ${g.topValue} sat (Esplora coinjoin-equal-outputs; batch payouts look the same)`,
  };
});
