// Samourai Whirlpool mixes, per Dumplings' "slightly improved SCDH" (nopara73/Dumplings and the
// crocs-muni fork, Dumplings/Scanning/Scanner.cs): 5-10 P2WPKH inputs and as many outputs, every
// output exactly the pool amount, at least one input exactly the pool amount and the others
// within 0.0011 BTC of it (premix inputs carry the miner fee).
import type { Tx } from '../../model/tx.js';
import {
  almost,
  dumplingsGate,
  makeDetector,
  nativeSegwitOnly,
  ruleHeight,
  type CoinJoinDetector,
} from './detector.js';
import type { Assessment } from './finding.js';

/**
 * Pool amounts in sat. The four Samourai pools (0.001, 0.01, 0.05, 0.5 BTC) are in every
 * Dumplings version; crocs-muni/Dumplings Constants.cs (the version with MinWW2Inputs = 15)
 * adds the Ashigaru pools 0.25 and 0.025 BTC (first mixes 2025, seed txids 7784df11... and
 * 737a8677...). They are in the default because a missed CoinJoin merges strangers, while a
 * false hit only costs a link, and this exact shape is not an ordinary payment.
 */
export const DEFAULT_WHIRLPOOL_POOLS: readonly number[] = [
  100_000, 1_000_000, 2_500_000, 5_000_000, 25_000_000, 50_000_000,
];

/** Dumplings FirstSamouraiBlock. */
export const WHIRLPOOL_FIRST_HEIGHT = 570_000;

/** Inputs (and outputs) of one mix: 5 is the classic round, Dumplings accepts up to 10. */
export const WHIRLPOOL_MIN_INPUTS = 5;
export const WHIRLPOOL_MAX_INPUTS = 10;

/** Largest distance of a premix input from the pool amount (Money.Coins(0.0011m)). */
export const WHIRLPOOL_INPUT_MARGIN = 110_000;

export interface WhirlpoolOptions {
  /** Pool amounts in sat (default DEFAULT_WHIRLPOOL_POOLS). */
  pools?: readonly number[];
}

export function createWhirlpoolDetector(options: WhirlpoolOptions = {}): CoinJoinDetector {
  const pools = new Set(options.pools ?? DEFAULT_WHIRLPOOL_POOLS);
  for (const p of pools) {
    if (!Number.isSafeInteger(p) || p <= 0)
      throw new RangeError(`Whirlpool pool ${p} is not a positive integer (sat)`);
  }
  return makeDetector('whirlpool', (tx: Tx): Assessment | null => {
    if (!dumplingsGate(tx) || ruleHeight(tx) < WHIRLPOOL_FIRST_HEIGHT) return null;
    const n = tx.vin.length;
    if (n < WHIRLPOOL_MIN_INPUTS || n > WHIRLPOOL_MAX_INPUTS || tx.vout.length !== n) return null;
    if (!nativeSegwitOnly(tx)) return null;
    const pool = tx.vout[0]!.value;
    if (!pools.has(pool) || tx.vout.some((o) => o.value !== pool)) return null;
    let exact = 0;
    for (const i of tx.vin) {
      const v = i.prevout!.value; // nativeSegwitOnly guarantees a prevout
      if (v === pool) exact++;
      else if (!almost(v, pool, WHIRLPOOL_INPUT_MARGIN)) return null;
    }
    if (exact < 1) return null;
    return {
      confidence: 'definite',
      reason:
        `Whirlpool ${pool} sat pool: ${n} P2WPKH inputs and ${n} outputs all exactly the pool amount; ` +
        `${exact} remix input(s) exactly ${pool} sat, ${n - exact} premix input(s) within ${WHIRLPOOL_INPUT_MARGIN} sat of it`,
    };
  });
}

export const whirlpool: CoinJoinDetector = createWhirlpoolDetector();
