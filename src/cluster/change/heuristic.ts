// The shape every change heuristic shares. Each returns the outputs it cannot rule out as the
// change (BlockSci's convention, src/heuristics/change_address.cpp): one candidate is a
// finding, several are "don't know", none is "no change here". Only outputs with an address
// are ever candidates (OP_RETURN and address-less scripts are excluded).
import type { Tx } from '../../model/tx.js';

/**
 * Lookups some heuristics need beyond the transaction itself. Each is optional; a heuristic
 * whose lookup is missing returns [] and `missingContext` names it. A lookup that answers
 * undefined means "not known", and the output concerned is kept as a candidate.
 */
export interface ChangeContext {
  /** True when txid is the first transaction that pays `address` (fresh address). */
  isFreshAddress?: (address: string, txid: string) => boolean | undefined;
  /** The transaction with this txid (parents of a peel step). */
  getTx?: (txid: string) => Tx | undefined;
  /** The transaction that spent txid:vout; null when unspent. */
  spenderOf?: (txid: string, vout: number) => Tx | null | undefined;
}

export type ContextLookup = keyof ChangeContext;

export interface ChangeHeuristic {
  readonly name: string;
  /** Lookups without which the heuristic cannot say anything. */
  readonly needs: readonly ContextLookup[];
  /** Vout indexes, ascending, that the heuristic cannot rule out as change. */
  candidates(tx: Tx, ctx: ChangeContext): number[];
}

/** The lookups h needs that ctx lacks (empty: h can run). */
export function missingContext(h: ChangeHeuristic, ctx: ChangeContext): ContextLookup[] {
  return h.needs.filter((n) => typeof ctx[n] !== 'function');
}

/** Vouts that can be change at all: they have an address. Empty for coinbase. */
export function spendableVouts(tx: Tx): number[] {
  const out: number[] = [];
  if (tx.vin.some((i) => i.coinbase)) return out;
  tx.vout.forEach((o, n) => {
    if (o.address !== null && o.scriptType !== 'op_return') out.push(n);
  });
  return out;
}
