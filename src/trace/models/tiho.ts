// TIHO, taint in, highest out (Tironsakkul et al.; DESIGN.md): taint is fungible inside the
// transaction. min(T, S) goes to the highest-value output first, the remainder to the next highest,
// and so on (ties: lower vout first); the fee is paid from clean satoshis first, so it carries
// max(0, T - S). An output's taint is its first satoshis: ranges [0, t).
// Backward (our decision; the literature defines TIHO forward only): the outputs' total interest
// A = sum of a(o) is drawn from the highest-value inputs first (ties: lower vin first), as ranges
// [0, x) in each input. This mirrors the forward rule (the biggest coins are assumed to carry the
// money) and, like the forward rule, keeps the attribution in as few coins as possible.

import { checkBalance, cleanList, sumOf, totalTaint } from '../ranges.js';
import type { BackwardResult, ForwardResult, Taint, TaintModel, TxValues } from '../taint.js';

/** Indices of `values` by value, highest first, ties to the lower index. */
function byValueDesc(values: readonly number[]): number[] {
  const n = values.length;
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (n > 32) return order.sort((a, b) => values[b]! - values[a]! || a - b);
  for (let i = 1; i < n; i++) {
    const x = order[i]!;
    const vx = values[x]!;
    let j = i - 1;
    while (j >= 0 && values[order[j]!]! < vx) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = x;
  }
  return order;
}

/** Places `amount` (at most sum(values)) into the highest values first. */
function fillHighestFirst(values: readonly number[], amount: number): Taint[] {
  const out = cleanList(values);
  const n = values.length;
  if (amount <= 0 || n === 0) return out;
  let best = 0;
  for (let i = 1; i < n; i++) if (values[i]! > values[best]!) best = i;
  if (amount <= values[best]!) {
    out[best] = { amount, ranges: [0, amount] };
    return out;
  }
  const order = byValueDesc(values);
  let rest = amount;
  for (let k = 0; k < n && rest > 0; k++) {
    const i = order[k]!;
    const v = values[i]!;
    const x = rest < v ? rest : v;
    if (x > 0) out[i] = { amount: x, ranges: [0, x] };
    rest -= x;
  }
  return out;
}

export const tiho: TaintModel = {
  name: 'tiho',
  conventions:
    'taint in, highest out: min(T, S) fills outputs highest value first, ties to the lower vout; the fee is paid from clean satoshis first; backward: interest drawn from the highest-value inputs first, ties to the lower vin',

  forward(tx: TxValues, inputs: readonly (Taint | null)[]): ForwardResult {
    const T = totalTaint(tx.inputs, inputs, 'input', true);
    if (T === 0) return { outputs: cleanList(tx.outputs), fee: 0 };
    const S = sumOf(tx.outputs);
    checkBalance(sumOf(tx.inputs), S);
    const give = T < S ? T : S;
    return { outputs: fillHighestFirst(tx.outputs, give), fee: T - give };
  },

  backward(tx: TxValues, outputs: readonly (Taint | null)[]): BackwardResult {
    const A = totalTaint(tx.outputs, outputs, 'output', true);
    const V = sumOf(tx.inputs);
    if (A === 0 || V === 0) return { inputs: cleanList(tx.inputs) };
    checkBalance(V, sumOf(tx.outputs));
    return { inputs: fillHighestFirst(tx.inputs, A) };
  },
};
