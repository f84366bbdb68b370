// OptimalChange: change smaller than every input, since a wallet that needed an input larger
// than the change would not have had to add the smallest one.
import type { Tx } from '../../model/tx.js';
import type { ChangeHeuristic } from './heuristic.js';
import { spendableVouts } from './heuristic.js';

export const optimalChange: ChangeHeuristic = {
  name: 'optimal-change',
  needs: [],
  candidates(tx: Tx): number[] {
    let smallest = Number.POSITIVE_INFINITY;
    for (const i of tx.vin) if (i.prevout && i.prevout.value < smallest) smallest = i.prevout.value;
    return spendableVouts(tx).filter((n) => tx.vout[n]!.value < smallest);
  },
};
