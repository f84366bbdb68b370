// LIFO, read as "lifo-stream" (DESIGN.md; the TaintedTX implementation): the whole fifo stream is
// reversed, so the last satoshi of the last input comes first and the ranges inside each input are
// reversed too. Outputs take from the reversed stream in vout order and the fee is what is left:
// the first F satoshis of the first input. An output's own offsets run in its stream order (offset 0
// is the first satoshi it took from the reversed stream), so the next hop reverses them again.
// Backward is the inverse mapping: output offsets -> reversed stream -> input offsets.

import { checkBalance, cleanList, cut, fullList, layOut, stream, sumOf, totalTaint } from '../ranges.js';
import type { BackwardResult, ForwardResult, Taint, TaintModel, TxValues } from '../taint.js';

export const lifo: TaintModel = {
  name: 'lifo',
  conventions:
    'lifo-stream: the fifo satoshi stream reversed (ranges inside inputs too), outputs cut in vout order, the fee is the first F satoshis of the first input; exact satoshi ranges',

  forward(tx: TxValues, inputs: readonly (Taint | null)[]): ForwardResult {
    const T = totalTaint(tx.inputs, inputs, 'input', true);
    if (T === 0) return { outputs: cleanList(tx.outputs), fee: 0 };
    const V = sumOf(tx.inputs);
    const S = sumOf(tx.outputs);
    checkBalance(V, S);
    if (T === V) return { outputs: fullList(tx.outputs), fee: V - S };
    layOut(stream, tx.inputs, inputs, 'input');
    stream.mirror(V);
    const outputs: Taint[] = [];
    const fee = cut(stream, tx.outputs, outputs);
    return { outputs, fee };
  },

  backward(tx: TxValues, outputs: readonly (Taint | null)[]): BackwardResult {
    const A = totalTaint(tx.outputs, outputs, 'output', true);
    const V = sumOf(tx.inputs);
    if (A === 0 || V === 0) return { inputs: cleanList(tx.inputs) };
    checkBalance(V, sumOf(tx.outputs));
    layOut(stream, tx.outputs, outputs, 'output'); // positions in the reversed stream
    stream.mirror(V); // back to vin-order positions
    const inputs: Taint[] = [];
    cut(stream, tx.inputs, inputs);
    return { inputs };
  },
};
