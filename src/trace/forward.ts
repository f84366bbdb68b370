// Forward walk: "where did the money go?" The walk itself (requests, the fixed point) is
// ForwardSearch (forward-search.ts); this reads the rows and per-transaction figures off it.
import { outpointKey } from '../model/tx.js';
import type { Seed } from '../model/seed.js';
import type { FlowRow, RowStatus, TraceResult, TxTaintSummary } from './result.js';
import type { Taint } from './taint.js';
import type { WalkDeps, WalkOptions } from './walk-common.js';
import { ForwardSearch } from './forward-search.js';
import { FOLLOWED, hasBit, outHop, SEED, UNSPENT, type TxState } from './forward-state.js';

export function traceForward(seeds: Seed[], opts: WalkOptions, deps: WalkDeps): Promise<TraceResult> {
  return new ForwardWalk(opts, deps).run(seeds);
}

class ForwardWalk extends ForwardSearch {
  private status(st: TxState, j: number, t: Taint, key: () => string): RowStatus {
    if (hasBit(st, j, SEED)) return 'seed';
    if (this.stopRule(this.outInfo(st, j)) !== null) return 'stopped';
    if (this.stoppedAt.size > 0 && this.stoppedAt.has(key())) return 'stopped';
    if (t.amount < this.opts.minSat) return 'below-min';
    if (this.errors.size > 0 && this.errors.has(key())) return 'error';
    if (this.truncated.size > 0 && this.truncated.has(key())) return 'truncated';
    const sp = st.spender?.[j];
    if (sp !== undefined && sp.hop >= 0) return 'spent';
    if (hasBit(st, j, UNSPENT)) return 'unspent';
    if (outHop(st, j) >= this.opts.hops) return 'hop-limit';
    return 'error';
  }

  protected rows(): FlowRow[] {
    const rows: FlowRow[] = [];
    const rare = this.errors.size > 0 || this.stoppedAt.size > 0 || this.truncated.size > 0;
    for (const st of this.table.values()) {
      const taints = st.taint;
      if (!taints) continue;
      const txid = st.txid;
      const tx = st.tx!;
      const flags = st.flags ?? [];
      taints.forEach((t, vout) => {
        if (!t || t.amount <= 0) return;
        let k: string | undefined;
        const key = () => (k ??= outpointKey(txid, vout));
        const o = tx.vout[vout]!;
        const info = this.outInfo(st, vout);
        const best = info?.labels[0];
        const status = this.status(st, vout, t, key);
        const rowFlags = flags.slice();
        if (status === 'seed' && !hasBit(st, vout, FOLLOWED) && t.amount < this.opts.minSat)
          rowFlags.push('not-followed:below-min');
        rows.push({
          hop: outHop(st, vout),
          txid,
          vout,
          address: o.address,
          valueSat: o.value,
          taintedSat: t.amount,
          status,
          blockHeight: tx.status.height,
          blockTime: tx.status.time,
          // the label fields written out, not spread from labelFields(): rows are the most
          // numerous objects a walk makes
          label: best?.label ?? null,
          category: best?.category ?? null,
          abuse: best?.abuse ?? null,
          labelConfidence: best?.confidence ?? null,
          labelSource: best?.source ?? null,
          labels: best === undefined ? [] : info!.labels,
          scriptType: o.scriptType,
          spentBy: st.spender?.[vout]?.txid ?? null,
          flags: rowFlags,
          // the stop rule that fired is named in the note; errors and cuts are rare, so their
          // maps (and the txid:vout key) are consulted only when they hold anything
          note:
            (rare ? this.stoppedAt.get(key()) : undefined) ??
            (status === 'stopped' ? this.stopRule(info) : null) ??
            (rare || status === 'truncated' || status === 'error'
              ? this.noteFor(key(), status, 'spender could not be determined')
              : null),
        });
      });
    }
    return rows;
  }

  protected txSummaries(): TxTaintSummary[] {
    const txs: TxTaintSummary[] = [];
    for (const st of this.table.values()) {
      if (st.hop < 0) continue;
      txs.push({
        txid: st.txid,
        hop: st.hop,
        taintIn: st.taintIn,
        taintOut: st.taintOut,
        feeTainted: st.feeTaint,
      });
    }
    return txs;
  }
}
