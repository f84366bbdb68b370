// Backward walk: "where did the money come from?"
//
// Mirror of the forward walk. The seeds' outputs carry an amount of interest (their whole
// value). The transaction that created an output of interest attributes that interest to its
// inputs through the model's backward rule; each input's previous output becomes a source row
// one hop further back, and is followed to the transaction that created it, and so on.
// Every output is spent by exactly one transaction, so its interest comes from one place;
// a creator is recomputed whenever interest on one of its outputs grows, and the walk ends at
// the same fixed point whatever order the explorer answers in.
// Requests: the seed addresses' histories, then one per creator not already among the bodies
// those histories brought (an address that paid itself change has its earlier transactions
// there), each asked as soon as the input that names it carries interest.
import { outpointKey, type Tx, type TxOut } from '../model/tx.js';
import type { Seed } from '../model/seed.js';
import type { AddressHistory } from '../sources/source.js';
import type { FlowRow, RowStatus, TraceResult, TxTaintSummary } from './result.js';
import { fullTaint, type Taint } from './taint.js';
import { withPriority } from '../sources/schedule.js';
import { DirtyQueue } from './dirty-queue.js';
import { WalkBase } from './walk-base.js';
import { describeError, type WalkDeps, type WalkOptions } from './walk-common.js';

interface SourceState {
  interest: Taint;
  hop: number;
  /** The output itself (known from the spending transaction's prevout, or its creator). */
  out: TxOut;
  /** The transaction that spends it toward the seeds (null for seeds not yet seen spent). */
  spentBy: string | null;
}

export function traceBackward(seeds: Seed[], opts: WalkOptions, deps: WalkDeps): Promise<TraceResult> {
  return new BackwardWalk(opts, deps).run(seeds);
}

class BackwardWalk extends WalkBase {
  /** Bodies the seeds' histories brought: a creator found here needs no request. */
  private readonly historyTxs = new Map<string, Tx>();
  /** Creators explored, with their hop (the smallest hop among their outputs of interest). */
  private readonly inS = new Map<string, number>();
  private readonly pending = new Map<string, Set<string>>();
  private readonly state = new Map<string, SourceState>();
  private readonly followed = new Set<string>();
  private readonly attributed = new Map<string, number>();
  /** Seed outpoint -> the transaction that spent it, from the seed's history. */
  private readonly seedSpentBy = new Map<string, string>();
  /** Named findings per transaction (CoinJoin detectors, coinbase ...), recorded once. */
  private readonly flags = new Map<string, string[]>();
  /** Transactions whose outputs' interest changed since they were last computed, in chain order. */
  private readonly dirty = new DirtyQueue((txid) => this.rank(txid));

  constructor(opts: WalkOptions, deps: WalkDeps) {
    super('backward', opts, deps);
  }

  protected onHistory(address: string, h: AddressHistory): void {
    for (const tx of h.txs) if (!this.historyTxs.has(tx.txid)) this.historyTxs.set(tx.txid, tx);
    for (const tx of h.txs)
      for (const i of tx.vin) if (!i.coinbase) this.seedSpentBy.set(outpointKey(i.txid, i.vout), tx.txid);
    for (const tx of h.txs) {
      tx.vout.forEach((o, j) => {
        if (o.address === address) this.addSeedOutput(tx, j);
      });
    }
  }

  protected addSeedOutput(tx: Tx, vout: number): void {
    const key = outpointKey(tx.txid, vout);
    if (this.seedOut.has(key)) return;
    const o = tx.vout[vout]!;
    this.seedOut.add(key);
    this.learnLabels([o.address]);
    this.state.set(key, {
      interest: fullTaint(o.value),
      hop: 0,
      out: o,
      spentBy: this.seedSpentBy.get(key) ?? null,
    });
    if (this.opts.hops <= 0) return;
    // A seed's creator is always explored: it is where the first sources are.
    this.followed.add(key);
    this.admit(tx);
  }

  private admit(tx: Tx): void {
    this.txs.set(tx.txid, tx);
    if (this.inS.has(tx.txid)) {
      this.dirty.add(tx.txid);
      return;
    }
    if (!this.flags.has(tx.txid)) this.flags.set(tx.txid, this.flagsOf(tx));
    this.inS.set(tx.txid, Number.POSITIVE_INFINITY);
    this.dirty.add(tx.txid);
    this.deps.onProgress?.({ txs: this.inS.size });
  }

  private examine(key: string): void {
    const st = this.state.get(key)!;
    if (st.interest.amount <= 0 || this.seedOut.has(key)) return;
    if (this.stopRule(this.addressInfo(st.out.address)) !== null) return;
    if (st.interest.amount < this.opts.minSat) return;
    if (st.hop >= this.opts.hops) return;
    this.follow(key);
  }

  private follow(key: string): void {
    if (this.followed.has(key)) return;
    this.followed.add(key);
    const txid = key.slice(0, 64);
    if (this.inS.has(txid)) return;
    const have = this.txs.get(txid) ?? this.historyTxs.get(txid);
    if (have) return this.admit(have);
    const waiting = this.pending.get(txid);
    if (waiting) {
      waiting.add(key);
      return;
    }
    if (this.overLimit(this.inS.size + this.pending.size, key)) return;
    // Held by the source already (memo): admitted at once, as its answer would be.
    const known = this.deps.source.knownTx?.(txid);
    if (known) return this.admit(known);
    this.pending.set(txid, new Set([key]));
    const hop = this.state.get(key)?.hop ?? 0;
    this.tracker.track(
      // deeper requests go out first (schedule.ts)
      withPriority(hop, () => this.deps.source.getTx(txid)),
      (tx) => {
        this.pending.delete(txid);
        this.admit(tx);
        this.drain();
      },
      (e) => {
        const keys = this.pending.get(txid) ?? new Set<string>();
        this.pending.delete(txid);
        for (const k of keys) this.fail(k, `creator ${txid}: ${describeError(e)}`);
      },
    );
  }

  /** Children before parents: a transaction's amount of interest comes from its spenders. */
  private rank(txid: string): number {
    return -(this.txs.get(txid)?.status.height ?? Number.MAX_SAFE_INTEGER);
  }

  protected computeDirty(): void {
    for (let txid = this.dirty.take(); txid !== undefined; txid = this.dirty.take()) this.compute(txid);
  }

  private compute(txid: string): void {
    const tx = this.txs.get(txid)!;
    const interest: (Taint | null)[] = [];
    let hop = Number.POSITIVE_INFINITY;
    tx.vout.forEach((_, j) => {
      const st = this.state.get(outpointKey(txid, j));
      if (st && st.interest.amount > 0) {
        interest.push(st.interest);
        hop = Math.min(hop, st.hop);
      } else interest.push(null);
    });
    this.inS.set(txid, hop);
    if (tx.vin.length === 0 || tx.vin[0]!.coinbase) {
      this.attributed.set(txid, 0);
      return; // newly mined coins: the trail ends here
    }
    const values = tx.vin.map((i) => i.prevout?.value ?? 0);
    this.learnLabels(tx.vin.map((i) => i.prevout?.address ?? null));
    const res = this.opts.model.backward({ inputs: values, outputs: tx.vout.map((o) => o.value) }, interest);
    let attributed = 0;
    res.inputs.forEach((t, i) => {
      const vin = tx.vin[i]!;
      const key = outpointKey(vin.txid, vin.vout);
      attributed += t.amount;
      if (this.seedOut.has(key)) {
        const seed = this.state.get(key)!;
        seed.spentBy ??= txid;
        return;
      }
      const prev = this.state.get(key);
      const nextHop = hop + 1;
      if (prev && prev.interest.amount === t.amount && prev.hop === nextHop) return;
      if (!prev && t.amount <= 0) return;
      this.state.set(key, { interest: t, hop: nextHop, out: vin.prevout!, spentBy: txid });
      if (this.inS.has(vin.txid)) this.dirty.add(vin.txid);
      this.examine(key);
    });
    this.attributed.set(txid, attributed);
  }

  private status(key: string, st: SourceState): RowStatus {
    if (this.seedOut.has(key)) return 'seed';
    const creator = this.txs.get(key.slice(0, 64));
    if (creator && this.inS.has(creator.txid) && creator.vin[0]?.coinbase) return 'coinbase';
    if (this.stopRule(this.addressInfo(st.out.address)) !== null) return 'stopped';
    if (st.interest.amount < this.opts.minSat) return 'below-min';
    if (this.errors.has(key)) return 'error';
    if (this.truncated.has(key)) return 'truncated';
    if (this.inS.has(key.slice(0, 64))) return 'spent';
    if (st.hop >= this.opts.hops) return 'hop-limit';
    return 'error';
  }

  protected rows(): FlowRow[] {
    const rows: FlowRow[] = [];
    for (const [key, st] of this.state) {
      if (st.interest.amount <= 0) continue;
      const txid = key.slice(0, 64);
      const creator = this.txs.get(txid);
      const status = this.status(key, st);
      rows.push({
        hop: st.hop,
        txid,
        vout: Number(key.slice(65)),
        address: st.out.address,
        valueSat: st.out.value,
        taintedSat: st.interest.amount,
        status,
        blockHeight: creator?.status.height ?? null,
        blockTime: creator?.status.time ?? null,
        ...this.labelFields(this.addressInfo(st.out.address)),
        scriptType: st.out.scriptType,
        spentBy: st.spentBy,
        flags: [...(this.flags.get(txid) ?? [])],
        note:
          (status === 'stopped' ? this.stopRule(this.addressInfo(st.out.address)) : null) ??
          this.noteFor(key, status, 'creating transaction could not be determined'),
      });
    }
    return rows;
  }

  protected txSummaries(): TxTaintSummary[] {
    const txs: TxTaintSummary[] = [];
    for (const [txid, hop] of this.inS) {
      const tx = this.txs.get(txid)!;
      let out = 0;
      tx.vout.forEach((_, j) => (out += this.state.get(outpointKey(txid, j))?.interest.amount ?? 0));
      txs.push({ txid, hop, taintIn: this.attributed.get(txid) ?? 0, taintOut: out, feeTainted: 0 });
    }
    return txs;
  }
}
