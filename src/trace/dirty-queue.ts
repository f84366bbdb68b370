// The transactions waiting to be recomputed, taken in chain order (lowest rank first), so one
// drain computes a transaction after the dirty ancestors it depends on instead of once per
// ancestor: recomputation then cascades down the explored graph once, not once per change.
// Any order gives the same fixed point; this one only saves work.

import { BinaryHeap } from '../model/heap.js';

export class DirtyQueue {
  private readonly heap = new BinaryHeap<Ranked>(rankOrder);
  private readonly members = new Set<string>();

  constructor(private readonly rankOf: (txid: string) => number) {}

  get size(): number {
    return this.heap.size;
  }

  add(txid: string): void {
    if (this.members.has(txid)) return;
    this.members.add(txid);
    this.heap.push({ txid, rank: this.rankOf(txid) });
  }

  /** Removes and returns the lowest-ranked transaction (ties: lower txid). */
  take(): string | undefined {
    const top = this.heap.pop();
    if (!top) return undefined;
    this.members.delete(top.txid);
    return top.txid;
  }
}

/** Anything queued for recomputation: its place in chain order, ties broken by txid. */
export interface Ranked {
  readonly txid: string;
  readonly rank: number;
}

/** The backward walk's recompute order: lower rank first, then lower txid. */
export function rankOrder(a: Ranked, b: Ranked): boolean {
  return a.rank < b.rank || (a.rank === b.rank && a.txid < b.txid);
}
