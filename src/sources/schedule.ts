// Which request goes first when more are waiting than may be in flight. The walk knows how deep
// in the flow a request is (its hop); the transport does not, so the walk states it around the
// call (withPriority) and the transport reads it when the request joins its queue. Deeper first:
// a request one hop further on continues the chain that is still growing, while the requests
// it overtakes (the same hop's other spenders) often end there (coins that rest). That is what
// lets a bounded window reach its floor: the requests of depth >= d must not wait behind
// shallower ones (test/bench/critical.ts windowRounds).
//
// AsyncLocalStorage carries the priority through the source wrappers (memo, checks, capture)
// and into work they start later (bulk outspends leave on the next turn of the event loop),
// without every ChainSource method taking a scheduling argument.

import { AsyncLocalStorage } from 'node:async_hooks';
import { BinaryHeap } from '../model/heap.js';

const priority = new AsyncLocalStorage<number>();

/** Runs fn with requests it starts (now or from work it schedules) ranked at `p` (higher first). */
export function withPriority<T>(p: number, fn: () => T): T {
  return priority.run(p, fn);
}

/** The priority of a request made now: 0 outside withPriority (seeds, tip, prices). */
export function currentPriority(): number {
  return priority.getStore() ?? 0;
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
