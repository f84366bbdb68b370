// A transaction graph held in typed arrays, for work on millions of transactions in memory.
//
// Compact ids instead of objects: transactions are numbered 0..txCount-1 in creation order
// (which is a topological order: a transaction only spends outputs of earlier ones), outputs
// 0..outCount-1 in the same order (transaction i owns outputs outStart[i]..outStart[i+1]-1),
// and addresses 0..addressCount-1. CSR layout: transaction i's inputs are the output ids
// inOutpoint[inStart[i]..inStart[i+1]-1], in vin order. A JavaScript object per transaction
// would cost hundreds of bytes; this costs about 50 bytes per transaction.

export interface TxGraph {
  readonly txCount: number;
  readonly addressCount: number;
  /** txCount + 1 offsets into inOutpoint. */
  readonly inStart: Int32Array;
  /** For each input, the id of the output it spends. */
  readonly inOutpoint: Int32Array;
  /** txCount + 1 offsets: transaction i owns output ids outStart[i]..outStart[i+1]-1. */
  readonly outStart: Int32Array;
  /** Output values in satoshis (whole numbers; a double holds every amount exactly). */
  readonly outValue: Float64Array;
  /** Address id of each output. */
  readonly outAddress: Int32Array;
  /** The transaction that spends each output, or -1 while unspent. */
  readonly spender: Int32Array;
}

export function outCount(g: TxGraph): number {
  return g.outStart[g.txCount]!;
}

export function inCount(g: TxGraph): number {
  return g.inStart[g.txCount]!;
}

/** The transaction that created output `o` (binary search over outStart). */
export function txOfOutput(g: TxGraph, o: number): number {
  let lo = 0;
  let hi = g.txCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (g.outStart[mid]! <= o) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Bytes held by the graph's arrays. */
export function graphBytes(g: TxGraph): number {
  return (
    g.inStart.byteLength +
    g.inOutpoint.byteLength +
    g.outStart.byteLength +
    g.outValue.byteLength +
    g.outAddress.byteLength +
    g.spender.byteLength
  );
}

/**
 * Checks the invariants every user of a graph relies on, and throws naming the first broken one:
 * offsets non-decreasing, inputs spend earlier outputs exactly once, spender consistent, values
 * whole and non-negative, and no transaction paying out more than its inputs (coinbases aside).
 */
export function checkGraph(g: TxGraph): void {
  const outs = outCount(g);
  const seen = new Int32Array(g.spender.length).fill(-1);
  for (let i = 0; i < g.txCount; i++) {
    const a = g.inStart[i]!;
    const b = g.inStart[i + 1]!;
    const oa = g.outStart[i]!;
    const ob = g.outStart[i + 1]!;
    if (b < a || ob <= oa) throw new Error(`tx ${i}: bad offsets (inputs ${a}..${b}, outputs ${oa}..${ob})`);
    let v = 0;
    for (let k = a; k < b; k++) {
      const o = g.inOutpoint[k]!;
      if (!(o >= 0 && o < oa))
        throw new Error(`tx ${i}: input ${k - a} spends output ${o}, not an earlier one`);
      if (seen[o] !== -1) throw new Error(`tx ${i}: output ${o} already spent by tx ${seen[o]}`);
      seen[o] = i;
      v += g.outValue[o]!;
    }
    let s = 0;
    for (let o = oa; o < ob; o++) {
      const x = g.outValue[o]!;
      if (!(Number.isSafeInteger(x) && x >= 0))
        throw new Error(`output ${o}: value ${x} is not whole satoshis`);
      s += x;
    }
    if (b > a && s > v) throw new Error(`tx ${i}: outputs ${s} sat exceed inputs ${v} sat`);
  }
  for (let o = 0; o < outs; o++) {
    if (g.spender[o] !== seen[o])
      throw new Error(`output ${o}: spender ${g.spender[o]} but spent by ${seen[o]}`);
  }
}
