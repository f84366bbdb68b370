// JoinMarket-style CoinJoins: Dumplings' "Other" equal-output rule (crocs-muni fork, with the
// taker-sweep variant). One group of k equal outputs (the makers' and the taker's coinjoin
// outputs) next to k or k-1 change outputs, k distinct scripts on each side, and no input too
// large to be one participant's equal output plus a change output (a cheap stand-in for the
// subset-sum test). Like Dumplings, it stays silent when a coordinator-specific detector fires,
// so one round carries one coordinator name.
import type { Tx } from '../../model/tx.js';
import { dumplingsGate, outputValueGroups, type CoinJoinDetector } from './detector.js';
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
  return {
    name: 'joinmarket',
    detect(tx: Tx): boolean {
      if (!dumplingsGate(tx)) return false;
      const groups = outputValueGroups(tx);
      if (groups.equalGroupCount !== 1) return false; // several groups: multi-denomination, i.e. Wasabi
      const k = groups.topCount;
      const n = tx.vout.length;
      if (k !== n - k && k !== n - k + 1) return false; // +1: taker swept without change
      if (new Set(tx.vout.map((o) => o.script)).size < k) return false;
      const inputScripts = new Set<string>();
      let maxInput = 0;
      for (const i of tx.vin) {
        if (!i.prevout) return false;
        inputScripts.add(i.prevout.script);
        if (i.prevout.value > maxInput) maxInput = i.prevout.value;
      }
      if (inputScripts.size < k) return false;
      let maxOther = 0;
      for (const o of tx.vout) if (o.value !== groups.topValue && o.value > maxOther) maxOther = o.value;
      if (maxInput > groups.topValue + maxOther - INPUT_SLACK) return false;
      return !precededBy.some((d) => d.detect(tx));
    },
  };
}

export const joinmarket: CoinJoinDetector = createJoinMarketDetector();
