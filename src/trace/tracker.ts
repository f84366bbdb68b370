/**
 * Counts work in flight so a walk knows when it is finished: every request the walk starts is
 * tracked, and idle() resolves once nothing is pending. Handlers run as soon as their answer
 * arrives, so the walk starts each follow-up request at once (no hop-by-hop barrier).
 * An exception thrown by a handler is a bug, not a data error: idle() rejects with it.
 */
export class Tracker {
  private pending = 0;
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private failure: { error: unknown } | null = null;

  track<T>(p: Promise<T>, onValue: (v: T) => void, onError: (e: unknown) => void): void {
    this.pending++;
    p.then(
      (v) => this.guard(() => onValue(v)),
      (e) => this.guard(() => onError(e)),
    ).finally(() => {
      this.pending--;
      if (this.pending === 0) this.settle();
    });
  }

  idle(): Promise<void> {
    if (this.pending === 0)
      return this.failure ? Promise.reject(asError(this.failure.error)) : Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.failure ??= { error: e };
    }
  }

  private settle(): void {
    for (const w of this.waiters.splice(0)) {
      if (this.failure) w.reject(asError(this.failure.error));
      else w.resolve();
    }
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
