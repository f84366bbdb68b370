// Property tests over seeded random transactions (1-20 inputs, 1-20 outputs, partial input ranges,
// fees including 0, zero-value outputs). "small" transactions (values up to 200 sat) are also checked
// satoshi by satoshi against a brute-force reference; "large" ones use realistic magnitudes.

import { describe, expect, it } from 'vitest';
import { MODELS } from '../../src/trace/models/index.js';
import { rangesProblem } from '../../src/trace/ranges.js';
import { MODEL_NAMES, type ModelName, type Taint } from '../../src/trace/taint.js';
import { mulberry32 } from '../support/prng.js';

const COUNT = 3000;
const ORDER_BASED: readonly ModelName[] = ['fifo', 'lifo', 'tiho'];

const prng = mulberry32;
type Rand = () => number;
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

/** Sorted distinct points of 0..v taken in pairs: a well-formed range list (possibly empty). */
function randomRanges(r: Rand, v: number): number[] {
  let k = 2 * int(r, 0, 5);
  if (k > v + 1) k = (v + 1) & ~1;
  const points = new Set<number>();
  while (points.size < k) points.add(int(r, 0, v));
  return [...points].sort((a, b) => a - b);
}

function rangesLength(ranges: readonly number[]): number {
  let s = 0;
  for (let k = 0; k < ranges.length; k += 2) s += ranges[k + 1]! - ranges[k]!;
  return s;
}

/** A random taint for a coin of value v: clean, full (either form), or partial ranges. */
function randomTaint(r: Rand, v: number): Taint | null {
  const p = r();
  if (p < 0.3) return null;
  if (p < 0.45) return { amount: v, ranges: null };
  if (p < 0.55) return { amount: v, ranges: v > 0 ? [0, v] : [] };
  if (p < 0.65) {
    const a = int(r, 0, v);
    return { amount: a, ranges: null };
  }
  const ranges = randomRanges(r, v);
  return { amount: rangesLength(ranges), ranges };
}

/** Splits `total` into n parts at random cut points (repeats give zero-value parts). */
function split(r: Rand, total: number, n: number): number[] {
  const cuts = [0, total];
  for (let i = 1; i < n; i++) cuts.push(int(r, 0, total));
  cuts.sort((a, b) => a - b);
  const parts: number[] = [];
  for (let i = 0; i < n; i++) parts.push(cuts[i + 1]! - cuts[i]!);
  return parts;
}

interface RandomTx {
  inputs: number[];
  outputs: number[];
  taints: (Taint | null)[];
  fee: number;
}

function randomTx(r: Rand, small: boolean): RandomTx {
  const nIn = int(r, 1, 20);
  const nOut = int(r, 1, 20);
  const maxV = small ? 200 : r() < 0.5 ? 1e9 : 1e14;
  const inputs: number[] = [];
  const taints: (Taint | null)[] = [];
  for (let i = 0; i < nIn; i++) {
    const v = r() < 0.1 ? 0 : int(r, 1, maxV);
    inputs.push(v);
    taints.push(randomTaint(r, v));
  }
  const V = inputs.reduce((a, b) => a + b, 0);
  const q = r();
  const fee = q < 0.25 ? 0 : q < 0.85 ? int(r, 0, Math.floor(V / 20)) : int(r, 0, V);
  return { inputs, outputs: split(r, V - fee, nOut), taints, fee };
}

function txs(seed: number, small: boolean): RandomTx[] {
  const r = prng(seed);
  const out: RandomTx[] = [];
  for (let n = 0; n < COUNT; n++) out.push(randomTx(r, small));
  return out;
}
const SMALL = txs(1, true);
const LARGE = txs(2, false);
const ALL = [...SMALL, ...LARGE];

/** Random interest on outputs (backward), shaped like what a child transaction would attribute. */
function interestFor(seed: number, list: RandomTx[]): (Taint | null)[][] {
  const r = prng(seed);
  return list.map((tx) => tx.outputs.map((v) => randomTaint(r, v)));
}
const INTEREST = interestFor(3, ALL);

const ranges0 = (t: Taint | null): number[] =>
  t === null ? [] : (t.ranges ?? (t.amount > 0 ? [0, t.amount] : []));
const sumAmounts = (ts: readonly (Taint | null)[]): number => ts.reduce((a, t) => a + (t?.amount ?? 0), 0);

/** Runs of set bits in bits[from, to), as offsets from `from`. */
function runs(bits: Uint8Array, from: number, to: number): number[] {
  const out: number[] = [];
  for (let p = from; p < to; p++) {
    if (bits[p] && (p === from || !bits[p - 1])) out.push(p - from);
    if (bits[p] && (p + 1 === to || !bits[p + 1])) out.push(p + 1 - from);
  }
  return out;
}

/** Lays range lists end to end into a bit per satoshi. */
function toBits(values: readonly number[], taints: readonly (Taint | null)[], length: number): Uint8Array {
  const bits = new Uint8Array(length);
  let base = 0;
  values.forEach((v, i) => {
    const r = ranges0(taints[i] ?? null);
    for (let k = 0; k < r.length; k += 2) for (let p = r[k]!; p < r[k + 1]!; p++) bits[base + p] = 1;
    base += v;
  });
  return bits;
}

/** Satoshi-by-satoshi fifo/lifo: the reference the interval code must match exactly. */
function bruteForward(tx: RandomTx, reverse: boolean): { ranges: number[][]; fee: number } {
  const V = tx.inputs.reduce((a, b) => a + b, 0);
  let bits = toBits(tx.inputs, tx.taints, V);
  if (reverse) bits = bits.reverse();
  const ranges: number[][] = [];
  let pos = 0;
  for (const v of tx.outputs) {
    ranges.push(runs(bits, pos, pos + v));
    pos += v;
  }
  return { ranges, fee: rangesLength(runs(bits, pos, V)) };
}

function bruteBackward(tx: RandomTx, interest: (Taint | null)[], reverse: boolean): number[][] {
  const V = tx.inputs.reduce((a, b) => a + b, 0);
  let bits = toBits(tx.outputs, interest, V);
  if (reverse) bits = bits.reverse();
  const out: number[][] = [];
  let pos = 0;
  for (const v of tx.inputs) {
    out.push(runs(bits, pos, pos + v));
    pos += v;
  }
  return out;
}

/** The part of range list r inside [lo, hi). */
function clip(r: readonly number[], lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < r.length; k += 2) {
    const s = Math.max(r[k]!, lo);
    const e = Math.min(r[k + 1]!, hi);
    if (e > s) out.push(s, e);
  }
  return out;
}

/** Merges touching pairs, as the models do for ranges given with adjacent pieces. */
function merged(r: readonly number[]): number[] {
  const out: number[] = [];
  for (let k = 0; k < r.length; k += 2) {
    if (out.length > 0 && out[out.length - 1] === r[k]) out[out.length - 1] = r[k + 1]!;
    else out.push(r[k]!, r[k + 1]!);
  }
  return out;
}

const sumOf = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

function same(a: readonly number[] | null, b: readonly number[] | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** Problems with one side's taint list (bounds, whole satoshis, ranges); empty when all is well. */
function listProblems(model: ModelName, values: readonly number[], ts: readonly Taint[]): string[] {
  if (ts.length !== values.length) return [`${ts.length} entries for ${values.length} values`];
  const bad: string[] = [];
  for (let j = 0; j < values.length; j++) {
    const t = ts[j]!;
    const v = values[j]!;
    if (!(t.amount >= 0 && t.amount <= v)) bad.push(`${j}: amount ${t.amount} outside 0..${v}`);
    if (model !== 'haircut' && !Number.isSafeInteger(t.amount)) bad.push(`${j}: ${t.amount} not whole`);
    if (ORDER_BASED.includes(model)) {
      const problem = rangesProblem(t.ranges!, v, t.amount);
      if (problem !== null) bad.push(`${j}: ${problem}`);
    } else if (t.ranges !== null) {
      bad.push(`${j}: ranges should be null`);
    }
  }
  return bad;
}

describe('forward invariants on random transactions', () => {
  for (const model of MODEL_NAMES) {
    it(`${model}: 0 <= t <= v, well-formed ranges, taint in = taint out + fee taint`, () => {
      const bad: string[] = [];
      let tainted = 0;
      for (const [n, tx] of ALL.entries()) {
        const T = sumAmounts(tx.taints);
        const res = MODELS[model].forward({ inputs: tx.inputs, outputs: tx.outputs }, tx.taints);
        for (const p of listProblems(model, tx.outputs, res.outputs)) bad.push(`tx ${n} output ${p}`);
        const out = sumAmounts(res.outputs);
        if (!(res.fee >= 0 && res.fee <= tx.fee))
          bad.push(`tx ${n}: fee taint ${res.fee} outside 0..${tx.fee}`);
        let balanced: boolean;
        if (T === 0) balanced = out === 0 && res.fee === 0;
        else if (model === 'poison') balanced = out === sumOf(tx.outputs) && res.fee === tx.fee;
        else if (model === 'haircut') balanced = Math.abs(out + res.fee - T) <= 1e-9 * T;
        else balanced = out + res.fee === T;
        if (!balanced) bad.push(`tx ${n}: T ${T}, out ${out}, fee ${res.fee}`);
        if (T > 0) tainted++;
      }
      expect(bad.slice(0, 5)).toEqual([]);
      expect(tainted).toBeGreaterThan(ALL.length * 0.8);
    });
  }

  it('haircut: each output carries v*T/V and the fee F*T/V', () => {
    const bad: string[] = [];
    for (const [n, tx] of LARGE.entries()) {
      const T = sumAmounts(tx.taints);
      const V = sumOf(tx.inputs);
      if (T === 0) continue;
      const res = MODELS.haircut.forward({ inputs: tx.inputs, outputs: tx.outputs }, tx.taints);
      tx.outputs.forEach((v, j) => {
        const want = (v / V) * T;
        if (Math.abs(res.outputs[j]!.amount - want) > 1e-12 * Math.max(1, v)) bad.push(`tx ${n} o${j}`);
      });
      if (Math.abs(res.fee - (tx.fee / V) * T) > 1e-12 * Math.max(1, tx.fee)) bad.push(`tx ${n} fee`);
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('tiho: matches a sort-based reference (value desc, ties lower vout, min(T, S))', () => {
    const bad: string[] = [];
    for (const [n, tx] of ALL.entries()) {
      const T = sumAmounts(tx.taints);
      const S = sumOf(tx.outputs);
      const order = tx.outputs.map((_, j) => j).sort((a, b) => tx.outputs[b]! - tx.outputs[a]! || a - b);
      const want = tx.outputs.map(() => 0);
      let rest = Math.min(T, S);
      for (const j of order) {
        want[j] = Math.min(rest, tx.outputs[j]!);
        rest -= want[j];
      }
      const res = MODELS.tiho.forward({ inputs: tx.inputs, outputs: tx.outputs }, tx.taints);
      res.outputs.forEach((t, j) => {
        const a = want[j]!;
        if (t.amount !== a || !same(t.ranges, a > 0 ? [0, a] : [])) bad.push(`tx ${n} o${j}`);
      });
      if (res.fee !== Math.max(0, T - S)) bad.push(`tx ${n} fee`);
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  for (const model of ['fifo', 'lifo'] as const) {
    it(`${model}: equals the satoshi-by-satoshi reference on ${COUNT} small transactions`, () => {
      const bad: string[] = [];
      for (const [n, tx] of SMALL.entries()) {
        const want = bruteForward(tx, model === 'lifo');
        const res = MODELS[model].forward({ inputs: tx.inputs, outputs: tx.outputs }, tx.taints);
        res.outputs.forEach((t, j) => {
          if (!same(t.ranges, want.ranges[j]!)) bad.push(`tx ${n} o${j}`);
        });
        if (res.fee !== want.fee) bad.push(`tx ${n} fee`);
      }
      expect(bad.slice(0, 5)).toEqual([]);
    });
  }
});

describe('backward invariants on random transactions', () => {
  for (const model of MODEL_NAMES) {
    it(`${model}: 0 <= a <= v, well-formed ranges, attributed = interest (poison: every input in full)`, () => {
      const bad: string[] = [];
      for (const [n, tx] of ALL.entries()) {
        const interest = INTEREST[n]!;
        const A = sumAmounts(interest);
        const V = sumOf(tx.inputs);
        const res = MODELS[model].backward({ inputs: tx.inputs, outputs: tx.outputs }, interest);
        for (const p of listProblems(model, tx.inputs, res.inputs)) bad.push(`tx ${n} input ${p}`);
        const got = sumAmounts(res.inputs);
        let ok: boolean;
        if (model === 'poison') ok = got === (A > 0 ? V : 0);
        else if (model === 'haircut') ok = Math.abs(got - Math.min(A, V)) <= 1e-9 * V;
        else ok = got === Math.min(A, V);
        if (!ok) bad.push(`tx ${n}: interest ${A}, attributed ${got}`);
      }
      expect(bad.slice(0, 5)).toEqual([]);
    });
  }

  for (const model of ['fifo', 'lifo'] as const) {
    it(`${model}: equals the satoshi-by-satoshi reference on ${COUNT} small transactions`, () => {
      const bad: string[] = [];
      for (const [n, tx] of SMALL.entries()) {
        const interest = INTEREST[n]!;
        const want = bruteBackward(tx, interest, model === 'lifo');
        const res = MODELS[model].backward({ inputs: tx.inputs, outputs: tx.outputs }, interest);
        res.inputs.forEach((t, i) => {
          if (!same(t.ranges, want[i]!)) bad.push(`tx ${n} i${i}`);
        });
      }
      expect(bad.slice(0, 5)).toEqual([]);
    });

    it(`${model}: backward(forward(x)) = x minus what went to the fee`, () => {
      const bad: string[] = [];
      for (const [n, tx] of ALL.entries()) {
        const values = { inputs: tx.inputs, outputs: tx.outputs };
        const S = sumOf(tx.outputs);
        const back = MODELS[model].backward(values, MODELS[model].forward(values, tx.taints).outputs);
        let base = 0;
        tx.inputs.forEach((v, i) => {
          // Stream positions that reach outputs: fifo [0, S) (fee last), lifo [F, V) (fee first).
          const [lo, hi] = model === 'fifo' ? [0, S - base] : [tx.fee - base, v];
          const want = clip(merged(ranges0(tx.taints[i] ?? null)), lo, hi);
          if (!same(back.inputs[i]!.ranges, want)) bad.push(`tx ${n} input ${i}`);
          base += v;
        });
      }
      expect(bad.slice(0, 5)).toEqual([]);
    });

    it(`${model}: forward(backward(y)) = y with nothing in the fee`, () => {
      const bad: string[] = [];
      for (const [n, tx] of ALL.entries()) {
        const values = { inputs: tx.inputs, outputs: tx.outputs };
        const interest = INTEREST[n]!;
        const fwd = MODELS[model].forward(values, MODELS[model].backward(values, interest).inputs);
        fwd.outputs.forEach((t, j) => {
          if (!same(t.ranges, merged(ranges0(interest[j] ?? null)))) bad.push(`tx ${n} o${j}`);
        });
        if (fwd.fee !== 0) bad.push(`tx ${n} fee ${fwd.fee}`);
      }
      expect(bad.slice(0, 5)).toEqual([]);
    });
  }
});
