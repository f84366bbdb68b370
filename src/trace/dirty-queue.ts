// The transactions waiting to be recomputed, taken in chain order (lowest rank first), so one
// drain computes a transaction after the dirty ancestors it depends on instead of once per
// ancestor: recomputation then cascades down the explored graph once, not once per change.
// Any order gives the same fixed point; this one only saves work.

export class DirtyQueue {
  private readonly heap: { txid: string; rank: number }[] = [];
  private readonly members = new Set<string>();

  constructor(private readonly rankOf: (txid: string) => number) {}

  get size(): number {
    return this.heap.length;
  }

  add(txid: string): void {
    if (this.members.has(txid)) return;
    this.members.add(txid);
    const h = this.heap;
    h.push({ txid, rank: this.rankOf(txid) });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  /** Removes and returns the lowest-ranked transaction (ties: lower txid). */
  take(): string | undefined {
    const h = this.heap;
    const top = h[0];
    if (!top) return undefined;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    this.members.delete(top.txid);
    return top.txid;
  }
}

function less(a: { txid: string; rank: number }, b: { txid: string; rank: number }): boolean {
  return a.rank < b.rank || (a.rank === b.rank && a.txid < b.txid);
}
