// After a trace: cluster ids and change / peel-chain findings for its rows, computed from the
// transactions the walk already read (no further explorer requests).
import { assessCoinJoin, postMixFindings, type Confidence } from '../cluster/coinjoin/index.js';
import { buildClusters } from '../cluster/common-input.js';
import { isPeelingChain, likelyChange, spendableVouts, type ChangeContext } from '../cluster/change/index.js';
import type { Captured } from '../sources/capture.js';
import type { TraceResult } from '../trace/result.js';

/** Lookups over what the run captured; unknown answers stay "not known" (undefined). */
export function capturedContext(c: Captured): ChangeContext {
  return {
    getTx: (txid) => c.txs.get(txid),
    spenderOf: (txid, vout) => {
      const os = c.outspends.get(txid)?.[vout];
      if (!os) return undefined;
      if (!os.spent) return null;
      return os.txid ? c.txs.get(os.txid) : undefined;
    },
  };
}

/**
 * Sets `cluster` on rows whose address shares a cluster of two or more addresses with others
 * (common-input links among the transactions read; CoinJoins never link). Returns address ->
 * cluster id for every member of such a cluster, rows or not.
 */
export function addClusters(
  result: TraceResult,
  captured: Captured,
  veto?: Confidence,
): ReadonlyMap<string, string> {
  const { clusters, members } = buildClusters(captured.txs.values(), { veto });
  const size = new Map(clusters.map((c) => [c.id, c.addresses.length]));
  const clusterOf = new Map<string, string>();
  for (const m of members) if ((size.get(m.clusterId) ?? 0) >= 2) clusterOf.set(m.address, m.clusterId);
  for (const r of result.rows) r.cluster = r.address ? (clusterOf.get(r.address) ?? null) : null;
  return clusterOf;
}

/** Adds "change:<heuristics>" to likely-change outputs and "peel-step" to peel-chain transactions. */
export function addChangeFlags(result: TraceResult, captured: Captured, heuristics: readonly string[]): void {
  if (heuristics.length === 0) return;
  const ctx = capturedContext(captured);
  const byTx = new Map<string, Map<number, string[]>>();
  const peel = new Set<string>();
  for (const txid of new Set(result.rows.map((r) => r.txid))) {
    const tx = captured.txs.get(txid);
    if (!tx) continue;
    const found = new Map<number, string[]>();
    // a sweep to one output has no change: every heuristic would trivially name that output
    if (spendableVouts(tx).length >= 2)
      for (const c of likelyChange(tx, ctx, heuristics)) found.set(c.vout, c.heuristics);
    byTx.set(txid, found);
    if (heuristics.includes('peel-chain') && isPeelingChain(tx, ctx)) peel.add(txid);
  }
  for (const r of result.rows) {
    const names = byTx.get(r.txid)?.get(r.vout);
    if (names) r.flags.push(`change:${names.join('+')}`);
    if (peel.has(r.txid)) r.flags.push('peel-step');
  }
}

/**
 * Adds "post-mix:<detector>:<confidence>" to rows whose transaction spends an output of a
 * CoinJoin read in this run (after the walk, so the flags do not depend on fetch order).
 */
export function addPostMixFlags(result: TraceResult, captured: Captured, veto: Confidence): void {
  const byTx = new Map<string, string[]>();
  for (const txid of new Set(result.rows.map((r) => r.txid))) {
    const tx = captured.txs.get(txid);
    if (!tx) continue;
    const found = postMixFindings(tx, captured.txs, assessCoinJoin, veto);
    if (found.length > 0)
      byTx.set(
        txid,
        found.map((f) => `${f.name}:${f.confidence}`),
      );
  }
  for (const r of result.rows) r.flags.push(...(byTx.get(r.txid) ?? []));
}
