// BlockSci's isCoinjoin (citp/BlockSci src/heuristics/tx_identification.cpp), the generic
// equal-output rule: each participant is assumed to add one spend and one change output.
// Weighed by anonymity.ts: dust, Runes, reused addresses and Tx0s are no CoinJoin; two equal
// outputs, an OP_RETURN or heavy reuse only a possible one.
import type { Tx } from '../../model/tx.js';
import { weighEqualOutputs } from './anonymity.js';
import { distinctInputKeys, hasRepeatedOutputValue, makeDetector, outputValueGroups } from './detector.js';
import type { Assessment } from './finding.js';

/** Output values BlockSci refuses as the mixed amount: dust, so unlikely to be a CoinJoin. */
const DUST_VALUES = new Set([546, 2730]);

/** BlockSci's rule alone (no anonymity weighing). */
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

export function assessEqualOutput(tx: Tx): Assessment | null {
  if (!isEqualOutputCoinJoin(tx)) return null;
  const g = outputValueGroups(tx);
  const reason =
    `${g.topCount} outputs of ${g.topValue} sat, one per participant of ${tx.vout.length} outputs, ` +
    `from ${distinctInputKeys(tx)} input addresses (BlockSci equal-output rule)`;
  return weighEqualOutputs(tx, g.topValue, g.topCount, reason);
}

export const equalOutput = makeDetector('equal-output', assessEqualOutput);
