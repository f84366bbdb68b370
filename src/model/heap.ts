// A binary min-heap by a strict "goes first" order: the one priority queue that the walks'
// recompute queues (trace/state-table.ts, trace/dirty-queue.ts) and the transport's request
// queue (sources/schedule.ts) all need.

export class BinaryHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  push(x: T): void {
    const h = this.items;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!this.before(h[i]!, h[up]!)) break;
      const t = h[i]!;
      h[i] = h[up]!;
      h[up] = t;
      i = up;
    }
  }

  /** Removes and returns the first item, undefined when empty. */
  pop(): T | undefined {
    const h = this.items;
    const top = h[0];
    if (h.length === 0) return undefined;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        const t = h[i]!;
        h[i] = h[m]!;
        h[m] = t;
        i = m;
      }
    }
    return top;
  }
}
