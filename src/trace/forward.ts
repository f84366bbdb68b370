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
import { InputError } from '../model/errors.js';
import { NotFoundError } from '../sources/errors.js';
import type { FlowRow, RowStatus, TraceResult, TxTaintSummary } from './result.js';
import { fullTaint, type Taint, type TaintModel } from './taint.js';
import { Tracker } from './tracker.js';
import { SeedsFailedError } from './errors.js';
import { describeError, sortRows, type WalkDeps, type WalkOptions } from './walk-common.js';

interface OutState {
  taint: Taint;
  hop: number;
}

export async function traceForward(seeds: Seed[], opts: WalkOptions, deps: WalkDeps): Promise<TraceResult> {
  const walk = new ForwardWalk(opts, deps);
  return walk.run(seeds);
}

class ForwardWalk {
  private readonly tracker = new Tracker();
  private readonly model: TaintModel;
  /** Every transaction body we hold (seeds' histories and S). */
  private readonly txs = new Map<string, Tx>();
  /** S: transactions that spend tainted outputs, with their hop. */
  private readonly inS = new Map<string, number>();
  /** Transactions asked for but not yet in S, with the outpoints that led to them. */
  private readonly pending = new Map<string, Set<string>>();
  private readonly seedOut = new Set<string>();
  private readonly seedAddresses = new Set<string>();
  /** Taint and hop of every tainted output (seeds and outputs of S). */
  private readonly out = new Map<string, OutState>();
  private readonly feeTaint = new Map<string, number>();
  private readonly spender = new Map<string, string>();
  private readonly unspent = new Set<string>();
  private readonly outspends = new Map<string, Promise<void>>();
  private readonly followed = new Set<string>();
  private readonly truncated = new Set<string>();
  private readonly errors = new Map<string, string>();
  /** Outpoints not followed because their spender is a CoinJoin and the user stops there. */
  private readonly stoppedAt = new Map<string, string>();
  private readonly flags = new Map<string, string[]>();
  private readonly dirty = new Set<string>();
  private readonly warnings: string[] = [];
  private partial = false;
  private draining = false;

  constructor(
    private readonly opts: WalkOptions,
    private readonly deps: WalkDeps,
  ) {
    this.model = opts.model;
  }

  async run(seeds: Seed[]): Promise<TraceResult> {
    let tipHeight: number | null = null;
    this.tracker.track(
      this.deps.source.getTipHeight(),
      (h) => (tipHeight = h),
      (e) => this.warn(`chain tip height unavailable: ${describeError(e)}`),
    );
    for (const s of seeds) if (s.kind === 'address') this.seedAddresses.add(s.address);
    for (const s of seeds) this.startSeed(s);
    await this.tracker.idle();
    if (this.seedOut.size === 0 && this.partial) {
      throw new SeedsFailedError(this.warnings.join('; '));
    }
    return this.result(seeds, tipHeight);
  }

  // ---- seeds ---------------------------------------------------------------------------

  private startSeed(seed: Seed): void {
    const { source } = this.deps;
    if (seed.kind === 'address') {
      this.tracker.track(
        source.getAddressHistory(seed.address, this.opts.maxAddressTxs),
        (h) => {
          if (!h.complete) {
            this.partial = true;
            this.warn(
              `history of seed ${seed.address} cut at ${h.txs.length} transactions (--max-address-txs); older receipts are not in this trace`,
            );
          }
          for (const tx of h.txs) this.addHistoryTx(tx);
          for (const tx of h.txs) {
            tx.vout.forEach((o, j) => {
              if (o.address !== seed.address) return;
              // A complete history lists every transaction that spends from the address, the
              // unconfirmed ones included: an output of it that none of them spends is unspent,
              // and asking the explorer for its outspends would only confirm that.
              const key = outpointKey(tx.txid, j);
              if (h.complete && !this.spender.has(key)) this.unspent.add(key);
              this.addSeedOutput(tx, j);
            });
          }
          this.drain();
        },
        (e) => this.seedFailed(seed.input, e),
      );
      return;
    }
    this.tracker.track(
      source.getTx(seed.txid),
      (tx) => {
        this.txs.set(tx.txid, tx);
        if (seed.kind === 'outpoint') {
          if (seed.vout >= tx.vout.length) {
            throw new InputError(
              `${seed.input}: transaction ${seed.txid} has only ${tx.vout.length} outputs`,
            );
          }
          this.addSeedOutput(tx, seed.vout);
        } else {
          tx.vout.forEach((_, j) => this.addSeedOutput(tx, j));
        }
        this.drain();
      },
      (e) => this.seedFailed(seed.input, e),
    );
  }

  private seedFailed(input: string, e: unknown): void {
    if (e instanceof NotFoundError) {
      // The explorer does not know this txid: the user's input is wrong, not the network.
      throw new InputError(`${input}: the explorer has no such transaction (${e.message})`);
    }
    this.partial = true;
    this.warn(`seed ${input} could not be read: ${describeError(e)}`);
  }

  /** Spenders found in a seed's history: no outspends request is needed for those outputs. */
  private addHistoryTx(tx: Tx): void {
    if (!this.txs.has(tx.txid)) this.txs.set(tx.txid, tx);
    tx.vin.forEach((i) => {
      if (!i.coinbase) this.spender.set(outpointKey(i.txid, i.vout), tx.txid);
    });
  }

  private addSeedOutput(tx: Tx, vout: number): void {
    const key = outpointKey(tx.txid, vout);
    if (this.seedOut.has(key)) return;
    const value = tx.vout[vout]!.value;
    this.seedOut.add(key);
    this.out.set(key, { taint: fullTaint(value), hop: 0 });
    this.noteFlags(tx);
    this.examine(key);
  }

  // ---- the fixed point -----------------------------------------------------------------

  /** Decides whether an output's spender must be followed, given what is known now. */
  private examine(key: string): void {
    const st = this.out.get(key);
    if (!st || st.taint.amount <= 0) return;
    if (!this.seedOut.has(key) && this.stopCategory(key) !== null) return;
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
      if (o.spent && o.txid) this.spender.set(k, o.txid);
      else if (!o.spent) this.unspent.add(k);
    });
  }

  private reachSpender(txid: string, via: string): void {
    if (this.inS.has(txid)) {
      this.dirty.add(txid);
      return;
    }
    const waiting = this.pending.get(txid);
    if (waiting) {
      waiting.add(via);
      return;
    }
    if (this.inS.size + this.pending.size >= this.opts.maxTxs) {
      this.truncated.add(via);
      this.partial = true;
      this.warn(`--max-txs ${this.opts.maxTxs} reached: the walk stopped following new transactions`);
      return;
    }
    this.pending.set(txid, new Set([via]));
    const have = this.txs.get(txid);
    const admit = (tx: Tx) => {
      const vias = this.pending.get(txid)!;
      this.pending.delete(txid);
      this.txs.set(tx.txid, tx);
      const cj = this.deps.classify?.(tx) ?? [];
      if (cj.length > 0 && this.opts.stopAt.includes('coinjoin')) {
        for (const v of vias) this.stoppedAt.set(v, `spent in CoinJoin ${txid} (${cj.join(', ')})`);
        return;
      }
      this.inS.set(txid, Number.POSITIVE_INFINITY);
      this.noteFlags(tx, cj);
      tx.vin.forEach((i) => {
        if (!i.coinbase) this.spender.set(outpointKey(i.txid, i.vout), txid);
      });
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

  /** Recomputes dirty transactions until nothing changes. */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.dirty.size > 0) {
        const txid = this.dirty.values().next().value as string;
        this.dirty.delete(txid);
        this.compute(txid);
      }
    } finally {
      this.draining = false;
    }
  }

  private compute(txid: string): void {
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
    const res = this.model.forward({ inputs: values, outputs: tx.vout.map((o) => o.value) }, inputs);
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

  private stopCategory(key: string): string | null {
    const tx = this.txs.get(key.slice(0, 64));
    const addr = tx?.vout[Number(key.slice(65))]?.address;
    if (!addr) return null;
    const tag = this.deps.tags.get(addr);
    if (!tag) return null;
    return this.opts.stopAt.includes(tag.category) ? tag.category : null;
  }

  private status(key: string, st: OutState): RowStatus {
    if (this.seedOut.has(key)) return 'seed';
    if (this.stopCategory(key) !== null || this.stoppedAt.has(key)) return 'stopped';
    if (st.taint.amount < this.opts.minSat) return 'below-min';
    if (this.errors.has(key)) return 'error';
    if (this.truncated.has(key)) return 'truncated';
    const sp = this.spender.get(key);
    if (sp !== undefined && this.inS.has(sp)) return 'spent';
    if (this.unspent.has(key)) return 'unspent';
    if (st.hop >= this.opts.hops) return 'hop-limit';
    return 'error';
  }

  private result(seeds: Seed[], tipHeight: number | null): TraceResult {
    const rows: FlowRow[] = [];
    let seedTotal = 0;
    for (const [key, st] of this.out) {
      if (st.taint.amount <= 0) continue;
      const txid = key.slice(0, 64);
      const vout = Number(key.slice(65));
      const tx = this.txs.get(txid)!;
      const o = tx.vout[vout]!;
      const tag = o.address ? this.deps.tags.get(o.address) : undefined;
      const status = this.status(key, st);
      if (status === 'seed') seedTotal += o.value;
      let note = this.errors.get(key) ?? this.stoppedAt.get(key) ?? null;
      if (status === 'truncated') note = `not followed: --max-txs ${this.opts.maxTxs} reached`;
      if (status === 'error' && note === null) note = 'spender could not be determined';
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
        label: tag?.label ?? null,
        category: tag?.category ?? null,
        scriptType: o.scriptType,
        spentBy: this.spender.get(key) ?? null,
        flags: rowFlags,
        note,
      });
      if (status === 'error') this.partial = true;
    }
    if (this.errors.size > 0) {
      const [key, msg] = [...this.errors].sort()[0]!;
      this.warn(
        `${this.errors.size} output(s) could not be followed (see the note column), e.g. ${key}: ${msg}`,
      );
    }
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
    txs.sort((a, b) => a.hop - b.hop || (a.txid < b.txid ? -1 : a.txid > b.txid ? 1 : 0));
    return {
      direction: 'forward',
      model: this.model.name,
      seeds: seeds.map((s) => s.input),
      rows: sortRows(rows),
      txs,
      seedTotal,
      partial: this.partial,
      warnings: [...this.warnings],
      tipHeight,
    };
  }

  private noteFlags(tx: Tx, coinjoin?: string[]): void {
    if (this.flags.has(tx.txid)) return;
    const cj = coinjoin ?? this.deps.classify?.(tx) ?? [];
    const extra = this.deps.txFlags?.(tx) ?? [];
    this.flags.set(tx.txid, [...cj.map((n) => `coinjoin:${n}`), ...extra]);
  }

  private fail(key: string, msg: string): void {
    this.partial = true;
    if (!this.errors.has(key)) this.errors.set(key, msg);
  }

  private warn(msg: string): void {
    if (!this.warnings.includes(msg)) this.warnings.push(msg);
    this.deps.onWarning?.(msg);
  }
}

function sameRanges(a: Taint, b: Taint): boolean {
  if (a.ranges === b.ranges) return true;
  if (!a.ranges || !b.ranges || a.ranges.length !== b.ranges.length) return false;
  for (let i = 0; i < a.ranges.length; i++) if (a.ranges[i] !== b.ranges[i]) return false;
  return true;
}
