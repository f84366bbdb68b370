// JoinMarket-style CoinJoins: Dumplings' "Other" equal-output rule (crocs-muni fork, with the
// taker-sweep variant). One group of k equal outputs (the makers' and the taker's coinjoin
// outputs) next to k or k-1 change outputs, k distinct scripts on each side, and no input too
// large to be one participant's equal output plus a change output (a cheap stand-in for the
// subset-sum test). Like Dumplings, it stays silent when a coordinator-specific detector fires,
// so one round carries one coordinator name. Makers end up a few hundred sat richer (their
// fee): nothing here compares what an input owner put in with what it took out, so that never
// stops a round. Weighed for anonymity like the other equal-output rule (anonymity.ts).
import type { Tx } from '../../model/tx.js';
import { weighEqualOutputs } from './anonymity.js';
import {
  distinctInputKeys,
  dumplingsGate,
  makeDetector,
  outputValueGroups,
  type CoinJoinDetector,
} from './detector.js';
import type { Assessment } from './finding.js';
import { wasabi1 } from './wasabi1.js';
import { wasabi2 } from './wasabi2.js';
import { whirlpool } from './whirlpool.js';

/** 0.0001 BTC slack in the largest-input test (Dumplings Money.Coins(0.0001m)). */
const INPUT_SLACK = 10_000;

export interface JoinMarketOptions {
  /** Detectors that take precedence (default whirlpool, wasabi1, wasabi2). */
  precededBy?: readonly CoinJoinDetector[];
}

export function createJoinMarketDetector(options: JoinMarketOptions = {}): CoinJoinDetector {
  const precededBy = options.precededBy ?? [whirlpool, wasabi1, wasabi2];
  return makeDetector('joinmarket', (tx: Tx): Assessment | null => {
    if (!dumplingsGate(tx)) return null;
    const groups = outputValueGroups(tx);
    if (groups.equalGroupCount !== 1) return null; // several groups: multi-denomination, i.e. Wasabi
    const k = groups.topCount;
    const n = tx.vout.length;
    if (k !== n - k && k !== n - k + 1) return null; // +1: taker swept without change
    if (new Set(tx.vout.map((o) => o.script)).size < k) return null;
    const inputScripts = new Set<string>();
    let maxInput = 0;
    for (const i of tx.vin) {
      if (!i.prevout) return null;
      inputScripts.add(i.prevout.script);
      if (i.prevout.value > maxInput) maxInput = i.prevout.value;
    }
    if (inputScripts.size < k) return null;
    let maxOther = 0;
    for (const o of tx.vout) if (o.value !== groups.topValue && o.value > maxOther) maxOther = o.value;
    if (maxInput > groups.topValue + maxOther - INPUT_SLACK) return null;
    if (precededBy.some((d) => d.detect(tx))) return null;
    const reason =
      `${k} equal outputs of ${groups.topValue} sat and ${n - k} others (maker changes${k === n - k ? ', taker change' : ''}), ` +
      `${distinctInputKeys(tx)} input addresses, no input larger than one participant (Dumplings "other" rule)`;
    return weighEqualOutputs(tx, groups.topValue, k, reason);
  });
}

export const joinmarket: CoinJoinDetector = createJoinMarketDetector();
