// What the forward and backward walks share: loading seeds, the work tracker, the
// recompute-until-stable loop, error and warning bookkeeping, and assembling the result.
// Each direction supplies how a seed's outputs enter the walk, how one transaction is
// computed, and how rows and per-transaction figures are read off at the end.
import type { Label } from '../labels/label.js';
import { firedStopRule } from '../labels/stop-rules.js';
import { InputError } from '../model/errors.js';
import type { Seed } from '../model/seed.js';
import type { Tx } from '../model/tx.js';
import { IntegrityError, NotFoundError } from '../sources/errors.js';
import type { AddressHistory } from '../sources/source.js';
import { SeedsFailedError } from './errors.js';
import { sortRows, sortTxs } from './order.js';
import type { Direction, FlowRow, TraceResult, TxTaintSummary } from './result.js';
import { Tracker } from './tracker.js';
import { DirtyQueue } from './dirty-queue.js';
import { describeError, type WalkDeps, type WalkOptions } from './walk-common.js';

export abstract class WalkBase {
  protected readonly tracker = new Tracker();
  /** Every transaction body the walk holds. */
  protected readonly txs = new Map<string, Tx>();
  protected readonly seedOut = new Set<string>();
  /** Outpoint -> why it could not be followed. */
  protected readonly errors = new Map<string, string>();
  /** Outpoints --max-txs kept the walk from following. */
  protected readonly truncated = new Set<string>();
  /** Named findings per transaction (CoinJoin detectors, coinbase ...). */
  protected readonly flags = new Map<string, string[]>();
  /** Transactions whose inputs changed since they were last computed, in chain order. */
  protected readonly dirty = new DirtyQueue((txid) => this.rank(txid));
  /** Labels of every address looked up so far (an empty list: looked up, none). */
  private readonly labelsOf = new Map<string, readonly Label[]>();
  private readonly stopRules = new Map<string, string | null>();
  protected partial = false;
  private readonly warnings: string[] = [];
  private draining = false;

  constructor(
    protected readonly direction: Direction,
    protected readonly opts: WalkOptions,
    protected readonly deps: WalkDeps,
  ) {}

  /** A seed address's history arrived (complete or cut). */
  protected abstract onHistory(address: string, history: AddressHistory): void;
  /** A seed output enters the walk. */
  protected abstract addSeedOutput(tx: Tx, vout: number): void;
  /** Recomputes one transaction from what is known of its neighbours. */
  protected abstract compute(txid: string): void;
  protected abstract rows(): FlowRow[];
  protected abstract txSummaries(): TxTaintSummary[];

  /**
   * Where a transaction comes in the recompute order: forward, parents before children (block
   * height, unconfirmed last); backward overrides it with the mirror image.
   */
  protected rank(txid: string): number {
    return this.txs.get(txid)?.status.height ?? Number.MAX_SAFE_INTEGER;
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
    if (this.seedOut.size === 0 && this.partial) {
      const why = this.warnings.find((w) => w.startsWith('seed ')) ?? this.warnings[0] ?? 'no answer';
      throw new SeedsFailedError(`nothing traced: ${why}`);
    }
    const rows = this.rows();
    if (rows.some((r) => r.status === 'error')) this.partial = true;
    const seedTotal = rows.reduce((s, r) => s + (r.status === 'seed' ? r.valueSat : 0), 0);
    // Each value is at most 2.1e15 and each transaction's sums too (src/sources/parse.ts); a total
    // over many transactions could still pass 2^53 only with invented values: refuse, never round.
    if (!Number.isSafeInteger(seedTotal)) {
      throw new IntegrityError(
        `the seed outputs total more than ${Number.MAX_SAFE_INTEGER} sat: the explorer's values cannot be real`,
        'seeds',
      );
    }
    if (this.errors.size > 0) {
      const [key, msg] = [...this.errors].sort()[0]!;
      this.warn(
        `${this.errors.size} output(s) could not be followed (see the note column), e.g. ${key}: ${msg}`,
      );
    }
    return {
      direction: this.direction,
      model: this.opts.model.name,
      seeds: seeds.map((s) => s.input),
      rows: sortRows(rows),
      txs: sortTxs(this.txSummaries()),
      seedTotal,
      partial: this.partial,
      warnings: [...this.warnings],
      tipHeight,
    };
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
          this.onHistory(seed.address, h);
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
    // The explorer does not know this txid: the user's input is wrong, not the network.
    if (e instanceof NotFoundError)
      throw new InputError(`${input}: the explorer has no such transaction (${e.message})`);
    this.partial = true;
    this.warn(`seed ${input} could not be read: ${describeError(e)}`);
  }

  /** Recomputes dirty transactions until nothing changes. */
  protected drain(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.tracker.track(
      new Promise<void>((r) => setImmediate(r)),
      () => {
        this.scheduled = false;
        this.drainNow();
      },
      () => {},
    );
  }

  private scheduled = false;

  private drainNow(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let txid = this.dirty.take(); txid !== undefined; txid = this.dirty.take()) this.compute(txid);
    } finally {
      this.draining = false;
    }
  }

  /** True (and the cut recorded) when one more transaction would pass --max-txs. */
  protected overLimit(walked: number, key: string): boolean {
    if (walked < this.opts.maxTxs) return false;
    this.truncated.add(key);
    this.partial = true;
    this.warn(`--max-txs ${this.opts.maxTxs} reached: the walk stopped following new transactions`);
    return true;
  }

  /** Records a transaction's findings once: CoinJoin detectors (given, or asked now) and extras. */
  protected noteFlags(tx: Tx, coinjoin?: string[]): void {
    if (this.flags.has(tx.txid)) return;
    const cj = coinjoin ?? this.deps.classify?.(tx) ?? [];
    const mined = tx.vin[0]?.coinbase ? ['coinbase'] : [];
    this.flags.set(tx.txid, [
      ...mined,
      ...cj.map((n) => `coinjoin:${n}`),
      ...(this.deps.txFlags?.(tx) ?? []),
    ]);
  }

  /** Looks up, in one call, the labels of those addresses not looked up yet (one transaction's). */
  protected learnLabels(addresses: readonly (string | null)[]): void {
    const todo = [...new Set(addresses.filter((a): a is string => a !== null && !this.labelsOf.has(a)))];
    if (todo.length === 0) return;
    const found = this.deps.labels.lookup(todo);
    for (const a of todo) this.labelsOf.set(a, found.get(a) ?? []);
  }

  /** The address's labels, best first (looked up now if its transaction's were not). */
  protected labels(address: string | null): readonly Label[] {
    if (!address) return [];
    this.learnLabels([address]);
    return this.labelsOf.get(address)!;
  }

  /** The stop rule that fires at a labelled address, or null when the walk goes on through it. */
  protected stopRule(address: string | null): string | null {
    if (!address) return null;
    // examine() asks again on every change of an output's taint: answer from the first time
    let rule = this.stopRules.get(address);
    if (rule === undefined) {
      rule = firedStopRule(this.labels(address), {
        terms: this.opts.stopAt,
        labels: this.opts.stopAtLabels ?? [],
      });
      this.stopRules.set(address, rule);
    }
    return rule;
  }

  /** The label fields of a row at this address (its best label first). */
  protected labelFields(
    address: string | null,
  ): Pick<FlowRow, 'label' | 'category' | 'abuse' | 'labelConfidence' | 'labelSource' | 'labels'> {
    const ls = this.labels(address);
    const best = ls[0];
    return {
      label: best?.label ?? null,
      category: best?.category ?? null,
      abuse: best?.abuse ?? null,
      labelConfidence: best?.confidence ?? null,
      labelSource: best?.source ?? null,
      labels: ls,
    };
  }

  /** The note a row carries for its status (errors, cuts), or null. */
  protected noteFor(key: string, status: FlowRow['status'], missing: string): string | null {
    if (status === 'truncated') return `not followed: --max-txs ${this.opts.maxTxs} reached`;
    if (status === 'error') return this.errors.get(key) ?? missing;
    return this.errors.get(key) ?? null;
  }

  protected fail(key: string, msg: string): void {
    this.partial = true;
    if (!this.errors.has(key)) this.errors.set(key, msg);
  }

  protected warn(msg: string): void {
    if (!this.warnings.includes(msg)) this.warnings.push(msg);
    this.deps.onWarning?.(msg);
  }
}
