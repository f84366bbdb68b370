// Whirlpool Tx0: one wallet splits a coin into premix outputs for a pool. Its outputs are an
// OP_RETURN (the coordinator's encrypted fee payload), the coordinator fee, change, and several
// equal premix outputs at the pool amount plus each mix's miner-fee share. Equal outputs, but one
// owner: it is its own finding, and common-input clustering applies to it.
import type { Tx } from '../../model/tx.js';
import { ruleHeight } from './detector.js';
import type { Assessment } from './finding.js';
import { DEFAULT_WHIRLPOOL_POOLS, WHIRLPOOL_FIRST_HEIGHT, WHIRLPOOL_INPUT_MARGIN } from './whirlpool.js';

/** Outputs besides the OP_RETURN and the premixes: coordinator fee and change (at most 3). */
export const TX0_MAX_OTHER_OUTPUTS = 3;

export interface Tx0Shape {
  pool: number;
  premixValue: number;
  premixCount: number;
  otherOutputs: number;
}

/** The Tx0 shape, or null. Premix value: above the pool by at most the mix input margin (0.0011 BTC). */
export function isWhirlpoolTx0(tx: Tx, pools: readonly number[] = DEFAULT_WHIRLPOOL_POOLS): Tx0Shape | null {
  if (ruleHeight(tx) < WHIRLPOOL_FIRST_HEIGHT || tx.vin.some((i) => i.coinbase)) return null;
  let opReturns = 0;
  const counts = new Map<number, number>();
  for (const o of tx.vout) {
    if (o.scriptType === 'op_return') opReturns++;
    else counts.set(o.value, (counts.get(o.value) ?? 0) + 1);
  }
  if (opReturns !== 1) return null;
  let best: Tx0Shape | null = null;
  for (const [value, count] of counts) {
    const pool = pools.find((p) => value > p && value - p <= WHIRLPOOL_INPUT_MARGIN);
    if (pool === undefined) continue;
    if (
      best === null ||
      count > best.premixCount ||
      (count === best.premixCount && value > best.premixValue)
    ) {
      best = { pool, premixValue: value, premixCount: count, otherOutputs: tx.vout.length - 1 - count };
    }
  }
  if (best === null || best.otherOutputs < 1 || best.otherOutputs > TX0_MAX_OTHER_OUTPUTS) return null;
  return best;
}

export function assessTx0(tx: Tx): Assessment | null {
  const s = isWhirlpoolTx0(tx);
  if (s === null) return null;
  return {
    confidence: 'likely',
    reason:
      `Whirlpool Tx0 shape: one OP_RETURN, ${s.premixCount} premix output(s) of ${s.premixValue} sat ` +
      `(pool ${s.pool} + ${s.premixValue - s.pool} sat miner fee), ${s.otherOutputs} other (coordinator fee, change); one wallet`,
  };
}
