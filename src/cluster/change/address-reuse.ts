// AddressReuse: an output paying one of the input addresses is likely self-change.
import type { Tx } from '../../model/tx.js';
import type { ChangeHeuristic } from './heuristic.js';
import { spendableVouts } from './heuristic.js';

export const addressReuse: ChangeHeuristic = {
  name: 'address-reuse',
  needs: [],
  candidates(tx: Tx): number[] {
    const inputs = new Set<string>();
    for (const i of tx.vin) if (i.prevout?.address) inputs.add(i.prevout.address);
    return spendableVouts(tx).filter((n) => inputs.has(tx.vout[n]!.address!));
  },
};
