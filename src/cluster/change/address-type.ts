// AddressType: when every input has one script type, the change likely has it too; when the
// inputs mix types, nothing can be said.
import type { Tx } from '../../model/tx.js';
import type { ChangeHeuristic } from './heuristic.js';
import { spendableVouts } from './heuristic.js';

export const addressType: ChangeHeuristic = {
  name: 'address-type',
  needs: [],
  candidates(tx: Tx): number[] {
    const types = new Set<string>();
    for (const i of tx.vin) if (i.prevout) types.add(i.prevout.scriptType);
    if (types.size !== 1) return [];
    const [type] = types;
    return spendableVouts(tx).filter((n) => tx.vout[n]!.scriptType === type);
  },
};
