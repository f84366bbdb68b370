// PowerOfTen (BlockSci): people pay round amounts, coin selection leaves unround change. An
// output that is not a multiple of 10^digits sat cannot be ruled out as change; the default
// 6 digits means "not a multiple of 0.01 BTC".
import type { Tx } from '../../model/tx.js';
import type { ChangeHeuristic } from './heuristic.js';
import { spendableVouts } from './heuristic.js';

export const ROUND_NUMBER_DIGITS = 6;

export function createRoundNumber(digits = ROUND_NUMBER_DIGITS): ChangeHeuristic {
  if (!Number.isInteger(digits) || digits < 1 || digits > 15) {
    throw new RangeError(`round-number digits ${digits} is not an integer in 1..15`);
  }
  const unit = 10 ** digits;
  return {
    name: 'round-number',
    needs: [],
    candidates(tx: Tx): number[] {
      return spendableVouts(tx).filter((n) => tx.vout[n]!.value % unit !== 0);
    },
  };
}

export const roundNumber: ChangeHeuristic = createRoundNumber();
