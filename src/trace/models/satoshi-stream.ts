// The order-based models that lay the inputs' satoshis end to end and cut the outputs from that
// stream in vout order: fifo reads the stream as laid (fee = the last satoshis), lifo reads it
// reversed (fee = the first satoshis of the first input). One implementation, so the two can
// only differ in the direction of the stream.

import { checkBalance, cleanList, cut, fullList, layOut, stream, sumOf, totalTaint } from '../ranges.js';
import type { BackwardResult, ForwardResult, ModelName, Taint, TaintModel, TxValues } from '../taint.js';

export function satoshiStreamModel(name: ModelName, conventions: string, reversed: boolean): TaintModel {
  return {
    name,
    conventions,

    forward(tx: TxValues, inputs: readonly (Taint | null)[]): ForwardResult {
      const T = totalTaint(tx.inputs, inputs, 'input', true);
      if (T === 0) return { outputs: cleanList(tx.outputs), fee: 0 };
      const V = sumOf(tx.inputs);
      const S = sumOf(tx.outputs);
      checkBalance(V, S);
      if (T === V) return { outputs: fullList(tx.outputs), fee: V - S };
      layOut(stream, tx.inputs, inputs, 'input');
      if (reversed) stream.mirror(V);
      const outputs: Taint[] = [];
      const fee = cut(stream, tx.outputs, outputs);
      return { outputs, fee };
    },

    backward(tx: TxValues, outputs: readonly (Taint | null)[]): BackwardResult {
      const A = totalTaint(tx.outputs, outputs, 'output', true);
      const V = sumOf(tx.inputs);
      if (A === 0 || V === 0) return { inputs: cleanList(tx.inputs) };
      checkBalance(V, sumOf(tx.outputs));
      layOut(stream, tx.outputs, outputs, 'output'); // positions in the stream as the outputs read it
      if (reversed) stream.mirror(V); // back to vin-order positions
      const inputs: Taint[] = [];
      cut(stream, tx.inputs, inputs);
      return { inputs };
    },
  };
}
