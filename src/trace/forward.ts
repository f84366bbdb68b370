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
import { outpointKey, type Outspend, type Tx } from '../model/tx.js';
import type { Seed } from '../model/seed.js';
import type { AddressHistory } from '../sources/source.js';
import type { FlowRow, RowStatus, TraceResult, TxTaintSummary } from './result.js';
import { fullTaint, type Taint } from './taint.js';
import { WalkBase } from './walk-base.js';
import { describeError, type WalkDeps, type WalkOptions } from './walk-common.js';

interface OutState {
  taint: Taint;
  hop: number;
}

export function traceForward(seeds: Seed[], opts: WalkOptions, deps: WalkDeps): Promise<TraceResult> {
  return new ForwardWalk(opts, deps).run(seeds);
}

class ForwardWalk extends WalkBase {
  /** S: transactions that spend tainted outputs, with their hop. */
  private readonly inS = new Map<string, number>();
  /** Transactions asked for but not yet in S, with the outpoints that led to them. */
  private readonly pending = new Map<string, Set<string>>();
  /** Taint and hop of every tainted output (seeds and outputs of S). */
  private readonly out = new Map<string, OutState>();
  private readonly feeTaint = new Map<string, number>();
  private readonly spender = new Map<string, string>();
  /** Outpoints whose spender is known from the spender's own inputs (not only from outspends). */
  private readonly proven = new Set<string>();
  private readonly unspent = new Set<string>();
  private readonly outspends = new Map<string, Promise<void>>();
  private readonly followed = new Set<string>();
  /** Outpoints not followed because their spender is a CoinJoin and the user stops there. */
  private readonly stoppedAt = new Map<string, string>();

  constructor(opts: WalkOptions, deps: WalkDeps) {
    super('forward', opts, deps);
  }

  // ---- seeds ---------------------------------------------------------------------------

  protected onHistory(address: string, h: AddressHistory): void {
    for (const tx of h.txs) this.addHistoryTx(tx);
    for (const tx of h.txs) {
      tx.vout.forEach((o, j) => {
        if (o.address !== address) return;
        // A complete history lists every transaction that spends from the address, the
        // unconfirmed ones included: an output of it that none of them spends is unspent,
        // and asking the explorer for its outspends would only confirm that.
        const key = outpointKey(tx.txid, j);
        if (h.complete && !this.spender.has(key)) this.unspent.add(key);
        this.addSeedOutput(tx, j);
      });
    }
  }

  /** Spenders found in a seed's history: no outspends request is needed for those outputs. */
  private addHistoryTx(tx: Tx): void {
    if (!this.txs.has(tx.txid)) this.txs.set(tx.txid, tx);
    tx.vin.forEach((i) => this.proveSpender(i.coinbase ? null : outpointKey(i.txid, i.vout), tx.txid));
  }

  private proveSpender(key: string | null, txid: string): void {
    if (key === null) return;
    this.spender.set(key, txid);
    this.proven.add(key);
  }

  /**
   * An outspends entry is believed only once its spender's own inputs spend the output; one
   * that names a transaction not spending it is an error on that output, never a quiet dead end.
   */
  private spends(tx: Tx, via: string): boolean {
    if (tx.vin.some((i) => !i.coinbase && outpointKey(i.txid, i.vout) === via)) return true;
    this.fail(
      via,
      `the explorer's outspends say ${tx.txid} spends ${via}, but no input of ${tx.txid} spends it`,
    );
    return false;
  }

  protected addSeedOutput(tx: Tx, vout: number): void {
    const key = outpointKey(tx.txid, vout);
    if (this.seedOut.has(key)) return;
    const value = tx.vout[vout]!.value;
    this.seedOut.add(key);
    this.out.set(key, { taint: fullTaint(value), hop: 0 });
    this.learnLabels(tx.vout.map((o) => o.address));
    this.noteFlags(tx);
    this.examine(key);
  }

  // ---- the fixed point -----------------------------------------------------------------

  /** Decides whether an output's spender must be followed, given what is known now. */
  private examine(key: string): void {
    const st = this.out.get(key);
    if (!st || st.taint.amount <= 0) return;
    if (!this.seedOut.has(key) && this.stopRule(this.addressOf(key)) !== null) return;
    if (st.taint.amount < this.opts.minSat) return;
    if (st.hop >= this.opts.hops) return;
    this.follow(key);
  }

  private follow(key: string): void {
    if (this.followed.has(key)) return;
    this.followed.add(key);
    const known = this.spender.get(key);
    if (known !== undefined) return this.reachSpender(known, key);
    if (this.unspent.has(key)) return;
    const txid = key.slice(0, 64);
    this.tracker.track(
      this.askOutspends(txid),
      () => {
        const sp = this.spender.get(key);
        if (sp !== undefined) this.reachSpender(sp, key);
        this.drain();
      },
      (e) => this.fail(key, `outspends of ${txid}: ${describeError(e)}`),
    );
  }

  /** Asks once per transaction; every caller shares the answer (recorded in spender/unspent). */
  private askOutspends(txid: string): Promise<void> {
    let p = this.outspends.get(txid);
    if (!p) {
      p = this.deps.source.getOutspends(txid).then((os) => this.recordOutspends(txid, os));
      this.outspends.set(txid, p);
    }
    return p;
  }

  private recordOutspends(txid: string, os: Outspend[]): void {
    const tx = this.txs.get(txid);
    if (tx && os.length !== tx.vout.length) {
      throw new Error(`outspends of ${txid} has ${os.length} entries for ${tx.vout.length} outputs`);
    }
    os.forEach((o, j) => {
      const k = outpointKey(txid, j);
      // A spender proven by its own inputs is not overridden by an outspends entry.
      if (this.proven.has(k)) return;
      if (o.spent && o.txid) this.spender.set(k, o.txid);
      else if (!o.spent) this.unspent.add(k);
    });
  }

  private reachSpender(txid: string, via: string): void {
    if (this.inS.has(txid)) {
      if (this.spends(this.txs.get(txid)!, via)) this.dirty.add(txid);
      return;
    }
    const waiting = this.pending.get(txid);
    if (waiting) {
      waiting.add(via);
      return;
    }
    if (this.overLimit(this.inS.size + this.pending.size, via)) return;
    this.pending.set(txid, new Set([via]));
    const have = this.txs.get(txid);
    const admit = (tx: Tx) => {
      const vias = new Set([...this.pending.get(txid)!].filter((v) => this.spends(tx, v)));
      this.pending.delete(txid);
      this.txs.set(tx.txid, tx);
      if (vias.size === 0) return; // it spends none of the outputs that led here
      const cj = this.deps.classify?.(tx) ?? [];
      if (cj.length > 0 && this.opts.stopAt.includes('coinjoin')) {
        for (const v of vias) this.stoppedAt.set(v, `spent in CoinJoin ${txid} (${cj.join(', ')})`);
        return;
      }
      this.inS.set(txid, Number.POSITIVE_INFINITY);
      this.learnLabels(tx.vout.map((o) => o.address));
      this.noteFlags(tx, cj);
      tx.vin.forEach((i) => this.proveSpender(i.coinbase ? null : outpointKey(i.txid, i.vout), txid));
      this.dirty.add(txid);
      this.deps.onProgress?.({ txs: this.inS.size });
    };
    // Its outspends are needed whatever its taint turns out to be (to tell unspent from
    // hop-limit at the frontier), so ask for them together with the body: one round trip a hop.
    // A failure here surfaces when an output of it is followed (follow asks again).
    this.tracker.track(
      this.askOutspends(txid),
      () => this.drain(),
      () => {},
    );
    if (have) {
      admit(have);
      return;
    }
    this.tracker.track(
      this.deps.source.getTx(txid),
      (tx) => {
        admit(tx);
        this.drain();
      },
      (e) => {
        const vias = this.pending.get(txid) ?? new Set<string>();
        this.pending.delete(txid);
        for (const v of vias) this.fail(v, `spender ${txid}: ${describeError(e)}`);
      },
    );
  }

  protected compute(txid: string): void {
    const tx = this.txs.get(txid)!;
    const inputs: (Taint | null)[] = [];
    const values: number[] = [];
    let hop = Number.POSITIVE_INFINITY;
    for (const i of tx.vin) {
      values.push(i.prevout?.value ?? 0);
      const st = i.coinbase ? undefined : this.out.get(outpointKey(i.txid, i.vout));
      if (st && st.taint.amount > 0) {
        inputs.push(st.taint);
        hop = Math.min(hop, st.hop + 1);
      } else inputs.push(null);
    }
    this.inS.set(txid, hop);
    const res = this.opts.model.forward({ inputs: values, outputs: tx.vout.map((o) => o.value) }, inputs);
    this.feeTaint.set(txid, res.fee);
    res.outputs.forEach((t, j) => {
      const key = outpointKey(txid, j);
      if (this.seedOut.has(key)) return; // a seed's output stays a full-taint hop-0 seed
      const prev = this.out.get(key);
      if (prev && prev.taint.amount === t.amount && prev.hop === hop && sameRanges(prev.taint, t)) return;
      if (!prev && t.amount <= 0) return;
      this.out.set(key, { taint: t, hop });
      const sp = this.spender.get(key);
      if (sp !== undefined && this.inS.has(sp)) this.dirty.add(sp);
      this.examine(key);
    });
  }

  // ---- results -------------------------------------------------------------------------

  private addressOf(key: string): string | null {
    return this.txs.get(key.slice(0, 64))?.vout[Number(key.slice(65))]?.address ?? null;
  }

  private status(key: string, st: OutState): RowStatus {
    if (this.seedOut.has(key)) return 'seed';
    if (this.stopRule(this.addressOf(key)) !== null || this.stoppedAt.has(key)) return 'stopped';
    if (st.taint.amount < this.opts.minSat) return 'below-min';
    if (this.errors.has(key)) return 'error';
    if (this.truncated.has(key)) return 'truncated';
    const sp = this.spender.get(key);
    if (sp !== undefined && this.inS.has(sp)) return 'spent';
    if (this.unspent.has(key)) return 'unspent';
    if (st.hop >= this.opts.hops) return 'hop-limit';
    return 'error';
  }

  protected rows(): FlowRow[] {
    const rows: FlowRow[] = [];
    for (const [key, st] of this.out) {
      if (st.taint.amount <= 0) continue;
      const txid = key.slice(0, 64);
      const vout = Number(key.slice(65));
      const tx = this.txs.get(txid)!;
      const o = tx.vout[vout]!;
      const status = this.status(key, st);
      const rowFlags = [...(this.flags.get(txid) ?? [])];
      if (status === 'seed' && !this.followed.has(key) && st.taint.amount < this.opts.minSat)
        rowFlags.push('not-followed:below-min');
      rows.push({
        hop: st.hop,
        txid,
        vout,
        address: o.address,
        valueSat: o.value,
        taintedSat: st.taint.amount,
        status,
        blockHeight: tx.status.height,
        blockTime: tx.status.time,
        ...this.labelFields(o.address),
        scriptType: o.scriptType,
        spentBy: this.spender.get(key) ?? null,
        flags: rowFlags,
        note:
          this.stoppedAt.get(key) ??
          (status === 'stopped' ? this.stopRule(o.address) : null) ??
          this.noteFor(key, status, 'spender could not be determined'),
      });
    }
    return rows;
  }

  protected txSummaries(): TxTaintSummary[] {
    const txs: TxTaintSummary[] = [];
    for (const [txid, hop] of this.inS) {
      const tx = this.txs.get(txid)!;
      let taintIn = 0;
      let taintOut = 0;
      for (const i of tx.vin)
        if (!i.coinbase) taintIn += this.out.get(outpointKey(i.txid, i.vout))?.taint.amount ?? 0;
      tx.vout.forEach((_, j) => {
        const k = outpointKey(txid, j);
        if (!this.seedOut.has(k)) taintOut += this.out.get(k)?.taint.amount ?? 0;
      });
      txs.push({ txid, hop, taintIn, taintOut, feeTainted: this.feeTaint.get(txid) ?? 0 });
    }
    return txs;
  }
}

function sameRanges(a: Taint, b: Taint): boolean {
  if (a.ranges === b.ranges) return true;
  if (!a.ranges || !b.ranges || a.ranges.length !== b.ranges.length) return false;
  for (let i = 0; i < a.ranges.length; i++) if (a.ranges[i] !== b.ranges[i]) return false;
  return true;
}
