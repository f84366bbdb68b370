// Poison (Möser, Böhme, Breuker 2014): binary taint. If any input carries taint, every output is
// tainted in full and so is the fee. Totals overstate: the sum is "value reached", not an amount
// that was stolen, and reports must say so. Backward, every input of a transaction with any
// interest counts in full (amount = its value).

import { checkBalance, sumOf, totalTaint } from '../ranges.js';
import type { BackwardResult, ForwardResult, Taint, TaintModel, TxValues } from '../taint.js';

function full(values: readonly number[], any: boolean): Taint[] {
  const out: Taint[] = new Array<Taint>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = { amount: any ? values[i]! : 0, ranges: null };
  return out;
}

export const poison: TaintModel = {
  name: 'poison',
  conventions:
    'binary: any tainted input taints every output and the whole fee in full; sums are value reached, not amounts; backward: every input counts in full',

  forward(tx: TxValues, inputs: readonly (Taint | null)[]): ForwardResult {
    const T = totalTaint(tx.inputs, inputs, 'input', false);
    if (T === 0) return { outputs: full(tx.outputs, false), fee: 0 };
    const V = sumOf(tx.inputs);
    const S = sumOf(tx.outputs);
    checkBalance(V, S);
    return { outputs: full(tx.outputs, true), fee: V - S };
  },

  backward(tx: TxValues, outputs: readonly (Taint | null)[]): BackwardResult {
    const A = totalTaint(tx.outputs, outputs, 'output', false);
    if (A === 0) return { inputs: full(tx.inputs, false) };
    const V = sumOf(tx.inputs);
    if (V > 0) checkBalance(V, sumOf(tx.outputs)); // V == 0: a coinbase, nothing to point at
    return { inputs: full(tx.inputs, true) };
  },
};
