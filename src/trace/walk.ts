import type { Seed } from '../model/seed.js';
import { traceBackward } from './backward.js';
import { traceForward } from './forward.js';
import type { Direction, TraceResult } from './result.js';
import type { WalkDeps, WalkOptions } from './walk-common.js';

export type { WalkDeps, WalkOptions } from './walk-common.js';
export { SeedsFailedError } from './errors.js';

/** Runs one trace: explores the flow from the seeds and computes taint under opts.model. */
export function trace(
  direction: Direction,
  seeds: Seed[],
  opts: WalkOptions,
  deps: WalkDeps,
): Promise<TraceResult> {
  return direction === 'forward' ? traceForward(seeds, opts, deps) : traceBackward(seeds, opts, deps);
}
