import type { Label } from '../labels/label.js';
import type { ModelName } from './taint.js';

export type Direction = 'forward' | 'backward';

/**
 * What happened at one output of the trace (the `status` CSV column).
 * Forward: seed, spent (its spender is in the trace), unspent, stopped (labelled address of a
 * stop category, or a CoinJoin when asked), hop-limit, below-min, truncated (a limit cut the walk
 * here), error (data could not be had).
 * Backward: the same words for source outputs, where "spent" means the output was followed
 * further back (the transaction that created it is in the trace), and `coinbase` marks newly
 * mined coins.
 */
export type RowStatus =
  'seed' | 'spent' | 'unspent' | 'stopped' | 'hop-limit' | 'below-min' | 'truncated' | 'error' | 'coinbase';

export interface FlowRow {
  hop: number;
  txid: string;
  vout: number;
  /** Null for outputs without an address (P2PK, bare multisig, non-standard). */
  address: string | null;
  valueSat: number;
  /** Exact; a fraction only under haircut. Rounded to whole satoshis when printed. */
  taintedSat: number;
  status: RowStatus;
  blockHeight: number | null;
  /** Seconds since the Unix epoch. */
  blockTime: number | null;
  /** The address's best label (src/labels/label.ts), or one inherited from its cluster (labelVia). */
  label: string | null;
  category: string | null;
  abuse?: string | null;
  labelConfidence?: number | null;
  /** Where the label's claim comes from (URL or file), as its source gave it. */
  labelSource?: string | null;
  /** "cluster <id>" when the label is another member's, shown for this address (--cluster). */
  labelVia?: string | null;
  /** Every label of the address, best first; exposure and records requests read them all. */
  labels?: readonly Label[];
  scriptType: string;
  /** Forward: the txid that spent this output, when known. Backward: the txid that spent it toward the seed. */
  spentBy: string | null;
  /** Named findings about this output's transaction or its spender, e.g. "coinjoin:whirlpool". */
  flags: string[];
  /** Why a row has status error or truncated. */
  note: string | null;
  /** Cluster id, when the trace was run with --cluster. */
  cluster?: string | null;
}

export interface TxTaintSummary {
  txid: string;
  hop: number;
  taintIn: number;
  taintOut: number;
  /** Taint that went to the miner (forward). */
  feeTainted: number;
}

export interface TraceResult {
  direction: Direction;
  model: ModelName;
  seeds: string[];
  /** Sorted by hop, block height (unconfirmed last), txid, vout. */
  rows: FlowRow[];
  /** One entry per transaction that carried taint, sorted by hop then txid. */
  txs: TxTaintSummary[];
  /** Total taint at the seeds (hop 0). */
  seedTotal: number;
  /** True when a limit or an error left part of the flow unexplored; rows say where. */
  partial: boolean;
  /** Human-readable notes: limits hit, histories cut, errors. */
  warnings: string[];
  /** Chain tip height when the trace ran (null when the source could not tell). */
  tipHeight: number | null;
}
