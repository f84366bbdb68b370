// Peel chains (BlockSci src/heuristics/tx_identification.cpp): a wallet pays out a little at a
// time, each step spending the previous step's change: 1 input, 2 outputs, again and again.
import type { Tx } from '../../model/tx.js';
import type { ChangeContext, ChangeHeuristic } from './heuristic.js';
import { spendableVouts } from './heuristic.js';

/** The shape of one peel step: exactly 1 input and 2 outputs. */
export function looksLikePeelStep(tx: Tx): boolean {
  return tx.vin.length === 1 && tx.vout.length === 2 && !tx.vin[0]!.coinbase;
}

/**
 * BlockSci isPeelingChain: tx has the peel shape and so has its parent (the transaction that
 * created its input) or one of its spenders. Lookups that are missing or answer "unknown"
 * simply cannot confirm the chain.
 */
export function isPeelingChain(tx: Tx, ctx: ChangeContext): boolean {
  if (!looksLikePeelStep(tx)) return false;
  const parent = ctx.getTx?.(tx.vin[0]!.txid);
  if (parent && looksLikePeelStep(parent)) return true;
  if (!ctx.spenderOf) return false;
  for (let n = 0; n < tx.vout.length; n++) {
    const s = ctx.spenderOf(tx.txid, n);
    if (s && looksLikePeelStep(s)) return true;
  }
  return false;
}

/**
 * PeelingChain heuristic: in a peel step, the change is the output that continues the chain,
 * i.e. is spent by another peel step; unspent (or unknown) outputs cannot be ruled out, so the
 * answer is unique only once the peeled-off payment has been spent elsewhere.
 */
export const peelChain: ChangeHeuristic = {
  name: 'peel-chain',
  needs: ['spenderOf'],
  candidates(tx: Tx, ctx: ChangeContext): number[] {
    const spenderOf = ctx.spenderOf;
    if (!spenderOf || !isPeelingChain(tx, ctx)) return [];
    return spendableVouts(tx).filter((n) => {
      const s = spenderOf(tx.txid, n);
      // A peel-shaped spender has tx (itself a peel step) as its parent, so it is a peeling chain.
      return s == null || looksLikePeelStep(s);
    });
  },
};

export interface PeelChainWalk {
  /** Txids of the steps, starting with the first transaction given. */
  steps: string[];
  /** Vout of each step that the next step spends (one fewer than steps, or equal when cut by maxSteps). */
  continuedAt: number[];
  /** Why the walk ended. */
  end: 'not-a-peel-step' | 'unspent-or-unknown' | 'shape-broken' | 'ambiguous' | 'max-steps';
}

/**
 * Follows a peel chain forward from tx: at each step, the single output whose spender also has
 * the peel shape continues the chain. Stops when the shape breaks, both outputs continue
 * (ambiguous), nothing is spent (or known), or after maxSteps steps.
 */
export function followPeelChain(tx: Tx, ctx: ChangeContext, maxSteps = 1000): PeelChainWalk {
  const steps: string[] = [];
  const continuedAt: number[] = [];
  if (!looksLikePeelStep(tx)) return { steps, continuedAt, end: 'not-a-peel-step' };
  let current = tx;
  for (;;) {
    steps.push(current.txid);
    if (steps.length >= maxSteps) return { steps, continuedAt, end: 'max-steps' };
    const spenders: { vout: number; tx: Tx }[] = [];
    for (let n = 0; n < current.vout.length; n++) {
      const s = ctx.spenderOf?.(current.txid, n);
      if (s) spenders.push({ vout: n, tx: s });
    }
    if (spenders.length === 0) return { steps, continuedAt, end: 'unspent-or-unknown' };
    const next = spenders.filter((s) => looksLikePeelStep(s.tx));
    if (next.length === 0) return { steps, continuedAt, end: 'shape-broken' };
    if (next.length > 1) return { steps, continuedAt, end: 'ambiguous' };
    continuedAt.push(next[0]!.vout);
    current = next[0]!.tx;
  }
}
