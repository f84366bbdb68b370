// --verify-txids: check every transaction an explorer gives against its raw bytes, so a faulty or
// malicious explorer cannot put false data into a case.
//
// For each transaction JSON (from getTx and from every address history page) the wrapper fetches
// the raw hex (GET /tx/:txid/hex), checks that it hashes to the txid, and that the JSON says what
// the raw transaction says: version, locktime, size, weight, every input's previous txid, vout,
// sequence and coinbase flag, every output's value and script; and that each address and script
// type the explorer derived matches its script (a correct script under a false address would
// mislead an analyst as much as a false value). Any difference is an IntegrityError naming the
// txid and the field.
//
// What the raw transaction cannot prove, and what is done instead:
// - Input values and scripts (vin[].prevout) live in the parent transactions. Checked against the
//   parent's raw bytes whenever the parent's hex is fetched in the run (the parent was verified
//   itself, or mode 'fetch'); in the default mode 'seen' no extra request is made, and inputs
//   whose parent never came up are counted as `prevoutsUnchecked` (for the run manifest). Mode
//   'fetch' asks one raw hex per distinct parent, so every input value is proven: that can double
//   the requests, hence not the default. The fee then follows: it is sum(prevouts) - sum(outputs),
//   which the parser already enforces and is checked again here.
// - Outspends ("output k is spent by S, input j") are checked when S's raw transaction is seen:
//   S input j must spend this output. "Unspent" cannot be proven without a full node.
// - Block status (height, hash, time) is not checked: that needs block headers and merkle proofs.

import type { NetworkName } from '../model/address.js';
import type { AddressStats, Outspend, Tx } from '../model/tx.js';
import { IntegrityError } from './errors.js';
import { esploraPath } from './resources.js';
import type { AddressHistory, ChainSource, SourceStats } from './source.js';

import { checkTxAgainstRaw, mismatch as fail, rawTxSummary, type RawTxSummary } from './raw-tx.js';

export interface VerifyOptions {
  /** Address encoding of output scripts (default mainnet). */
  network?: NetworkName;
  /** 'seen' (default): check input values against parents fetched anyway; 'fetch': fetch every parent. */
  prevouts?: 'seen' | 'fetch';
}

export interface VerificationCounts {
  /** Transaction JSON answers checked against their raw bytes (one per answer, copies included). */
  txs: number;
  /** Distinct raw transactions fetched and hashed. */
  rawTxs: number;
  /** Inputs whose value and script were checked against the parent's raw output. */
  prevoutsChecked: number;
  /** Inputs whose parent's raw bytes were not seen, so their value rests on the explorer's word. */
  prevoutsUnchecked: number;
  /** Outspends entries (spent) checked against the spender's raw input. */
  outspendsChecked: number;
  /** Outspends entries whose spender's raw bytes were not seen. */
  outspendsUnchecked: number;
}

export interface VerifiedSource extends ChainSource {
  verification(): VerificationCounts;
}

interface PrevoutClaim {
  child: string;
  vin: number;
  vout: number;
  value: number;
  script: string;
}

interface OutspendClaim {
  parent: string;
  vout: number;
  vin: number;
}

class Verifier implements VerifiedSource {
  readonly description: string;
  private readonly network: NetworkName;
  private readonly fetchParents: boolean;
  /** Raw transactions fetched and hashed (settled), by txid. */
  private readonly raws = new Map<string, RawTxSummary>();
  private readonly pendingRaw = new Map<string, Promise<RawTxSummary>>();
  /** Input claims waiting for their parent's raw bytes, by parent txid, keyed "child:vin". */
  private readonly prevoutClaims = new Map<string, Map<string, PrevoutClaim>>();
  /** Outspends claims waiting for the spender's raw bytes, by spender txid, keyed "parent:vout". */
  private readonly outspendClaims = new Map<string, Map<string, OutspendClaim>>();
  private readonly counts = { txs: 0, prevoutsChecked: 0, outspendsChecked: 0 };
  /** Answers already checked: a memoizing source hands out the same object again. */
  private readonly checked = new WeakSet<Tx>();

  constructor(
    private readonly source: ChainSource,
    options: VerifyOptions,
  ) {
    this.description = source.description;
    this.network = options.network ?? 'mainnet';
    this.fetchParents = options.prevouts === 'fetch';
  }

  stats(): SourceStats {
    return this.source.stats();
  }

  verification(): VerificationCounts {
    let prevoutsUnchecked = 0;
    for (const m of this.prevoutClaims.values()) prevoutsUnchecked += m.size;
    let outspendsUnchecked = 0;
    for (const m of this.outspendClaims.values()) outspendsUnchecked += m.size;
    return {
      txs: this.counts.txs,
      rawTxs: this.raws.size,
      prevoutsChecked: this.counts.prevoutsChecked,
      prevoutsUnchecked,
      outspendsChecked: this.counts.outspendsChecked,
      outspendsUnchecked,
    };
  }

  async getTx(txid: string): Promise<Tx> {
    const tx = await this.source.getTx(txid);
    await this.verify(tx);
    return tx;
  }

  /** The raw hex, checked to hash to the txid (every answer, not only the first). */
  async getTxHex(txid: string): Promise<string> {
    const rawHex = await this.source.getTxHex(txid);
    const id = txid.toLowerCase();
    const summary = rawTxSummary(id, rawHex);
    if (!this.raws.has(id)) {
      this.raws.set(id, summary);
      this.settle(summary);
    }
    return rawHex;
  }

  async getOutspends(txid: string): Promise<Outspend[]> {
    const list = await this.source.getOutspends(txid);
    this.noteOutspends(txid.toLowerCase(), list);
    return list;
  }

  async getOutspendsMany(txids: string[]): Promise<Outspend[][]> {
    const lists = await this.source.getOutspendsMany(txids);
    lists.forEach((list, k) => this.noteOutspends(txids[k]!.toLowerCase(), list));
    return lists;
  }

  async getAddressHistory(address: string, maxTxs: number): Promise<AddressHistory> {
    const history = await this.source.getAddressHistory(address, maxTxs);
    await Promise.all(history.txs.map((tx) => this.verify(tx)));
    return history;
  }

  getAddressStats(address: string): Promise<AddressStats> {
    return this.source.getAddressStats(address);
  }

  getTipHeight(): Promise<number> {
    return this.source.getTipHeight();
  }

  private async verify(tx: Tx): Promise<void> {
    if (this.checked.has(tx)) return;
    const raw = await this.raw(tx.txid);
    checkTxAgainstRaw(tx, raw, this.network);
    for (let k = 0; k < tx.vin.length; k++) {
      const input = tx.vin[k]!;
      if (input.prevout === null) continue;
      this.claimPrevout(input.txid, {
        child: tx.txid,
        vin: k,
        vout: input.vout,
        value: input.prevout.value,
        script: input.prevout.script,
      });
    }
    if (this.fetchParents && !raw.coinbase) {
      await Promise.all(tx.vin.map((i) => this.raw(i.txid)));
    }
    this.checked.add(tx);
    this.counts.txs++;
  }

  /** The raw summary of a txid, fetched and hashed once. */
  private raw(txid: string): Promise<RawTxSummary> {
    const done = this.raws.get(txid);
    if (done) return Promise.resolve(done);
    let p = this.pendingRaw.get(txid);
    if (!p) {
      p = (async () => {
        const summary = rawTxSummary(txid, await this.source.getTxHex(txid));
        this.raws.set(txid, summary);
        this.settle(summary);
        return summary;
      })();
      this.pendingRaw.set(txid, p);
      // A failure is not remembered: a later call may fetch again.
      const clear = () => this.pendingRaw.delete(txid);
      p.then(clear, clear);
    }
    return p;
  }

  /** Checks every claim that waited for this raw transaction; throws the first mismatch after all. */
  private settle(raw: RawTxSummary): void {
    const errors: Error[] = [];
    const attempt = (check: () => void) => {
      try {
        check();
      } catch (e) {
        errors.push(e instanceof Error ? e : new Error(String(e)));
      }
    };
    const asParent = this.prevoutClaims.get(raw.txid);
    this.prevoutClaims.delete(raw.txid);
    for (const c of asParent?.values() ?? []) attempt(() => this.checkPrevout(raw, c));
    const asSpender = this.outspendClaims.get(raw.txid);
    this.outspendClaims.delete(raw.txid);
    for (const c of asSpender?.values() ?? []) attempt(() => this.checkOutspend(raw, c));
    if (errors[0]) throw errors[0];
  }

  private claimPrevout(parent: string, claim: PrevoutClaim): void {
    const raw = this.raws.get(parent);
    if (raw) return this.checkPrevout(raw, claim);
    let waiting = this.prevoutClaims.get(parent);
    if (!waiting) this.prevoutClaims.set(parent, (waiting = new Map<string, PrevoutClaim>()));
    const key = `${claim.child}:${claim.vin}`;
    const earlier = waiting.get(key);
    // Two answers about the same input must agree even before the parent is seen.
    if (earlier && (earlier.value !== claim.value || earlier.script !== claim.script)) {
      throw new IntegrityError(
        `transaction ${claim.child}: vin[${claim.vin}].prevout: the explorer gave two different spent outputs ` +
          `(${earlier.value} sat ${earlier.script} and ${claim.value} sat ${claim.script})`,
        esploraPath.tx(claim.child),
      );
    }
    waiting.set(key, claim);
  }

  private checkPrevout(parent: RawTxSummary, c: PrevoutClaim): void {
    const out = parent.outs[c.vout];
    const where = `vin[${c.vin}].prevout (output ${c.vout} of ${parent.txid})`;
    if (!out) fail(c.child, where, 'an output', `only ${parent.outs.length} outputs`);
    if (BigInt(c.value) !== out.value) fail(c.child, `${where}.value`, `${c.value} sat`, `${out.value} sat`);
    if (c.script !== out.script) fail(c.child, `${where}.scriptpubkey`, c.script, out.script);
    this.counts.prevoutsChecked++;
  }

  private noteOutspends(parent: string, list: Outspend[]): void {
    const raw = this.raws.get(parent);
    if (raw && raw.outs.length !== list.length) {
      throw new IntegrityError(
        `transaction ${parent}: the explorer listed ${list.length} outspends, the raw transaction has ${raw.outs.length} outputs`,
        esploraPath.outspends(parent),
      );
    }
    list.forEach((o, vout) => {
      if (!o.spent || o.txid === null || o.vin === null) return;
      const claim: OutspendClaim = { parent, vout, vin: o.vin };
      const spender = this.raws.get(o.txid);
      if (spender) return this.checkOutspend(spender, claim);
      let waiting = this.outspendClaims.get(o.txid);
      if (!waiting) this.outspendClaims.set(o.txid, (waiting = new Map<string, OutspendClaim>()));
      waiting.set(`${parent}:${vout}`, claim);
    });
  }

  private checkOutspend(spender: RawTxSummary, c: OutspendClaim): void {
    const input = spender.ins[c.vin];
    if (!input || input.txid !== c.parent || input.vout !== c.vout) {
      throw new IntegrityError(
        `transaction ${c.parent}: outspends[${c.vout}]: the explorer says input ${c.vin} of ${spender.txid} spends it, ` +
          `but that input ${input ? `spends ${input.txid}:${input.vout}` : 'does not exist'} in the raw transaction`,
        esploraPath.outspends(c.parent),
      );
    }
    this.counts.outspendsChecked++;
  }
}

/** Wraps a source so that every transaction it answers is checked against its raw bytes. */
export function verifiedSource(source: ChainSource, options: VerifyOptions = {}): VerifiedSource {
  return new Verifier(source, options);
}
