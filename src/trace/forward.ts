// Forward walk: "where did the money go?"
//
// The walk grows the set S of transactions that spend tainted outputs and keeps, for every
// output it knows, the taint and hop that the model gives it from its transaction's inputs.
// Each transaction is (re)computed whenever one of its inputs changes, and every output is
// re-examined whenever its taint or hop changes. Taint only grows and hops only shrink as the
// walk finds more, so the walk ends at one fixed point — the same whatever order the explorer
// answers in. That is what makes a concurrent walk give byte-identical output to a sequential one.
//
// Requests: the seed addresses' histories (which already hold the transactions that spend the
// seeds' outputs, and so also tell which of them are unspent), then per followed transaction
// its body and its outspends, both asked at once as soon as its txid is known, so a hop costs
// one round trip. Nothing is asked twice, and nothing waits for a hop to finish: each answer
// starts the requests it makes possible (test/bench measures how close this comes to the floor).
// Answers the source already holds (knownTx/knownOutspends) are taken at once, without a
// promise, so a walk over local data is one synchronous pass in chain order.
//
// State lives in one record per transaction (TxState), with per-output arrays indexed by vout:
// no "txid:vout" string is built on the hot path (those keys are made only for errors and notes).
import { outpointKey, type Outspend, type Tx } from '../model/tx.js';
import type { Seed } from '../model/seed.js';
import type { AddressHistory } from '../sources/source.js';
import type { FlowRow, RowStatus, TraceResult, TxTaintSummary } from './result.js';
import { fullTaint, type Taint } from './taint.js';
import { withPriority } from '../sources/schedule.js';
import { WalkBase } from './walk-base.js';
import { describeError, type WalkDeps, type WalkOptions } from './walk-common.js';

import {
  FOLLOWED,
  hasBit,
  newState,
  PROVEN,
  sameRanges,
  SEED,
  setBit,
  UNSPENT,
  type TxState,
} from './forward-state.js';

export function traceForward(seeds: Seed[], opts: WalkOptions, deps: WalkDeps): Promise<TraceResult> {
  return new ForwardWalk(opts, deps).run(seeds);
}

class ForwardWalk extends WalkBase {
  private readonly states = new Map<string, TxState>();
  /** |S| and the transactions asked for but not yet in S (for --max-txs). */
  private inSCount = 0;
  private pendingCount = 0;
  /** Outpoints not followed because their spender is a CoinJoin and the user stops there. */
  private readonly stoppedAt = new Map<string, string>();

  constructor(opts: WalkOptions, deps: WalkDeps) {
    super('forward', opts, deps);
  }

  private state(txid: string): TxState {
    let st = this.states.get(txid);
    if (st === undefined) {
      st = newState(txid);
      this.states.set(txid, st);
    }
    return st;
  }

  /** The body the walk holds for tx's txid (the first one read) and its state. */
  private hold(tx: Tx): TxState {
    const st = this.state(tx.txid);
    st.tx = this.txs.get(tx.txid) ?? tx;
    return st;
  }

  private parentsOf(st: TxState): (TxState | undefined)[] {
    const tx = st.tx!;
    if (st.parents !== undefined && st.parentsOf === tx) return st.parents;
    const parents = new Array<TxState | undefined>(tx.vin.length);
    for (let k = 0; k < tx.vin.length; k++) {
      const i = tx.vin[k]!;
      parents[k] = i.coinbase ? undefined : this.states.get(i.txid);
    }
    st.parents = parents;
    st.parentsOf = tx;
    return parents;
  }

  // ---- seeds ---------------------------------------------------------------------------

  protected onHistory(address: string, h: AddressHistory): void {
    for (const tx of h.txs) this.addHistoryTx(tx);
    for (const tx of h.txs) {
      const st = this.state(tx.txid);
      tx.vout.forEach((o, j) => {
        if (o.address !== address) return;
        // A complete history lists every transaction that spends from the address, the
        // unconfirmed ones included: an output of it that none of them spends is unspent,
        // and asking the explorer for its outspends would only confirm that.
        if (h.complete && st.spender?.[j] === undefined) setBit(st, j, UNSPENT);
        this.addSeedOutput(tx, j);
      });
    }
  }

  /** Spenders found in a seed's history: no outspends request is needed for those outputs. */
  private addHistoryTx(tx: Tx): void {
    if (!this.txs.has(tx.txid)) this.txs.set(tx.txid, tx);
    this.hold(tx);
    this.proveInputs(tx);
  }

  /** Each input of tx names tx as the spender of the output it spends (proven). */
  private proveInputs(tx: Tx): void {
    const self = this.state(tx.txid);
    for (const i of tx.vin) {
      if (i.coinbase) continue;
      const st = this.state(i.txid);
      (st.spender ??= [])[i.vout] = self;
      setBit(st, i.vout, PROVEN);
    }
  }

  /**
   * An outspends entry is believed only once its spender's own inputs spend the output; one
   * that names a transaction not spending it is an error on that output, never a quiet dead end.
   */
  private spends(tx: Tx, via: TxState, j: number): boolean {
    for (const i of tx.vin) if (!i.coinbase && i.vout === j && i.txid === via.txid) return true;
    const key = outpointKey(via.txid, j);
    this.fail(
      key,
      `the explorer's outspends say ${tx.txid} spends ${key}, but no input of ${tx.txid} spends it`,
    );
    return false;
  }

  protected addSeedOutput(tx: Tx, vout: number): void {
    const st = this.hold(tx);
    if (hasBit(st, vout, SEED)) return;
    const value = tx.vout[vout]!.value;
    setBit(st, vout, SEED);
    this.seedOut.add(outpointKey(tx.txid, vout));
    this.setOut(st, vout, fullTaint(value), 0);
    this.learnLabels(tx.vout.map((o) => o.address));
    this.noteFlags(tx);
    this.examine(st, vout);
  }

  private setOut(st: TxState, j: number, t: Taint, hop: number): void {
    (st.taint ??= [])[j] = t;
    (st.outHop ??= [])[j] = hop;
  }

  // ---- the fixed point -----------------------------------------------------------------

  /** Decides whether an output's spender must be followed, given what is known now. */
  private examine(st: TxState, j: number): void {
    const t = st.taint?.[j];
    if (!t || t.amount <= 0) return;
    if (!hasBit(st, j, SEED) && this.stopRule(st.tx?.vout[j]?.address ?? null) !== null) return;
    if (t.amount < this.opts.minSat) return;
    if (st.outHop![j]! >= this.opts.hops) return;
    this.follow(st, j);
  }

  private follow(st: TxState, j: number): void {
    if (hasBit(st, j, FOLLOWED)) return;
    setBit(st, j, FOLLOWED);
    const known = st.spender?.[j];
    if (known !== undefined) return this.reachSpender(known, st, j);
    if (hasBit(st, j, UNSPENT)) return;
    const asked = this.askOutspends(st, st.outHop![j]! + 1);
    if (asked === null) {
      const sp = st.spender?.[j];
      if (sp !== undefined) this.reachSpender(sp, st, j);
      return;
    }
    this.tracker.track(
      asked,
      () => {
        const sp = st.spender?.[j];
        if (sp !== undefined) this.reachSpender(sp, st, j);
        this.drain();
      },
      (e) => this.fail(outpointKey(st.txid, j), `outspends of ${st.txid}: ${describeError(e)}`),
    );
  }

  /**
   * Asks once per transaction; every caller shares the answer (recorded in spender/unspent).
   * Null when the answer is recorded already: the source held it (knownOutspends), so no
   * promise is made and the caller goes on at once.
   */
  private askOutspends(st: TxState, priority: number): Promise<void> | null {
    if (st.outspends !== undefined) return st.outspends;
    const known = this.deps.source.knownOutspends?.(st.txid);
    if (known !== undefined) {
      try {
        this.recordOutspends(st, known);
        st.outspends = null;
      } catch (e) {
        // The same failure the asynchronous path reports, through the same handlers.
        const failed = Promise.reject(e instanceof Error ? e : new Error(String(e)));
        failed.catch(() => {});
        st.outspends = failed;
      }
      return st.outspends;
    }
    st.outspends = withPriority(priority, () => this.deps.source.getOutspends(st.txid)).then((os) =>
      this.recordOutspends(st, os),
    );
    return st.outspends;
  }

  private recordOutspends(st: TxState, os: Outspend[]): void {
    const tx = st.tx;
    if (tx && os.length !== tx.vout.length) {
      throw new Error(`outspends of ${st.txid} has ${os.length} entries for ${tx.vout.length} outputs`);
    }
    os.forEach((o, j) => {
      // A spender proven by its own inputs is not overridden by an outspends entry.
      if (hasBit(st, j, PROVEN)) return;
      if (o.spent && o.txid) (st.spender ??= [])[j] = this.state(o.txid);
      else if (!o.spent) setBit(st, j, UNSPENT);
    });
  }

  private reachSpender(sp: TxState, via: TxState, j: number): void {
    const txid = sp.txid;
    if (sp.hop >= 0) {
      if (this.spends(sp.tx!, via, j)) this.dirty.add(txid);
      return;
    }
    if (sp.pending) {
      sp.pending.push([via, j]);
      return;
    }
    const walked = this.inSCount + this.pendingCount;
    if (walked >= this.opts.maxTxs && this.overLimit(walked, outpointKey(via.txid, j))) return;
    sp.pending = [[via, j]];
    this.pendingCount++;
    const have = this.txs.get(txid);
    const admit = (tx: Tx) => {
      const vias = sp.pending!.filter(([v, k]) => this.spends(tx, v, k));
      sp.pending = undefined;
      this.pendingCount--;
      this.txs.set(tx.txid, tx);
      sp.tx = tx;
      if (vias.length === 0) return; // it spends none of the outputs that led here
      const cj = this.deps.classify?.(tx) ?? [];
      if (cj.length > 0 && this.opts.stopAt.includes('coinjoin')) {
        for (const [v, k] of vias)
          this.stoppedAt.set(outpointKey(v.txid, k), `spent in CoinJoin ${txid} (${cj.join(', ')})`);
        return;
      }
      sp.hop = Number.POSITIVE_INFINITY;
      this.inSCount++;
      this.learnLabels(tx.vout.map((o) => o.address));
      this.noteFlags(tx, cj);
      this.proveInputs(tx);
      this.dirty.add(txid);
      this.deps.onProgress?.({ txs: this.inSCount });
    };
    // Its outspends are needed whatever its taint turns out to be (to tell unspent from
    // hop-limit at the frontier), so ask for them together with the body: one round trip a hop.
    // A failure here surfaces when an output of it is followed (follow asks again).
    // Ranked by the hop the spender would have: deeper requests go out first (schedule.ts).
    const priority = via.outHop![j]! + 1;
    const asked = this.askOutspends(sp, priority);
    if (asked !== null)
      this.tracker.track(
        asked,
        () => this.drain(),
        () => {},
      );
    const held = have ?? this.deps.source.knownTx?.(txid);
    if (held) {
      admit(held);
      return;
    }
    this.tracker.track(
      withPriority(priority, () => this.deps.source.getTx(txid)),
      (tx) => {
        admit(tx);
        this.drain();
      },
      (e) => {
        const vias = sp.pending ?? [];
        if (sp.pending) this.pendingCount--;
        sp.pending = undefined;
        for (const [v, k] of vias) this.fail(outpointKey(v.txid, k), `spender ${txid}: ${describeError(e)}`);
      },
    );
  }

  protected compute(txid: string): void {
    const st = this.states.get(txid)!;
    const tx = st.tx!;
    const n = tx.vin.length;
    const inputs = new Array<Taint | null>(n);
    const values = new Array<number>(n);
    const parents = this.parentsOf(st);
    let hop = Number.POSITIVE_INFINITY;
    for (let k = 0; k < n; k++) {
      const i = tx.vin[k]!;
      values[k] = i.prevout?.value ?? 0;
      inputs[k] = null;
      if (i.coinbase) continue;
      const parent = parents[k];
      const t = parent?.taint?.[i.vout];
      if (t && t.amount > 0) {
        inputs[k] = t;
        const h = parent.outHop![i.vout]! + 1;
        if (h < hop) hop = h;
      }
    }
    st.hop = hop;
    const outValues = new Array<number>(tx.vout.length);
    for (let j = 0; j < tx.vout.length; j++) outValues[j] = tx.vout[j]!.value;
    const res = this.opts.model.forward({ inputs: values, outputs: outValues }, inputs);
    st.feeTaint = res.fee;
    for (let j = 0; j < res.outputs.length; j++) {
      const t = res.outputs[j]!;
      if (hasBit(st, j, SEED)) continue; // a seed's output stays a full-taint hop-0 seed
      const prev = st.taint?.[j];
      if (prev && prev.amount === t.amount && st.outHop![j] === hop && sameRanges(prev, t)) continue;
      if (!prev && t.amount <= 0) continue;
      this.setOut(st, j, t, hop);
      const sp = st.spender?.[j];
      if (sp !== undefined && sp.hop >= 0) this.dirty.add(sp.txid);
      this.examine(st, j);
    }
  }

  // ---- results -------------------------------------------------------------------------

  private status(st: TxState, j: number, t: Taint, key: () => string): RowStatus {
    if (hasBit(st, j, SEED)) return 'seed';
    if (this.stopRule(st.tx!.vout[j]!.address) !== null) return 'stopped';
    if (this.stoppedAt.size > 0 && this.stoppedAt.has(key())) return 'stopped';
    if (t.amount < this.opts.minSat) return 'below-min';
    if (this.errors.size > 0 && this.errors.has(key())) return 'error';
    if (this.truncated.size > 0 && this.truncated.has(key())) return 'truncated';
    const sp = st.spender?.[j];
    if (sp !== undefined && sp.hop >= 0) return 'spent';
    if (hasBit(st, j, UNSPENT)) return 'unspent';
    if (st.outHop![j]! >= this.opts.hops) return 'hop-limit';
    return 'error';
  }

  protected rows(): FlowRow[] {
    const rows: FlowRow[] = [];
    const rare = this.errors.size > 0 || this.stoppedAt.size > 0 || this.truncated.size > 0;
    for (const st of this.states.values()) {
      const taints = st.taint;
      if (!taints) continue;
      const txid = st.txid;
      const tx = st.tx!;
      const flags = this.flags.get(txid) ?? [];
      taints.forEach((t, vout) => {
        if (!t || t.amount <= 0) return;
        let k: string | undefined;
        const key = () => (k ??= outpointKey(txid, vout));
        const o = tx.vout[vout]!;
        const status = this.status(st, vout, t, key);
        const rowFlags = [...flags];
        if (status === 'seed' && !hasBit(st, vout, FOLLOWED) && t.amount < this.opts.minSat)
          rowFlags.push('not-followed:below-min');
        rows.push({
          hop: st.outHop![vout]!,
          txid,
          vout,
          address: o.address,
          valueSat: o.value,
          taintedSat: t.amount,
          status,
          blockHeight: tx.status.height,
          blockTime: tx.status.time,
          ...this.labelFields(o.address),
          scriptType: o.scriptType,
          spentBy: st.spender?.[vout]?.txid ?? null,
          flags: rowFlags,
          // the stop rule that fired is named in the note; errors and cuts are rare, so their
          // maps (and the txid:vout key) are consulted only when they hold anything
          note:
            (rare ? this.stoppedAt.get(key()) : undefined) ??
            (status === 'stopped' ? this.stopRule(o.address) : null) ??
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
    for (const st of this.states.values()) {
      if (st.hop < 0) continue;
      const tx = st.tx!;
      let taintIn = 0;
      let taintOut = 0;
      const parents = this.parentsOf(st);
      for (let k = 0; k < tx.vin.length; k++) {
        const i = tx.vin[k]!;
        if (!i.coinbase) taintIn += parents[k]?.taint?.[i.vout]?.amount ?? 0;
      }
      for (let j = 0; j < tx.vout.length; j++)
        if (!hasBit(st, j, SEED)) taintOut += st.taint?.[j]?.amount ?? 0;
      txs.push({ txid: st.txid, hop: st.hop, taintIn, taintOut, feeTainted: st.feeTaint });
    }
    return txs;
  }
}
