// FIFO (Clayton's Case; Anderson et al., "Bitcoin Redux"): the inputs' satoshis are laid end to end
// in vin order, each input keeping its own tainted ranges; outputs take consecutive satoshis in vout
// order and the fee is the last F satoshis. Taint is tracked as exact integer intervals, so it is
// lossless: backward maps each output's ranges of interest back to input offsets through the same
// layout. An input Taint with ranges null counts as tainted from its first satoshi.

import { checkBalance, cleanList, cut, fullList, layOut, stream, sumOf, totalTaint } from '../ranges.js';
import type { BackwardResult, ForwardResult, Taint, TaintModel, TxValues } from '../taint.js';

export const fifo: TaintModel = {
  name: 'fifo',
  conventions:
    'first in, first out by exact satoshi ranges: inputs end to end in vin order, outputs cut in vout order, the fee is the last F satoshis',

  forward(tx: TxValues, inputs: readonly (Taint | null)[]): ForwardResult {
    const T = totalTaint(tx.inputs, inputs, 'input', true);
    if (T === 0) return { outputs: cleanList(tx.outputs), fee: 0 };
    const V = sumOf(tx.inputs);
    const S = sumOf(tx.outputs);
    checkBalance(V, S);
    if (T === V) return { outputs: fullList(tx.outputs), fee: V - S };
    layOut(stream, tx.inputs, inputs, 'input');
    const outputs: Taint[] = [];
    const fee = cut(stream, tx.outputs, outputs);
    return { outputs, fee };
  },

  backward(tx: TxValues, outputs: readonly (Taint | null)[]): BackwardResult {
    const A = totalTaint(tx.outputs, outputs, 'output', true);
    const V = sumOf(tx.inputs);
    if (A === 0 || V === 0) return { inputs: cleanList(tx.inputs) };
    checkBalance(V, sumOf(tx.outputs));
    layOut(stream, tx.outputs, outputs, 'output');
    const inputs: Taint[] = [];
    cut(stream, tx.inputs, inputs);
    return { inputs };
  },
};
