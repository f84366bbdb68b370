// Which request goes first when more are waiting than may be in flight. The walk knows how deep
// in the flow a request is (its hop); the transport does not, so the walk states it around the
// call (withPriority) and the transport reads it when the request joins its queue. Deeper first:
// a request one hop further on continues the chain that is still growing, while the requests
// it overtakes (the same hop's other spenders) often end there (coins that rest). That is what
// lets a bounded window reach its floor: the requests of depth >= d must not wait behind
// shallower ones (test/bench/critical.ts windowRounds).
//
// The priority holds for the synchronous extent of the call: every source wrapper (memo, checks,
// capture, cache) calls the one below it before its first await, so the request joins the
// transport's queue inside withPriority. Work a source defers to a later turn carries the
// priority itself (esplora.ts: a bulk outspends request takes the highest of its callers').
// Not AsyncLocalStorage: on Node 20 it installs promise hooks that tax every promise of the
// run, a fifth of the client's CPU time in the CoinJoin bench case.

import { BinaryHeap } from '../model/heap.js';

let current: number | undefined;

/** Runs fn with the requests it starts ranked at `p` (higher first). */
export function withPriority<T>(p: number, fn: () => T): T {
  const outer = current;
  current = p;
  try {
    return fn();
  } finally {
    current = outer;
  }
}

/** The priority of a request made now: 0 outside withPriority (seeds, tip, prices). */
export function currentPriority(): number {
  return current ?? 0;
}

/**
 * At most `concurrency` tasks running; waiting tasks start highest priority first, and in the
 * order they arrived among equals (so without priorities it is a plain FIFO limit).
 */
export class PriorityLimit {
  private running = 0;
  private seq = 0;
  private readonly heap = new BinaryHeap<{ p: number; seq: number; start: () => void }>(before);

  constructor(private readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    }
  }

  /** Tasks waiting for a slot. */
  get waiting(): number {
    return this.heap.size;
  }

  run<T>(task: () => Promise<T>, p: number = currentPriority()): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.running++;
        let done: Promise<T>;
        try {
          done = task();
        } catch (e) {
          done = Promise.reject(e instanceof Error ? e : new Error(String(e)));
        }
        done.then(resolve, reject).finally(() => {
          this.running--;
          this.next();
        });
      };
      this.heap.push({ p, seq: this.seq++, start });
      this.next();
    });
  }

  private next(): void {
    while (this.running < this.concurrency && this.heap.size > 0) this.heap.pop()!.start();
  }
}

function before(a: { p: number; seq: number }, b: { p: number; seq: number }): boolean {
  return a.p > b.p || (a.p === b.p && a.seq < b.seq);
}
