// Forward walk: "where did the money go?" (the search; forward.ts reads the result off it)
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
import { outpointKey, type Tx } from '../model/tx.js';
import type { AddressHistory } from '../sources/source.js';
import { fullTaint, type Taint } from './taint.js';
import { withPriority } from '../sources/schedule.js';
import { StateTable } from './state-table.js';
import { WalkBase, type AddressInfo } from './walk-base.js';
import { describeError, type WalkDeps, type WalkOptions } from './walk-common.js';
import {
  FOLLOWED,
  hasBit,
  outHop,
  sameRanges,
  SEED,
  setBit,
  UNSPENT,
  type TxState,
} from './forward-state.js';

export abstract class ForwardSearch extends WalkBase {
  protected readonly table = new StateTable();
  /** |S| and the transactions asked for but not yet in S (for --max-txs). */
  private inSCount = 0;
  private pendingCount = 0;
  /** Outpoints not followed because their spender is a CoinJoin and the user stops there. */
  protected readonly stoppedAt = new Map<string, string>();

  constructor(opts: WalkOptions, deps: WalkDeps) {
    super('forward', opts, deps);
  }

  /** The body the walk holds for tx's txid (the first one read) and its state. */
  private hold(tx: Tx): TxState {
    const st = this.table.state(tx.txid);
    st.tx ??= tx;
    return st;
  }

  protected computeDirty(): void {
    for (let st = this.table.takeDirty(); st !== undefined; st = this.table.takeDirty()) this.compute(st);
  }

  /** Reads the labels of st's output addresses (one lookup for the transaction). */
  private learnOutputs(st: TxState): void {
    st.outInfo ??= this.learnLabels(st.tx!.vout.map((o) => o.address));
  }

  protected outInfo(st: TxState, j: number): AddressInfo | null {
    if (st.outInfo === undefined) this.learnOutputs(st);
    return st.outInfo![j] ?? null;
  }

  private noteFlags(st: TxState, coinjoin?: string[]): void {
    st.flags ??= this.flagsOf(st.tx!, coinjoin);
  }

  // ---- seeds ---------------------------------------------------------------------------

  protected onHistory(address: string, h: AddressHistory): void {
    for (const tx of h.txs) this.addHistoryTx(tx);
    for (const tx of h.txs) {
      const st = this.table.state(tx.txid);
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
    this.table.proveInputs(this.hold(tx));
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
    this.setOut(st, vout, fullTaint(value));
    this.learnOutputs(st);
    this.noteFlags(st);
    this.examine(st, vout);
  }

  /** Sets an output's taint, and queues its spender (if in S) to be computed again. */
  private setOut(st: TxState, j: number, t: Taint): void {
    (st.taint ??= [])[j] = t;
    const sp = st.spender?.[j];
    if (sp !== undefined && sp.hop >= 0) this.table.markDirty(sp);
  }

  // ---- the fixed point -----------------------------------------------------------------

  /** Decides whether an output's spender must be followed, given what is known now. */
  private examine(st: TxState, j: number): void {
    const t = st.taint?.[j];
    if (!t || t.amount <= 0) return;
    if (!hasBit(st, j, SEED) && this.stopRule(this.outInfo(st, j)) !== null) return;
    if (t.amount < this.opts.minSat) return;
    if (outHop(st, j) >= this.opts.hops) return;
    this.follow(st, j);
  }

  private follow(st: TxState, j: number): void {
    if (hasBit(st, j, FOLLOWED)) return;
    setBit(st, j, FOLLOWED);
    const known = st.spender?.[j];
    if (known !== undefined) return this.reachSpender(known, st, j);
    if (hasBit(st, j, UNSPENT)) return;
    const asked = this.askOutspends(st, outHop(st, j) + 1);
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
        this.table.recordOutspends(st, known);
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
      this.table.recordOutspends(st, os),
    );
    return st.outspends;
  }

  private reachSpender(sp: TxState, via: TxState, j: number): void {
    const txid = sp.txid;
    if (sp.hop >= 0) {
      if (this.spends(sp.tx!, via, j)) this.table.markDirty(sp);
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
    // Its outspends are needed whatever its taint turns out to be (to tell unspent from
    // hop-limit at the frontier), so ask for them together with the body: one round trip a hop.
    // A failure here surfaces when an output of it is followed (follow asks again).
    // Ranked by the hop the spender would have: deeper requests go out first (schedule.ts).
    const priority = outHop(via, j) + 1;
    const asked = this.askOutspends(sp, priority);
    if (asked !== null)
      this.tracker.track(
        asked,
        () => this.drain(),
        () => {},
      );
    const held = sp.tx ?? this.deps.source.knownTx?.(txid);
    if (held) {
      this.admit(sp, held);
      return;
    }
    this.tracker.track(
      withPriority(priority, () => this.deps.source.getTx(txid)),
      (tx) => {
        this.admit(sp, tx);
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

  /** The spender's body arrived: it joins S if it spends an output that led here. */
  private admit(sp: TxState, answer: Tx): void {
    const tx = (sp.tx ??= answer);
    const vias = sp.pending!.filter(([v, k]) => this.spends(tx, v, k));
    sp.pending = undefined;
    this.pendingCount--;
    if (vias.length === 0) return; // it spends none of the outputs that led here
    const cj = this.deps.classify?.(tx) ?? [];
    if (cj.length > 0 && this.opts.stopAt.includes('coinjoin')) {
      for (const [v, k] of vias)
        this.stoppedAt.set(outpointKey(v.txid, k), `spent in CoinJoin ${sp.txid} (${cj.join(', ')})`);
      return;
    }
    sp.hop = Number.POSITIVE_INFINITY;
    this.inSCount++;
    this.learnOutputs(sp);
    this.noteFlags(sp, cj);
    this.table.proveInputs(sp);
    this.table.markDirty(sp);
    this.deps.onProgress?.({ txs: this.inSCount });
  }

  private compute(st: TxState): void {
    const tx = st.tx!;
    const n = tx.vin.length;
    const inputs = new Array<Taint | null>(n);
    const parents = this.table.parentsOf(st);
    let hop = Number.POSITIVE_INFINITY;
    let taintIn = 0;
    for (let k = 0; k < n; k++) {
      const i = tx.vin[k]!;
      inputs[k] = null;
      if (i.coinbase) continue;
      const parent = parents[k];
      const t = parent?.taint?.[i.vout];
      if (t && t.amount > 0) {
        inputs[k] = t;
        taintIn += t.amount;
        const h = outHop(parent, i.vout) + 1;
        if (h < hop) hop = h;
      }
    }
    // an output's hop is its transaction's (outHop): a change of it is a change of every output
    const hopChanged = st.hop !== hop;
    st.hop = hop;
    st.taintIn = taintIn;
    const res = this.opts.model.forward({ inputs: st.inValues!, outputs: st.outValues! }, inputs);
    st.feeTaint = res.fee;
    let taintOut = 0;
    for (let j = 0; j < res.outputs.length; j++) {
      const t = res.outputs[j]!;
      if (hasBit(st, j, SEED)) continue; // a seed's output stays a full-taint hop-0 seed
      taintOut += t.amount;
      const prev = st.taint?.[j];
      if (prev && prev.amount === t.amount && !hopChanged && sameRanges(prev, t)) continue;
      if (!prev && t.amount <= 0) continue;
      this.setOut(st, j, t);
      this.examine(st, j);
    }
    st.taintOut = taintOut;
  }
}
