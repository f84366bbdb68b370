// ClientChangeAddressBehavior (BlockSci): wallets send change to a new address, so an output
// whose address is paid here for the first time cannot be ruled out. Needs isFreshAddress.
import type { Tx } from '../../model/tx.js';
import type { ChangeContext, ChangeHeuristic } from './heuristic.js';
import { spendableVouts } from './heuristic.js';

export const freshAddress: ChangeHeuristic = {
  name: 'fresh-address',
  needs: ['isFreshAddress'],
  candidates(tx: Tx, ctx: ChangeContext): number[] {
    const isFresh = ctx.isFreshAddress;
    if (!isFresh) return [];
    // undefined (not known) keeps the output: it cannot be ruled out.
    return spendableVouts(tx).filter((n) => isFresh(tx.vout[n]!.address!, tx.txid) !== false);
  },
};
