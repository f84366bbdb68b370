// BlockSci's isCoinjoin (citp/BlockSci src/heuristics/tx_identification.cpp), the generic
// equal-output rule: each participant is assumed to add one spend and one change output.
import type { Tx } from '../../model/tx.js';
import {
  distinctInputKeys,
  hasRepeatedOutputValue,
  outputValueGroups,
  type CoinJoinDetector,
} from './detector.js';

/** Output values BlockSci refuses as the mixed amount: dust, so unlikely to be a CoinJoin. */
const DUST_VALUES = new Set([546, 2730]);

export function isEqualOutputCoinJoin(tx: Tx): boolean {
  const inputs = tx.vin.length;
  const outputs = tx.vout.length;
  if (inputs < 2 || outputs < 3) return false;
  const participants = Math.floor((outputs + 1) / 2);
  if (participants > inputs || !hasRepeatedOutputValue(tx)) return false;
  if (participants > distinctInputKeys(tx)) return false;
  const groups = outputValueGroups(tx);
  // The most common value must occur exactly once per participant (not merely at least).
  if (groups.topCount !== participants) return false;
  return !DUST_VALUES.has(groups.topValue);
}

export const equalOutput: CoinJoinDetector = { name: 'equal-output', detect: isEqualOutputCoinJoin };
