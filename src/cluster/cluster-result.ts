// What a cluster expansion gives back (expand.ts makes it through an explorer; backend.ts reads
// it from a chain-wide backend), and the limits and options it runs under.
import type { CoinJoinDetector, Confidence } from './coinjoin/index.js';

export interface ExpandLimits {
  /** Most members the result may hold; further linked addresses are counted, not listed. */
  maxAddresses: number;
  /** Most distinct transactions read from histories in total. */
  maxTxs: number;
  /** Most transactions read from one address's history (newest first, as the explorer pages). */
  maxAddressTxs: number;
}

export interface ExpandOptions {
  /** CoinJoin detectors that veto a link (default DETECTORS). */
  detectors?: readonly CoinJoinDetector[];
  /** Weakest confidence that vetoes a link (default likely). */
  veto?: Confidence;
  /** Histories fetched at the same time (default 4). */
  concurrency?: number;
}

export interface ExpandedMember {
  address: string;
  clusterId: string;
  /** The transaction in which an earlier member co-spent this address; null for seeds. */
  linkedByTxid: string | null;
  /** 0 for seeds; otherwise one more than the member whose history found it. */
  hop: number;
}

export type IncompleteKind =
  'max-addresses' | 'max-txs' | 'address-history-cut' | 'no-address-history' | 'fetch-error';

export interface IncompleteReason {
  kind: IncompleteKind;
  /** The address concerned, when the reason is about one address. */
  address: string | null;
  message: string;
}

export interface CoinJoinSeen {
  txid: string;
  /** Names of the detectors that vetoed, in DETECTORS order. */
  detectors: string[];
  /** The strongest vetoing confidence. */
  confidence: Confidence;
  /** One reason per vetoing detector, "name: reason". */
  reasons: string[];
}

export interface ClusterResult {
  /** Distinct seeds, sorted. */
  seeds: string[];
  /** Sorted by clusterId, hop, address. Seeds that never co-spent form clusters of their own. */
  members: ExpandedMember[];
  /** Sorted by id. */
  clusters: { id: string; size: number }[];
  /** False when a limit, a cut history, an address-less member or a fetch error may hide members. */
  complete: boolean;
  incomplete: IncompleteReason[];
  /** CoinJoins that a member spent from: they would have linked, and did not. Sorted by txid. */
  skipped: CoinJoinSeen[];
  /** Every CoinJoin seen in the histories read (a superset of skipped). Sorted by txid. */
  flagged: CoinJoinSeen[];
  /** The weakest CoinJoin confidence that vetoed a link. */
  veto: Confidence;
  /** Transactions that linked members, sorted. */
  linkTxids: string[];
  counts: {
    members: number;
    /** Histories read. */
    addressesExpanded: number;
    /** Distinct transactions read. */
    txsExamined: number;
    linkingTxs: number;
    skippedCoinJoins: number;
  };
}
