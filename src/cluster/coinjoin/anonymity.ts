// Equal outputs that carry no anonymity, or little. The generic equal-output rules (BlockSci,
// Dumplings "other") count equal values; these checks say when those values hide nobody:
// dust-sized protocol outputs, outputs paid back to an input address, one-wallet Tx0s.
import type { Tx } from '../../model/tx.js';
import { distinctInputKeys } from './detector.js';
import type { Assessment } from './finding.js';
import { isWhirlpoolTx0 } from './tx0.js';

/** Bitcoin Core's dust threshold for P2PKH outputs: equal outputs this small mix nothing. */
export const DUST_LIMIT = 546;

/**
 * The smallest amount any coordinator mixes: Wasabi 2's smallest standard denomination (Whirlpool's
 * smallest pool is 100,000 sat). Smaller equal outputs are ordinals postage and marketplace
 * dummy outputs far more often than a mix.
 */
export const MIN_MIX_VALUE = 5_000;

/** OP_RETURN OP_13: a Runes protocol message (runestone). */
export const RUNES_PREFIX = '6a5d';

export type Weakness = { verdict: 'none'; reason: string } | { verdict: 'possible'; reason: string } | null;

/**
 * Why k outputs of `value` sat are no CoinJoin ("none"), or only a weak one ("possible");
 * null when nothing weakens them. The checks, in order:
 * none: one input address; a Tx0 shape; dust-sized value; a Runes OP_RETURN; fewer than two of
 * the equal outputs paying addresses that are not inputs.
 * possible: a value below MIN_MIX_VALUE; an OP_RETURN output; exactly two anonymous equal outputs (a one-wallet Stonewall
 * looks the same); more than a third of the outputs paying input addresses; more than four
 * inputs per output (a consolidation with a split).
 */
export function equalOutputWeakness(tx: Tx, value: number, count: number): Weakness {
  if (distinctInputKeys(tx) <= 1) return { verdict: 'none', reason: 'every input spends from one address' };
  if (isWhirlpoolTx0(tx) !== null) return { verdict: 'none', reason: 'a Whirlpool Tx0 (one wallet)' };
  if (value <= DUST_LIMIT) {
    return {
      verdict: 'none',
      reason: `the ${count} equal outputs are dust-sized (${value} sat <= ${DUST_LIMIT})`,
    };
  }
  const opReturns = tx.vout.filter((o) => o.scriptType === 'op_return');
  if (opReturns.some((o) => o.script.startsWith(RUNES_PREFIX))) {
    return { verdict: 'none', reason: 'an OP_RETURN 6a5d... (Runes protocol) transfer' };
  }
  const inputScripts = new Set<string>();
  for (const i of tx.vin) if (i.prevout) inputScripts.add(i.prevout.script);
  let reusedEqual = 0;
  let reused = 0;
  for (const o of tx.vout) {
    if (!inputScripts.has(o.script)) continue;
    reused++;
    if (o.value === value) reusedEqual++;
  }
  const anonymous = count - reusedEqual;
  if (anonymous < 2) {
    return {
      verdict: 'none',
      reason: `${reusedEqual} of the ${count} equal outputs pay input addresses, leaving ${anonymous} to hide among`,
    };
  }
  if (value < MIN_MIX_VALUE) {
    return {
      verdict: 'possible',
      reason: `equal outputs of ${value} sat are below the smallest mixed amount (${MIN_MIX_VALUE} sat)`,
    };
  }
  if (opReturns.length > 0)
    return { verdict: 'possible', reason: 'has an OP_RETURN output, which no mixing coordinator writes' };
  if (anonymous === 2) {
    return {
      verdict: 'possible',
      reason: 'only two anonymous equal outputs: a one-wallet Stonewall has the same shape',
    };
  }
  if (reused * 3 > tx.vout.length) {
    return {
      verdict: 'possible',
      reason: `${reused} of ${tx.vout.length} outputs pay input addresses (over a third)`,
    };
  }
  if (tx.vin.length > 4 * tx.vout.length) {
    return {
      verdict: 'possible',
      reason: `${tx.vin.length} inputs for ${tx.vout.length} outputs (over 4 per output)`,
    };
  }
  return null;
}

/** The assessment of a generic equal-output rule that matched, given its own reason. */
export function weighEqualOutputs(tx: Tx, value: number, count: number, reason: string): Assessment | null {
  const w = equalOutputWeakness(tx, value, count);
  if (w === null) return { confidence: 'likely', reason };
  if (w.verdict === 'none') return null;
  return { confidence: 'possible', reason: `${reason}; but ${w.reason}` };
}
