// A seeded generator of realistic random transaction graphs, for benchmarks and tests of the
// engine. Shape, roughly like the chain: coinbases bring new coins (the first ones, then 1 in
// 100); every other transaction spends 1-3 unspent outputs (mostly recent ones, sometimes any
// older one), pays 1-3 outputs and a small fee. A fifth of the outputs go back to the address
// of the first input (change to a reused address), a few to an address seen before (paying a
// known service), the rest to fresh addresses: enough address reuse for clustering to merge.

import type { TxGraph } from './graph.js';
import { mulberry32 } from '../../support/prng.js';

export interface GenerateOptions {
  txCount: number;
  seed?: number;
}

const SUBSIDY = 312_500_000;
/** Spends come from the newest this-many unspent outputs most of the time. */
const RECENT = 2048;

export function generateGraph(options: GenerateOptions): TxGraph {
  const n = options.txCount;
  if (!Number.isSafeInteger(n) || n < 1 || n > 50_000_000) {
    throw new RangeError(`txCount ${n} is not a whole number in 1..50,000,000`);
  }
  const random = mulberry32(options.seed ?? 1);
  const lead = Math.max(1, Math.min(1000, Math.floor(n / 100)));
  const inStart = new Int32Array(n + 1);
  const outStart = new Int32Array(n + 1);
  let inOutpoint = new Int32Array(3 * n);
  let outValue = new Float64Array(3 * n);
  let outAddress = new Int32Array(3 * n);
  const pool = new Int32Array(3 * n); // unspent output ids
  let poolSize = 0;
  let ins = 0;
  let outs = 0;
  let addresses = 0;
  const parts = [0, 0, 0];

  for (let i = 0; i < n; i++) {
    inStart[i] = ins;
    outStart[i] = outs;
    let value: number;
    let firstAddress = -1;
    if (i < lead || poolSize === 0 || random() < 0.01) {
      value = SUBSIDY; // coinbase: no inputs
    } else {
      const want = pick3(random, 0.6, 0.3);
      value = 0;
      for (let k = 0; k < want && poolSize > 0; k++) {
        const window = poolSize < RECENT ? poolSize : RECENT;
        const at =
          random() < 0.85 ? poolSize - 1 - Math.floor(random() * window) : Math.floor(random() * poolSize);
        const o = pool[at]!;
        pool[at] = pool[--poolSize]!;
        inOutpoint[ins++] = o;
        value += outValue[o]!;
        if (firstAddress < 0) firstAddress = outAddress[o]!;
      }
      const fee = Math.min(Math.floor(value / 100), 200 + Math.floor(random() * 5000));
      value -= fee;
    }
    let m = pick3(random, 0.2, 0.6);
    if (value < m) m = 1;
    split(random, value, m, parts);
    for (let j = 0; j < m; j++) {
      const r = random();
      let a: number;
      if (firstAddress >= 0 && r < 0.2) a = firstAddress;
      else if (addresses > 0 && r < 0.25) a = Math.floor(random() * addresses);
      else a = addresses++;
      outValue[outs] = parts[j]!;
      outAddress[outs] = a;
      pool[poolSize++] = outs;
      outs++;
    }
  }
  inStart[n] = ins;
  outStart[n] = outs;
  // Trim to the sizes used, so the graph holds no slack.
  inOutpoint = inOutpoint.slice(0, ins);
  outValue = outValue.slice(0, outs);
  outAddress = outAddress.slice(0, outs);
  const spender = new Int32Array(outs).fill(-1);
  for (let i = 0; i < n; i++) {
    for (let k = inStart[i]!; k < inStart[i + 1]!; k++) spender[inOutpoint[k]!] = i;
  }
  return {
    txCount: n,
    addressCount: addresses,
    inStart,
    inOutpoint,
    outStart,
    outValue,
    outAddress,
    spender,
  };
}

/** 1, 2 or 3 with probabilities p1, p2 and the rest. */
function pick3(random: () => number, p1: number, p2: number): number {
  const r = random();
  return r < p1 ? 1 : r < p1 + p2 ? 2 : 3;
}

/** Splits `value` (>= m) into m positive whole parts. */
function split(random: () => number, value: number, m: number, out: number[]): void {
  if (m === 1) {
    out[0] = value;
    return;
  }
  let a = 1 + Math.floor(random() * (value - 1));
  if (m === 2) {
    out[0] = a;
    out[1] = value - a;
    return;
  }
  let b = 1 + Math.floor(random() * (value - 1));
  if (a > b) [a, b] = [b, a];
  if (a === b) {
    // Degenerate cut: fall back to near-thirds (value >= 3 here).
    a = Math.floor(value / 3);
    b = 2 * a;
  }
  out[0] = a;
  out[1] = b - a;
  out[2] = value - b;
}
