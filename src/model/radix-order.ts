// Sorting many records by integer keys without one comparator call per comparison: a stable LSD
// radix sort over 16-bit digits, two passes per 32-bit key column. A trace's rows and
// transactions are sorted once by the walk and again by every renderer; with 10^5 of them the
// comparator sort took about a third of an offline walk here (test/bench, walk table).
// The keys only narrow the order: items whose keys all tie are put in order by the full
// comparator, so the result is exactly that of sorting with it.

/** Below this many items the comparator sort is as quick (a pass touches 65,536 counters). */
export const RADIX_MIN = 1024;

const DIGITS = 1 << 16;

/**
 * A sorted copy of items under cmp. columns[c][i] is item i's c-th key (most significant
 * first), a uint32 that never contradicts cmp: a smaller key tuple must mean cmp < 0. So a key
 * that only narrows its value (a prefix) can only be the last column.
 */
export function sortByKeys<T>(
  items: readonly T[],
  columns: readonly Uint32Array[],
  cmp: (a: T, b: T) => number,
): T[] {
  const n = items.length;
  if (n < RADIX_MIN) return [...items].sort(cmp);
  let idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  let tmp = new Uint32Array(n);
  const count = new Uint32Array(DIGITS);
  for (let c = columns.length - 1; c >= 0; c--) {
    const col = columns[c]!;
    for (let shift = 0; shift <= 16; shift += 16) {
      count.fill(0);
      for (let i = 0; i < n; i++) count[(col[i]! >>> shift) & 0xffff]!++;
      // a digit every item shares orders nothing (the high half of a hop, mostly): skip the pass
      if (count[(col[0]! >>> shift) & 0xffff] === n) continue;
      let sum = 0;
      for (let d = 0; d < DIGITS; d++) {
        const k = count[d]!;
        count[d] = sum;
        sum += k;
      }
      for (let i = 0; i < n; i++) {
        const j = idx[i]!;
        tmp[count[(col[j]! >>> shift) & 0xffff]!++] = j;
      }
      const t = idx;
      idx = tmp;
      tmp = t;
    }
  }
  const out = new Array<T>(n);
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && sameKeys(columns, idx[i]!, idx[j]!)) j++;
    for (let k = i; k < j; k++) out[k] = items[idx[k]!]!;
    if (j - i > 1) orderRun(out, i, j, cmp);
    i = j;
  }
  return out;
}

/** Sorts out[from, to) by cmp, stably: by insertion when short (a transaction's few outputs). */
function orderRun<T>(out: T[], from: number, to: number, cmp: (a: T, b: T) => number): void {
  if (to - from > 16) {
    const run = out.slice(from, to).sort(cmp);
    for (let k = from; k < to; k++) out[k] = run[k - from]!;
    return;
  }
  for (let k = from + 1; k < to; k++) {
    const x = out[k]!;
    let m = k;
    for (; m > from && cmp(out[m - 1]!, x) > 0; m--) out[m] = out[m - 1]!;
    out[m] = x;
  }
}

function sameKeys(columns: readonly Uint32Array[], a: number, b: number): boolean {
  for (const col of columns) if (col[a] !== col[b]) return false;
  return true;
}

/** True for an integer a Uint32Array holds as it is. */
export function isUint32(x: number): boolean {
  return Number.isInteger(x) && x >= 0 && x <= 0xffffffff;
}

/**
 * The first 8 characters of a lowercase-hex string as a uint32, whose order is that of the
 * strings' code units ('0'-'9' sort before 'a'-'f'); -1 when they are not lowercase hex.
 */
export function hexPrefix32(s: string): number {
  if (s.length < 8) return -1;
  let v = 0;
  for (let k = 0; k < 8; k++) {
    const c = s.charCodeAt(k);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 102) d = c - 87;
    else return -1;
    v = v * 16 + d;
  }
  return v;
}
