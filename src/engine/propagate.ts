// Forward taint propagation over a whole TxGraph, in creation order (a topological order, so a
// transaction is computed once, with all of its inputs final). Each transaction with a tainted
// input goes through the real model function (src/trace/models), so the engine gives exactly
// the numbers the explorer walk gives; clean transactions are skipped without a call.
//
// Per output the engine keeps the tainted amount in a Float64Array and, for the order-based
// models (fifo, lifo, tiho), its satoshi ranges in one growing Float64Array pool addressed by
// per-output offsets. The arrays handed to the model (values, input taints) are reused across
// transactions; only what the model returns is allocated, and it dies young.

import { MODELS } from '../trace/models/index.js';
import type { ModelName, Taint } from '../trace/taint.js';
import { outCount, type TxGraph } from './graph.js';

export interface TaintState {
  model: ModelName;
  /** Tainted satoshis per output (a fraction only under haircut). */
  amount: Float64Array;
  /** Taint that went to the fee, per transaction. */
  fee: Float64Array;
  /** Order-based models: output o's ranges are pool[rangeStart[o] .. rangeStart[o] + rangeLength[o]). */
  rangeStart: Int32Array | null;
  rangeLength: Int32Array | null;
  pool: Float64Array | null;
  /** Numbers used in pool. */
  poolSize: number;
  /** Transactions that had a tainted input (model calls). */
  taintedTxs: number;
}

const ORDERED: ReadonlySet<ModelName> = new Set<ModelName>(['fifo', 'lifo', 'tiho']);

export function usesRanges(model: ModelName): boolean {
  return ORDERED.has(model);
}

/** A fresh state with the seed outputs fully tainted (a seed keeps its full taint: DESIGN.md). */
export function seedState(g: TxGraph, model: ModelName, seeds: ArrayLike<number>): TaintState {
  const outs = outCount(g);
  const ranged = usesRanges(model);
  const state: TaintState = {
    model,
    amount: new Float64Array(outs),
    fee: new Float64Array(g.txCount),
    rangeStart: ranged ? new Int32Array(outs) : null,
    rangeLength: ranged ? new Int32Array(outs) : null,
    pool: ranged ? new Float64Array(1 << 16) : null,
    poolSize: 0,
    taintedTxs: 0,
  };
  for (let k = 0; k < seeds.length; k++) {
    const o = seeds[k]!;
    if (!(o >= 0 && o < outs)) throw new RangeError(`seed output ${o} is not in the graph (0..${outs - 1})`);
    const v = g.outValue[o]!;
    state.amount[o] = v;
    if (ranged && v > 0) storeRanges(state, o, [0, v]);
  }
  return state;
}

function storeRanges(s: TaintState, o: number, ranges: readonly number[]): void {
  const n = ranges.length;
  if (s.poolSize + n > s.pool!.length) {
    let cap = s.pool!.length * 2;
    while (cap < s.poolSize + n) cap *= 2;
    const bigger = new Float64Array(cap);
    bigger.set(s.pool!.subarray(0, s.poolSize));
    s.pool = bigger;
  }
  s.rangeStart![o] = s.poolSize;
  s.rangeLength![o] = n;
  for (let k = 0; k < n; k++) s.pool![s.poolSize + k] = ranges[k]!;
  s.poolSize += n;
}

/** Bytes held by a state's arrays (the pool at its allocated size). */
export function stateBytes(s: TaintState): number {
  return (
    s.amount.byteLength +
    s.fee.byteLength +
    (s.rangeStart?.byteLength ?? 0) +
    (s.rangeLength?.byteLength ?? 0) +
    (s.pool?.byteLength ?? 0)
  );
}

/** Output o's ranges as a plain array (order-based models), or null. */
export function rangesOf(s: TaintState, o: number): number[] | null {
  if (!s.rangeStart) return null;
  const a = s.rangeStart[o]!;
  return Array.from(s.pool!.subarray(a, a + s.rangeLength![o]!));
}

export interface PropagateOptions {
  /**
   * haircut and poison only: compute on the typed arrays directly instead of calling the model
   * function (same arithmetic, same order of operations, so the same doubles; tested equal).
   * It skips the model's input checks, which the graph's own invariants (checkGraph) cover.
   */
  fast?: boolean;
}

/**
 * Propagates taint from `seeds` (output ids) through every transaction of the graph with the
 * named model's forward function. Returns the per-output and per-fee taint.
 */
export function propagate(
  g: TxGraph,
  model: ModelName,
  seeds: ArrayLike<number>,
  options: PropagateOptions = {},
): TaintState {
  if (options.fast && (model === 'haircut' || model === 'poison')) return propagateFast(g, model, seeds);
  const s = seedState(g, model, seeds);
  const isSeed = new Uint8Array(outCount(g));
  for (let k = 0; k < seeds.length; k++) isSeed[seeds[k]!] = 1;
  const taintModel = MODELS[model];
  const ranged = usesRanges(model);
  const { inStart, inOutpoint, outStart, outValue } = g;
  const amount = s.amount;
  // Reused across transactions: what the model reads.
  const inputs: number[] = [];
  const outputs: number[] = [];
  const taints: (Taint | null)[] = [];
  const slots: Taint[] = [];
  const tx = { inputs, outputs };

  for (let i = 0; i < g.txCount; i++) {
    const a = inStart[i]!;
    const b = inStart[i + 1]!;
    let tainted = false;
    for (let k = a; k < b; k++) {
      if (amount[inOutpoint[k]!]! > 0) {
        tainted = true;
        break;
      }
    }
    if (!tainted) continue;
    s.taintedTxs++;
    const n = b - a;
    inputs.length = n;
    taints.length = n;
    for (let k = 0; k < n; k++) {
      const o = inOutpoint[a + k]!;
      inputs[k] = outValue[o]!;
      const t = amount[o]!;
      if (t > 0) {
        let slot = slots[k];
        if (!slot) slots[k] = slot = { amount: 0, ranges: null };
        slot.amount = t;
        if (ranged) {
          // Reused too: the result is copied into the pool before the next call overwrites it.
          const r = (slot.ranges ??= []);
          const start = s.rangeStart![o]!;
          const len = s.rangeLength![o]!;
          r.length = len;
          for (let q = 0; q < len; q++) r[q] = s.pool![start + q]!;
        }
        taints[k] = slot;
      } else taints[k] = null;
    }
    const oa = outStart[i]!;
    const nOut = outStart[i + 1]! - oa;
    outputs.length = nOut;
    for (let j = 0; j < nOut; j++) outputs[j] = outValue[oa + j]!;
    const res = taintModel.forward(tx, taints);
    s.fee[i] = res.fee;
    for (let j = 0; j < nOut; j++) {
      const o = oa + j;
      if (isSeed[o]) continue;
      const t = res.outputs[j]!;
      amount[o] = t.amount;
      if (ranged && t.amount > 0) storeRanges(s, o, t.ranges ?? [0, t.amount]);
    }
  }
  return s;
}

/**
 * haircut and poison over the typed arrays, without a call or an allocation per transaction.
 * Mirrors src/trace/models/haircut.ts and poison.ts operation for operation: T is summed in vin
 * order over the tainted inputs, V and S in order, t = v * T / V capped at v, fee F * T / V
 * (F itself when everything is tainted).
 */
function propagateFast(g: TxGraph, model: 'haircut' | 'poison', seeds: ArrayLike<number>): TaintState {
  const s = seedState(g, model, seeds);
  const isSeed = new Uint8Array(outCount(g));
  for (let k = 0; k < seeds.length; k++) isSeed[seeds[k]!] = 1;
  const { inStart, inOutpoint, outStart, outValue } = g;
  const amount = s.amount;
  const fee = s.fee;
  const poison = model === 'poison';
  let tainted = 0;
  for (let i = 0; i < g.txCount; i++) {
    const a = inStart[i]!;
    const b = inStart[i + 1]!;
    let T = 0;
    let V = 0;
    for (let k = a; k < b; k++) {
      const o = inOutpoint[k]!;
      const t = amount[o]!;
      if (t > 0) T += t;
      V += outValue[o]!;
    }
    if (T === 0) continue;
    tainted++;
    const oa = outStart[i]!;
    const ob = outStart[i + 1]!;
    let S = 0;
    for (let o = oa; o < ob; o++) S += outValue[o]!;
    if (S > V) throw new Error(`tx ${i}: outputs (${S} sat) exceed inputs (${V} sat)`);
    const F = V - S;
    if (poison || T === V) {
      for (let o = oa; o < ob; o++) if (!isSeed[o]) amount[o] = outValue[o]!;
      fee[i] = F;
    } else {
      for (let o = oa; o < ob; o++) {
        if (isSeed[o]) continue;
        const v = outValue[o]!;
        const t = (v * T) / V;
        amount[o] = t < v ? t : v;
      }
      fee[i] = (F * T) / V;
    }
  }
  s.taintedTxs = tainted;
  return s;
}
