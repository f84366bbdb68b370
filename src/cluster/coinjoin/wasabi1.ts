// Wasabi 1.x (ZeroLink) rounds, per Dumplings. Before block 610,000 the coordinator took its
// fee at fixed addresses; afterwards the round is recognised by shape: native SegWit only, at
// least 10 outputs of about 0.1 BTC, and at least two outputs of a unique value (change, fee).
import type { Tx } from '../../model/tx.js';
import {
  almost,
  dumplingsGate,
  nativeSegwitOnly,
  makeDetector,
  outputValueGroups,
  ruleHeight,
  type CoinJoinDetector,
} from './detector.js';
import type { Assessment } from './finding.js';
import { wasabi2 as defaultWasabi2 } from './wasabi2.js';

/** Dumplings FirstWasabiBlock and FirstWasabiNoCoordAddressBlock. */
export const WASABI1_FIRST_HEIGHT = 530_500;
export const WASABI1_NO_COORD_ADDRESS_HEIGHT = 610_000;

/** zkSNACKs coordinator fee addresses used before block 610,000 (Dumplings Constants.cs). */
export const WASABI1_COORDINATOR_ADDRESSES: ReadonlySet<string> = new Set([
  'bc1qs604c7jv6amk4cxqlnvuxv26hv3e48cds4m0ew',
  'bc1qa24tsgchvuxsaccp8vrnkfd85hrcpafg20kmjw',
]);

/** Base denomination about 0.1 BTC, give or take 0.02 BTC; at least 10 equal outputs (MinWW2EqualOutputs). */
const BASE_DENOMINATION = 10_000_000;
const BASE_PRECISION = 2_000_000;
const MIN_EQUAL_OUTPUTS = 10;

export interface Wasabi1Options {
  /** Dumplings checks Wasabi 2 first; a Wasabi 2 round is not also called Wasabi 1. */
  wasabi2?: CoinJoinDetector;
}

export function createWasabi1Detector(options: Wasabi1Options = {}): CoinJoinDetector {
  const w2 = options.wasabi2 ?? defaultWasabi2;
  return makeDetector('wasabi1', (tx: Tx): Assessment | null => {
    const height = ruleHeight(tx);
    if (!dumplingsGate(tx) || height < WASABI1_FIRST_HEIGHT) return null;
    const groups = outputValueGroups(tx);
    let hit: Assessment | null = null;
    if (height < WASABI1_NO_COORD_ADDRESS_HEIGHT) {
      const fee = tx.vout.find(
        (o) => o.address !== null && WASABI1_COORDINATOR_ADDRESSES.has(o.address.toLowerCase()),
      );
      if (fee && groups.topCount > 2) {
        hit = {
          confidence: 'definite',
          reason: `pays the zkSNACKs coordinator fee address ${fee.address}; ${groups.topCount} equal outputs of ${groups.topValue} sat`,
        };
      }
    } else if (
      nativeSegwitOnly(tx) &&
      groups.topCount >= MIN_EQUAL_OUTPUTS &&
      tx.vin.length >= groups.topCount &&
      almost(groups.topValue, BASE_DENOMINATION, BASE_PRECISION) &&
      groups.uniqueValueCount >= 2
    ) {
      hit = {
        confidence: 'likely',
        reason:
          `Wasabi 1 shape: all P2WPKH, ${groups.topCount} equal outputs of ${groups.topValue} sat (0.1 BTC +- 0.02), ` +
          `${tx.vin.length} inputs, ${groups.uniqueValueCount} outputs of unique value (change, coordinator fee)`,
      };
    }
    return hit !== null && !w2.detect(tx) ? hit : null;
  });
}

export const wasabi1: CoinJoinDetector = createWasabi1Detector();
