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
import { InputError } from '../model/errors.js';
import { NotFoundError } from '../sources/errors.js';
import type { FlowRow, RowStatus, TraceResult, TxTaintSummary } from './result.js';
import { fullTaint, type Taint, type TaintModel } from './taint.js';
import { Tracker } from './tracker.js';
import { SeedsFailedError } from './errors.js';
import { describeError, sortRows, type WalkDeps, type WalkOptions } from './walk-common.js';

interface SourceState {
  interest: Taint;
  hop: number;
  /** The output itself (known from the spending transaction's prevout, or its creator). */
  out: TxOut;
  /** The transaction that spends it toward the seeds (null for seeds not yet seen spent). */
  spentBy: string | null;
}

export async function traceBackward(seeds: Seed[], opts: WalkOptions, deps: WalkDeps): Promise<TraceResult> {
  return new BackwardWalk(opts, deps).run(seeds);
}

class BackwardWalk {
  private readonly tracker = new Tracker();
  private readonly model: TaintModel;
  private readonly txs = new Map<string, Tx>();
  /** Bodies the seeds' histories brought: a creator found here needs no request. */
  private readonly historyTxs = new Map<string, Tx>();
  /** Creators explored, with their hop (the smallest hop among their outputs of interest). */
  private readonly inS = new Map<string, number>();
  private readonly pending = new Map<string, Set<string>>();
  private readonly seedOut = new Set<string>();
  private readonly state = new Map<string, SourceState>();
  private readonly followed = new Set<string>();
  private readonly truncated = new Set<string>();
  private readonly errors = new Map<string, string>();
  private readonly flags = new Map<string, string[]>();
  private readonly attributed = new Map<string, number>();
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
    for (const s of seeds) this.startSeed(s);
    await this.tracker.idle();
    if (this.seedOut.size === 0 && this.partial) throw new SeedsFailedError(this.warnings.join('; '));
    return this.result(seeds, tipHeight);
  }

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
          const spentBy = new Map<string, string>();
          for (const tx of h.txs) if (!this.historyTxs.has(tx.txid)) this.historyTxs.set(tx.txid, tx);
          for (const tx of h.txs)
            for (const i of tx.vin) if (!i.coinbase) spentBy.set(outpointKey(i.txid, i.vout), tx.txid);
          for (const tx of h.txs) {
            tx.vout.forEach((o, j) => {
              if (o.address === seed.address)
                this.addSeedOutput(tx, j, spentBy.get(outpointKey(tx.txid, j)) ?? null);
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
        if (seed.kind === 'outpoint') {
          if (seed.vout >= tx.vout.length) {
            throw new InputError(
              `${seed.input}: transaction ${seed.txid} has only ${tx.vout.length} outputs`,
            );
          }
          this.addSeedOutput(tx, seed.vout, null);
        } else {
          tx.vout.forEach((_, j) => this.addSeedOutput(tx, j, null));
        }
        this.drain();
      },
      (e) => this.seedFailed(seed.input, e),
    );
  }

  private seedFailed(input: string, e: unknown): void {
    if (e instanceof NotFoundError)
      throw new InputError(`${input}: the explorer has no such transaction (${e.message})`);
    this.partial = true;
    this.warn(`seed ${input} could not be read: ${describeError(e)}`);
  }

  private addSeedOutput(tx: Tx, vout: number, spentBy: string | null): void {
    const key = outpointKey(tx.txid, vout);
    if (this.seedOut.has(key)) return;
    const o = tx.vout[vout]!;
    this.seedOut.add(key);
    this.state.set(key, { interest: fullTaint(o.value), hop: 0, out: o, spentBy });
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
    if (!this.flags.has(tx.txid)) {
      const cj = this.deps.classify?.(tx) ?? [];
      const mined = tx.vin[0]?.coinbase ? ['coinbase'] : [];
      this.flags.set(tx.txid, [
        ...mined,
        ...cj.map((n) => `coinjoin:${n}`),
        ...(this.deps.txFlags?.(tx) ?? []),
      ]);
    }
    this.inS.set(tx.txid, Number.POSITIVE_INFINITY);
    this.dirty.add(tx.txid);
    this.deps.onProgress?.({ txs: this.inS.size });
  }

  private examine(key: string): void {
    const st = this.state.get(key)!;
    if (st.interest.amount <= 0 || this.seedOut.has(key)) return;
    if (this.stopCategory(st.out) !== null) return;
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
    if (this.inS.size + this.pending.size >= this.opts.maxTxs) {
      this.truncated.add(key);
      this.partial = true;
      this.warn(`--max-txs ${this.opts.maxTxs} reached: the walk stopped following new transactions`);
      return;
    }
    this.pending.set(txid, new Set([key]));
    this.tracker.track(
      this.deps.source.getTx(txid),
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
    const res = this.model.backward({ inputs: values, outputs: tx.vout.map((o) => o.value) }, interest);
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

  private stopCategory(o: TxOut): string | null {
    if (!o.address) return null;
    const tag = this.deps.tags.get(o.address);
    return tag && this.opts.stopAt.includes(tag.category) ? tag.category : null;
  }

  private status(key: string, st: SourceState): RowStatus {
    if (this.seedOut.has(key)) return 'seed';
    const creator = this.txs.get(key.slice(0, 64));
    if (creator && this.inS.has(creator.txid) && creator.vin[0]?.coinbase) return 'coinbase';
    if (this.stopCategory(st.out) !== null) return 'stopped';
    if (st.interest.amount < this.opts.minSat) return 'below-min';
    if (this.errors.has(key)) return 'error';
    if (this.truncated.has(key)) return 'truncated';
    if (this.inS.has(key.slice(0, 64))) return 'spent';
    if (st.hop >= this.opts.hops) return 'hop-limit';
    return 'error';
  }

  private result(seeds: Seed[], tipHeight: number | null): TraceResult {
    const rows: FlowRow[] = [];
    let seedTotal = 0;
    for (const [key, st] of this.state) {
      if (st.interest.amount <= 0) continue;
      const txid = key.slice(0, 64);
      const vout = Number(key.slice(65));
      const creator = this.txs.get(txid);
      const tag = st.out.address ? this.deps.tags.get(st.out.address) : undefined;
      const status = this.status(key, st);
      if (status === 'seed') seedTotal += st.out.value;
      if (status === 'error') this.partial = true;
      let note = this.errors.get(key) ?? null;
      if (status === 'truncated') note = `not followed: --max-txs ${this.opts.maxTxs} reached`;
      if (status === 'error' && note === null) note = 'creating transaction could not be determined';
      rows.push({
        hop: st.hop,
        txid,
        vout,
        address: st.out.address,
        valueSat: st.out.value,
        taintedSat: st.interest.amount,
        status,
        blockHeight: creator?.status.height ?? null,
        blockTime: creator?.status.time ?? null,
        label: tag?.label ?? null,
        category: tag?.category ?? null,
        scriptType: st.out.scriptType,
        spentBy: st.spentBy,
        flags: [...(this.flags.get(txid) ?? [])],
        note,
      });
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
      let out = 0;
      tx.vout.forEach((_, j) => (out += this.state.get(outpointKey(txid, j))?.interest.amount ?? 0));
      txs.push({ txid, hop, taintIn: this.attributed.get(txid) ?? 0, taintOut: out, feeTainted: 0 });
    }
    txs.sort((a, b) => a.hop - b.hop || (a.txid < b.txid ? -1 : a.txid > b.txid ? 1 : 0));
    return {
      direction: 'backward',
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

  private fail(key: string, msg: string): void {
    this.partial = true;
    if (!this.errors.has(key)) this.errors.set(key, msg);
  }

  private warn(msg: string): void {
    if (!this.warnings.includes(msg)) this.warnings.push(msg);
    this.deps.onWarning?.(msg);
  }
}
