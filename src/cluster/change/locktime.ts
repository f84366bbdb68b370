// Locktime (BlockSci): wallets that set nLockTime against fee sniping do so on every
// transaction, so the change is spent by a transaction with the same habit (locktime > 0 or
// not). Unspent outputs, and outputs whose spender is not known, cannot be ruled out.
import type { Tx } from '../../model/tx.js';
import type { ChangeContext, ChangeHeuristic } from './heuristic.js';
import { spendableVouts } from './heuristic.js';

export const locktime: ChangeHeuristic = {
  name: 'locktime',
  needs: ['spenderOf'],
  candidates(tx: Tx, ctx: ChangeContext): number[] {
    const spenderOf = ctx.spenderOf;
    if (!spenderOf) return [];
    const sets = tx.locktime > 0;
    return spendableVouts(tx).filter((n) => {
      const spender = spenderOf(tx.txid, n);
      return spender == null || spender.locktime > 0 === sets;
    });
  },
};
