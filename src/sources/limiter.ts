// Request pacing for one host: a minimum spacing between request starts (rate limit) and a
// host-wide pause after a 429 with Retry-After, so every queued request waits, not only the
// one that was refused. Clock and sleep are injected so tests run in virtual time.

export type Sleep = (ms: number) => Promise<void>;
export type Clock = () => number;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class RateGate {
  /** Earliest time the next request may start. */
  private next = 0;
  private readonly spacingMs: number;

  /** `rate` in requests per second; 0 (or Infinity) means unlimited. */
  constructor(
    rate: number,
    private readonly now: Clock,
    private readonly sleep: Sleep,
  ) {
    if (!(rate >= 0)) throw new RangeError(`rate must be >= 0 requests per second, got ${rate}`);
    this.spacingMs = rate === 0 || rate === Infinity ? 0 : 1000 / rate;
  }

  /**
   * Resolves when a request may start; null when it may start now (no turn of the event loop
   * spent on an empty wait). Slots are handed out in call order: each caller reserves the next
   * start time before sleeping, so concurrent callers do not all wake at once.
   */
  wait(): Promise<void> | null {
    const t = this.now();
    const start = Math.max(t, this.next);
    this.next = start + this.spacingMs;
    return start > t ? this.sleep(start - t) : null;
  }

  /** Holds every request that has not started until `until` (a 429's Retry-After). */
  pauseUntil(until: number): void {
    if (until > this.next) this.next = until;
  }
}
