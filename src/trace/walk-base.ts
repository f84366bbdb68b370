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
import { describeError, type WalkDeps, type WalkOptions } from './walk-common.js';

/** What the walk knows of one address: its labels (best first) and the stop rule they fire. */
export interface AddressInfo {
  readonly address: string;
  labels: readonly Label[];
  /** Undefined until asked; null: no rule fires. */
  stop: string | null | undefined;
}

const NO_LABELS: readonly Label[] = Object.freeze([]);

export abstract class WalkBase {
  protected readonly tracker = new Tracker();
  /** Every transaction body the walk holds. */
  protected readonly txs = new Map<string, Tx>();
  protected readonly seedOut = new Set<string>();
  /** Outpoint -> why it could not be followed. */
  protected readonly errors = new Map<string, string>();
  /** Outpoints --max-txs kept the walk from following. */
  protected readonly truncated = new Set<string>();
  /** Every address looked up so far: its labels and, once asked, the stop rule they fire. */
  private readonly addresses = new Map<string, AddressInfo>();
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
  /** Recomputes the transactions whose neighbours changed, until none is left. */
  protected abstract computeDirty(): void;
  protected abstract rows(): FlowRow[];
  protected abstract txSummaries(): TxTaintSummary[];

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
      this.computeDirty();
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

  /** A transaction's findings: CoinJoin detectors (given, or asked now), coinbase and extras. */
  protected flagsOf(tx: Tx, coinjoin?: string[]): string[] {
    const cj = coinjoin ?? this.deps.classify?.(tx) ?? [];
    const extra = this.deps.txFlags?.(tx);
    const flags = tx.vin[0]?.coinbase ? ['coinbase'] : [];
    for (const n of cj) flags.push(`coinjoin:${n}`);
    if (extra) flags.push(...extra);
    return flags;
  }

  /**
   * Looks up, in one call, the labels of those addresses not looked up yet (one transaction's),
   * and returns every address's record, in order (null for outputs without an address).
   */
  protected learnLabels(addresses: readonly (string | null)[]): (AddressInfo | null)[] {
    const infos = new Array<AddressInfo | null>(addresses.length);
    let todo: AddressInfo[] | undefined;
    let asked: string[] | undefined;
    for (let k = 0; k < addresses.length; k++) {
      const a = addresses[k]!;
      if (a === null) {
        infos[k] = null;
        continue;
      }
      let info = this.addresses.get(a);
      if (info === undefined) {
        info = { address: a, labels: NO_LABELS, stop: undefined };
        this.addresses.set(a, info);
        (todo ??= []).push(info);
        (asked ??= []).push(a);
      }
      infos[k] = info;
    }
    if (todo !== undefined) {
      const found = this.deps.labels.lookup(asked!);
      // most addresses carry no label: nothing to read back then
      if (found.size > 0) for (const i of todo) i.labels = found.get(i.address) ?? NO_LABELS;
    }
    return infos;
  }

  /** The address's record (looked up now if its transaction's were not). */
  protected addressInfo(address: string | null): AddressInfo | null {
    if (!address) return null;
    return this.addresses.get(address) ?? this.learnLabels([address])[0]!;
  }

  /** The stop rule that fires at a labelled address, or null when the walk goes on through it. */
  protected stopRule(info: AddressInfo | null): string | null {
    if (info === null) return null;
    // examine() asks again on every change of an output's taint: answer from the first time
    info.stop ??= firedStopRule(info.labels, {
      terms: this.opts.stopAt,
      labels: this.opts.stopAtLabels ?? [],
    });
    return info.stop;
  }

  /** The label fields of a row at this address (its best label first). */
  protected labelFields(
    info: AddressInfo | null,
  ): Pick<FlowRow, 'label' | 'category' | 'abuse' | 'labelConfidence' | 'labelSource' | 'labels'> {
    const ls = info?.labels ?? NO_LABELS;
    const best = ls[0];
    return {
      label: best?.label ?? null,
      category: best?.category ?? null,
      abuse: best?.abuse ?? null,
      labelConfidence: best?.confidence ?? null,
      labelSource: best?.source ?? null,
      labels: ls.length === 0 ? [] : ls,
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
