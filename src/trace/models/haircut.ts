// Haircut (proportional): every output carries the inputs' taint ratio, t(o) = v(o) * T / V, and the
// fee carries its share F * T / V, so tainted in = tainted out + fee taint. Amounts stay exact
// doubles (v * T / V, one rounding per operation, never rounded per hop); they are rounded to whole
// satoshis only when printed. Backward: input i supplies A * v(i) / V of the outputs' interest A.
// V == 0 (a coinbase) has nothing to attribute backward.

import { checkBalance, sumOf, totalTaint } from '../ranges.js';
import type { BackwardResult, ForwardResult, Taint, TaintModel, TxValues } from '../taint.js';

/** t = v * part / whole for each value, capped at v (a double can land one ulp above). */
function share(values: readonly number[], part: number, whole: number): Taint[] {
  const out: Taint[] = new Array<Taint>(values.length);
  if (part === 0) {
    for (let i = 0; i < values.length; i++) out[i] = { amount: 0, ranges: null };
  } else if (part === whole) {
    for (let i = 0; i < values.length; i++) out[i] = { amount: values[i]!, ranges: null };
  } else {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      const t = (v * part) / whole;
      out[i] = { amount: t < v ? t : v, ranges: null };
    }
  }
  return out;
}

export const haircut: TaintModel = {
  name: 'haircut',
  conventions:
    'proportional; fee takes its share T*F/V (reported as fee taint); exact in memory, rounded to whole satoshis only when printed; backward: in proportion to input value',

  forward(tx: TxValues, inputs: readonly (Taint | null)[]): ForwardResult {
    const T = totalTaint(tx.inputs, inputs, 'input', false);
    if (T === 0) return { outputs: share(tx.outputs, 0, 1), fee: 0 };
    const V = sumOf(tx.inputs);
    const S = sumOf(tx.outputs);
    checkBalance(V, S);
    const F = V - S;
    return { outputs: share(tx.outputs, T, V), fee: T === V ? F : (F * T) / V };
  },

  backward(tx: TxValues, outputs: readonly (Taint | null)[]): BackwardResult {
    const A = totalTaint(tx.outputs, outputs, 'output', false);
    const V = sumOf(tx.inputs);
    if (A === 0 || V === 0) return { inputs: share(tx.inputs, 0, 1) };
    checkBalance(V, sumOf(tx.outputs));
    return { inputs: share(tx.inputs, A, V) };
  },
};
