// Normalized chain data. Every ChainSource answers in these shapes, so nothing above
// src/sources/ knows which explorer answered. Amounts are integer satoshis held in
// JavaScript numbers: the whole money supply (2.1e15 sat) is below 2^53, every value is
// checked to lie in 0..2.1e15 at parse, and so is each transaction's input sum and output sum
// (src/sources/parse.ts). Sums of one transaction's values are therefore exact in a Number.

/** Where a transaction sits in the chain; unconfirmed transactions have nulls. */
export interface BlockStatus {
  confirmed: boolean;
  height: number | null;
  hash: string | null;
  /** Block time, seconds since the Unix epoch (UTC). */
  time: number | null;
}

export interface TxOut {
  /** Satoshis. */
  value: number;
  /** Script hex. */
  script: string;
  /** Esplora's scriptpubkey_type: p2pkh, p2sh, v0_p2wpkh, v0_p2wsh, v1_p2tr, p2pk, op_return, multisig, unknown... */
  scriptType: string;
  /** Null for outputs that have no address form (OP_RETURN, P2PK, bare multisig, non-standard). */
  address: string | null;
}

export interface TxIn {
  /** Txid of the spent output; all zeros for a coinbase input. */
  txid: string;
  vout: number;
  coinbase: boolean;
  /** The spent output, joined by the explorer; null for coinbase inputs. */
  prevout: TxOut | null;
  sequence: number;
  /**
   * The input's scriptSig hex ("" for native segwit), part of what the txid commits to. Every
   * explorer answer carries it (src/sources/parse.ts); synthetic test chains may leave it out.
   */
  scriptsig?: string;
}

export interface Tx {
  txid: string;
  version: number;
  locktime: number;
  size: number;
  weight: number;
  /** Satoshis; 0 for coinbase. */
  fee: number;
  vin: TxIn[];
  vout: TxOut[];
  status: BlockStatus;
}

/** Who spent one output; one entry per vout, in vout order. */
export interface Outspend {
  spent: boolean;
  txid: string | null;
  vin: number | null;
  status: BlockStatus | null;
}

export interface AddressTotals {
  fundedTxoCount: number;
  fundedTxoSum: number;
  spentTxoCount: number;
  spentTxoSum: number;
  txCount: number;
}

export interface AddressStats {
  address: string;
  chain: AddressTotals;
  mempool: AddressTotals;
}

/** "txid:vout" — the key of one output everywhere in btctrace. */
export type OutpointKey = string;

export function outpointKey(txid: string, vout: number): OutpointKey {
  return `${txid}:${vout}`;
}

/** Sum of input values (0 for coinbase). */
export function inputSum(tx: Tx): number {
  let s = 0;
  for (const i of tx.vin) s += i.prevout?.value ?? 0;
  return s;
}

export function outputSum(tx: Tx): number {
  let s = 0;
  for (const o of tx.vout) s += o.value;
  return s;
}
