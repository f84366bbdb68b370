// Satoshi interval lists for the order-based taint models (fifo, lifo), and the checks every model
// runs on the taint lists it is given. A transaction's satoshis are laid end to end in one "stream";
// taint is a list of half-open intervals in that stream, cut into per-output (or per-input) lists.
// The stream lives in one reusable Float64Array (whole satoshis up to 2.1e15 are exact in a double),
// so a transaction costs no allocation beyond the result it returns.

import type { Taint } from './taint.js';

/** A growable list of half-open intervals [s0, e0, s1, e1, ...], appended in increasing order. */
export class IntervalBuffer {
  data: Float64Array;
  /** Numbers in use: two per interval. */
  size = 0;

  constructor(capacity = 64) {
    this.data = new Float64Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  /** Appends [s, e) (s >= the last end, s < e), merging it into the last interval when they touch. */
  append(s: number, e: number): void {
    const n = this.size;
    if (n > 0 && this.data[n - 1] === s) {
      this.data[n - 1] = e;
      return;
    }
    if (n + 2 > this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[n] = s;
    this.data[n + 1] = e;
    this.size = n + 2;
  }

  /** Maps every offset x to total - x, in place: the same satoshis read from the other end. */
  mirror(total: number): void {
    const d = this.data;
    for (let i = 0, j = this.size - 2; i <= j; i += 2, j -= 2) {
      const si = d[i]!;
      const ei = d[i + 1]!;
      const sj = d[j]!;
      const ej = d[j + 1]!;
      d[i] = total - ej;
      d[i + 1] = total - sj;
      d[j] = total - ei;
      d[j + 1] = total - si;
    }
  }

  /** A copy of the intervals as a plain array (for tests and debugging). */
  toArray(): number[] {
    return Array.from(this.data.subarray(0, this.size));
  }
}

/** The one stream buffer the models share; every model call clears it first and is synchronous. */
export const stream = new IntervalBuffer(1024);

export function sumOf(values: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
}

/** Clean entries (amount 0, ranges []) for the order-based models. */
export function cleanList(values: readonly number[]): Taint[] {
  const out: Taint[] = new Array<Taint>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = { amount: 0, ranges: [] };
  return out;
}

/** Every satoshi tainted: each entry is [0, v). */
export function fullList(values: readonly number[]): Taint[] {
  const out: Taint[] = new Array<Taint>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = { amount: v, ranges: v > 0 ? [0, v] : [] };
  }
  return out;
}

/**
 * Checks a taint list against the values it belongs to (one entry per input forward, per output
 * backward) and returns the total amount. `whole` demands whole satoshis (fifo, lifo, tiho).
 * Ranges are checked where they are read (layOut), so models that ignore them pay nothing.
 */
export function totalTaint(
  values: readonly number[],
  taints: readonly (Taint | null)[],
  side: 'input' | 'output',
  whole: boolean,
): number {
  if (taints.length !== values.length) {
    throw new Error(
      `taint list has ${taints.length} entries for ${values.length} ${side}s; expected one each`,
    );
  }
  let total = 0;
  for (let i = 0; i < taints.length; i++) {
    const t = taints[i];
    if (t === null || t === undefined) continue;
    const a = t.amount;
    const v = values[i]!;
    if (!(a >= 0 && a <= v) || (whole && !Number.isSafeInteger(a))) {
      throw new Error(
        `${side} ${i}: taint amount ${a} is not ${whole ? 'a whole number of satoshis' : 'a number'} within 0..${v}`,
      );
    }
    total += a;
  }
  return total;
}

/** Stops a model before it splits taint over outputs worth more than the inputs (not a valid spend). */
export function checkBalance(inputSum: number, outputSum: number): void {
  if (outputSum > inputSum) {
    throw new Error(
      `outputs (${outputSum} sat) exceed inputs (${inputSum} sat) by ${outputSum - inputSum} sat; taint cannot be split`,
    );
  }
}

/**
 * Lays taint lists end to end into `buf`: entry i sits at offset values[0] + ... + values[i-1].
 * A Taint with ranges null covers [0, amount). Amounts must already have passed totalTaint.
 * Throws when a range list is malformed or does not add up to its amount.
 */
export function layOut(
  buf: IntervalBuffer,
  values: readonly number[],
  taints: readonly (Taint | null)[],
  side: 'input' | 'output',
): void {
  buf.clear();
  let base = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const t = taints[i];
    if (t !== null && t !== undefined) {
      const a = t.amount;
      const r = t.ranges;
      if (r === null || a === v) {
        // ranges null: tainted from the first satoshi; a === v: the only valid list is [0, v).
        if (a > 0) buf.append(base, base + a);
      } else {
        if (r.length % 2 !== 0) throw new Error(`${side} ${i}: range list has an odd length (${r.length})`);
        let prev = 0;
        let sum = 0;
        for (let k = 0; k < r.length; k += 2) {
          const s = r[k]!;
          const e = r[k + 1]!;
          if (!(s >= prev && e > s && e <= v && Number.isInteger(s) && Number.isInteger(e))) {
            throw new Error(
              `${side} ${i}: range [${s}, ${e}) is not a whole-satoshi interval after ${prev} within 0..${v}`,
            );
          }
          sum += e - s;
          prev = e;
          buf.append(base + s, base + e);
        }
        if (sum !== a) throw new Error(`${side} ${i}: ranges cover ${sum} sat but the amount is ${a}`);
      }
    }
    base += v;
  }
}

/**
 * Cuts the stream into consecutive segments of the given lengths (outputs forward, inputs backward)
 * and pushes, per segment, the intervals of `buf` inside it, as offsets from the segment's start.
 * Returns the amount in `buf` beyond the last segment (the fee slot forward).
 */
export function cut(buf: IntervalBuffer, lengths: readonly number[], out: Taint[]): number {
  const d = buf.data;
  const n = buf.size;
  let k = 0;
  let pos = 0;
  for (let j = 0; j < lengths.length; j++) {
    const start = pos;
    const end = pos + lengths[j]!;
    pos = end;
    const ranges: number[] = [];
    let amount = 0;
    while (k < n) {
      const s = d[k]!;
      if (s >= end) break;
      const e = d[k + 1]!;
      const cs = s > start ? s : start;
      const ce = e < end ? e : end;
      if (ce > cs) {
        ranges.push(cs - start, ce - start);
        amount += ce - cs;
      }
      if (e > end) break; // the interval runs on into the next segment
      k += 2;
    }
    out.push({ amount, ranges });
  }
  let rest = 0;
  for (; k < n; k += 2) {
    const s = d[k]!;
    rest += d[k + 1]! - (s > pos ? s : pos);
  }
  return rest;
}

/**
 * Why a range list is not well formed for an output of `value` satoshis holding `amount`, or null
 * when it is: sorted, non-overlapping, non-adjacent whole-satoshi pairs within [0, value] whose
 * lengths add up to `amount`.
 */
export function rangesProblem(ranges: readonly number[], value: number, amount: number): string | null {
  if (ranges.length % 2 !== 0) return `odd length ${ranges.length}`;
  let prevEnd = -1;
  let sum = 0;
  for (let k = 0; k < ranges.length; k += 2) {
    const s = ranges[k]!;
    const e = ranges[k + 1]!;
    if (!Number.isInteger(s) || !Number.isInteger(e)) return `[${s}, ${e}) is not whole satoshis`;
    if (s < 0 || e > value || e <= s) return `[${s}, ${e}) is empty or outside 0..${value}`;
    if (s <= prevEnd) return `[${s}, ${e}) overlaps or touches the range before it`;
    sum += e - s;
    prevEnd = e;
  }
  if (sum !== amount) return `ranges cover ${sum} sat, amount is ${amount}`;
  return null;
}
