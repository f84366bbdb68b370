// The one row order of every output (DESIGN.md "Deterministic"): hop, block height (unconfirmed
// last), txid, vout. Renderers sort themselves rather than trust the order they are given, so the
// same rows in any order print the same bytes.

import { hexPrefix32, isUint32, sortByKeys } from '../model/radix-order.js';
import type { FlowRow, TxTaintSummary } from './result.js';

/** Code-unit order: the same on every machine, unlike localeCompare. */
function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Confirmed by height ascending, unconfirmed (null) after all confirmed. */
function cmpHeight(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}

/**
 * Two rows for one outpoint should not occur, but if they do the order must still not depend on
 * input order: fall back to the rows' full content (a total order on distinct rows).
 */
function cmpContent(a: FlowRow, b: FlowRow): number {
  return cmpStr(JSON.stringify(rowKey(a)), JSON.stringify(rowKey(b)));
}

/** Fixed field order, so the fallback comparison does not depend on how a row object was built. */
function rowKey(r: FlowRow): unknown[] {
  return [
    r.status,
    r.address,
    r.valueSat,
    r.taintedSat,
    r.blockTime,
    r.label,
    r.category,
    r.scriptType,
    r.spentBy,
    r.flags,
    r.note,
    r.cluster ?? null,
  ];
}

export function compareRows(a: FlowRow, b: FlowRow): number {
  return (
    a.hop - b.hop ||
    cmpHeight(a.blockHeight, b.blockHeight) ||
    cmpStr(a.txid, b.txid) ||
    a.vout - b.vout ||
    cmpContent(a, b)
  );
}

/** A sorted copy; the input is left as it was. */
export function sortRows(rows: readonly FlowRow[]): FlowRow[] {
  const n = rows.length;
  const hop = new Uint32Array(n);
  const height = new Uint32Array(n);
  const txid = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    // unconfirmed last: above every height, which must then stay below 2^32-1
    const h = r.blockHeight ?? 0xffffffff;
    const p = hexPrefix32(r.txid);
    // keys that cannot stand for the value (never from a parsed answer): the comparator alone
    if (p < 0 || !isUint32(r.hop) || !isUint32(h) || r.blockHeight === 0xffffffff)
      return [...rows].sort(compareRows);
    hop[i] = r.hop;
    height[i] = h;
    txid[i] = p;
  }
  // No vout key: after a txid prefix that two txids may share, it could contradict the txid order.
  // A transaction's outputs tie on these keys, and compareRows orders each such small run.
  return sortByKeys(rows, [hop, height, txid], compareRows);
}

/** Transactions by hop, then txid (TraceResult.txs order), with the same content fallback. */
export function compareTxs(a: TxTaintSummary, b: TxTaintSummary): number {
  return (
    a.hop - b.hop ||
    cmpStr(a.txid, b.txid) ||
    a.taintIn - b.taintIn ||
    a.taintOut - b.taintOut ||
    a.feeTainted - b.feeTainted
  );
}

export function sortTxs(txs: readonly TxTaintSummary[]): TxTaintSummary[] {
  const n = txs.length;
  const hop = new Uint32Array(n);
  const txid = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const t = txs[i]!;
    const p = hexPrefix32(t.txid);
    if (p < 0 || !isUint32(t.hop)) return [...txs].sort(compareTxs);
    hop[i] = t.hop;
    txid[i] = p;
  }
  return sortByKeys(txs, [hop, txid], compareTxs);
}
