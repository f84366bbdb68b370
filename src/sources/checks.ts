// The checks every run makes, by default, on what an explorer says: they cost no request, so no
// option turns them off. A failed check is an IntegrityError naming the transaction and what
// disagreed; the walk turns it into an `error` row and a partial result (exit 1).
//
// - txid_hash: the transaction's fields (version, inputs' txid/vout/scriptSig/sequence, outputs'
//   value/script, locktime) serialize, without witness, to bytes whose double SHA-256 is the
//   txid. So a body served under another txid, or with a value, script or input changed, fails.
// - address_script: each address (outputs and joined prevouts) is the encoding of its script for
//   the run's network, and each script type is the script's (verify.ts checkDerived). So an
//   address swapped for a labelled exchange's on an unchanged script fails.
// - prevout_parent: a vin[].prevout equals the parent's output (value and script) whenever the
//   parent transaction was read in this run, whichever of the two came first.
// - outspend_spender: an outspends entry "output k is spent by S" is believed only once S's own
//   inputs spend that output. The walk enforces it (src/trace/forward.ts) and this wrapper counts
//   the entries whose spender it has seen agree.
// - history_involves: every transaction of an address history has the address in an output or
//   a joined prevout.
// What the JSON cannot prove — that a prevout at the frontier (parent never read) is real, that
// an output is unspent, block status — is what --verify-txids (raw hex) and a full node are for.

import type { NetworkName } from '../model/address.js';
import type { AddressStats, Outspend, Tx, TxOut } from '../model/tx.js';
import { IntegrityError } from './errors.js';
import { esploraPath } from './resources.js';
import type { AddressHistory, ChainSource, SourceStats } from './source.js';

/** How many items each check covered (transactions, or inputs / outspends entries where named). */
export interface CheckCounts {
  /** Transactions whose fields hash to their txid. */
  txid_hash: number;
  /** Transactions whose every address and script type is its script's. */
  address_script: number;
  /** Inputs whose joined prevout equals the parent's output (the parent was read). */
  prevout_parent: number;
  /** Outspends entries (spent) whose spender was read and spends that output. */
  outspend_spender: number;
  /** Address-history transactions that involve the address. */
  history_involves: number;
}

export const CHECK_NAMES: readonly (keyof CheckCounts)[] = [
  'txid_hash',
  'address_script',
  'prevout_parent',
  'outspend_spender',
  'history_involves',
];

import { checkTxFields, involves } from './tx-fields.js';

interface PrevoutClaim {
  child: string;
  vin: number;
  vout: number;
  prevout: TxOut;
}

interface OutspendClaim {
  parent: string;
  vout: number;
  vin: number;
}

export interface CheckOptions {
  network: NetworkName;
  /** --verify-txids runs below: every transaction that reaches this wrapper was checked against its raw hex. */
  rawHex?: boolean;
  /**
   * False for sources whose answers hold no scripts or scriptSigs (GraphSense): the txid cannot
   * be re-hashed and scripts are rebuilt from addresses, so txid_hash and address_script do not
   * run; checks() reports the transactions they skipped as txid_hash_not_run and
   * address_script_not_run instead of counting them as checked.
   */
  hashFields?: boolean;
}

export class CheckedSource implements ChainSource {
  readonly description: string;
  private readonly network: NetworkName;
  private readonly rawHex: boolean;
  private readonly hashFields: boolean;
  /** What was counted already, so each transaction, input and outspends entry counts once. */
  private readonly counted = new Set<string>();
  /** Answers already checked: the memo hands out the same object again. */
  private readonly checked = new WeakSet<Tx>();
  /** Outputs of every transaction read, by txid. */
  private readonly outs = new Map<string, TxOut[]>();
  /** Inputs of every transaction read, as "txid:vout" of what they spend, by txid. */
  private readonly ins = new Map<string, string[]>();
  /** Prevouts waiting for their parent, by parent txid, keyed "child:vin". */
  private readonly prevoutClaims = new Map<string, Map<string, PrevoutClaim>>();
  /** Outspends entries waiting for their spender, by spender txid, keyed "parent:vout". */
  private readonly outspendClaims = new Map<string, Map<string, OutspendClaim>>();
  private readonly counts: CheckCounts = {
    txid_hash: 0,
    address_script: 0,
    prevout_parent: 0,
    outspend_spender: 0,
    history_involves: 0,
  };

  constructor(
    private readonly source: ChainSource,
    options: CheckOptions,
  ) {
    this.description = source.description;
    this.network = options.network;
    this.rawHex = options.rawHex ?? false;
    this.hashFields = options.hashFields ?? true;
  }

  /** What each check covered so far, plus raw_hex when --verify-txids runs below. */
  checks(): Record<string, number> {
    if (!this.hashFields) {
      const { txid_hash, address_script, ...rest } = this.counts;
      return { txid_hash_not_run: txid_hash, address_script_not_run: address_script, ...rest };
    }
    return { ...this.counts, ...(this.rawHex && { raw_hex: this.counts.txid_hash }) };
  }

  /**
   * A wrapper over this one that counts one run's answers only (a batch shares one source among
   * seeds run at once: the shared counts would depend on their timing, a run's own do not).
   */
  forRun(): CheckedSource {
    return new CheckedSource(this, {
      network: this.network,
      rawHex: this.rawHex,
      hashFields: this.hashFields,
    });
  }

  private count(name: keyof CheckCounts, key: string): void {
    const k = `${name} ${key}`;
    if (this.counted.has(k)) return;
    this.counted.add(k);
    this.counts[name]++;
  }

  stats(): SourceStats {
    return this.source.stats();
  }

  async getTx(txid: string): Promise<Tx> {
    const tx = await this.source.getTx(txid);
    if (tx.txid !== txid.toLowerCase()) {
      throw new IntegrityError(`transaction ${txid}: the explorer answered ${tx.txid}`, esploraPath.tx(txid));
    }
    this.check(tx);
    return tx;
  }

  /**
   * A held answer passes the same checks; one that fails them is not handed out here, so the
   * caller asks getTx and meets the error the usual way.
   */
  knownTx(txid: string): Tx | undefined {
    const tx = this.source.knownTx?.(txid);
    if (tx === undefined || tx.txid !== txid.toLowerCase()) return undefined;
    try {
      this.check(tx);
    } catch {
      return undefined;
    }
    return tx;
  }

  knownOutspends(txid: string): Outspend[] | undefined {
    const list = this.source.knownOutspends?.(txid);
    if (list !== undefined) this.noteOutspends(txid.toLowerCase(), list);
    return list;
  }

  async getAddressHistory(address: string, maxTxs: number): Promise<AddressHistory> {
    const history = await this.source.getAddressHistory(address, maxTxs);
    for (const tx of history.txs) {
      this.check(tx);
      if (!involves(tx, address)) {
        throw new IntegrityError(
          `transaction ${tx.txid}: listed in the history of ${address}, but no output or input of it is that address`,
          esploraPath.addressTxs(address),
        );
      }
    }
    for (const tx of history.txs) this.count('history_involves', `${address} ${tx.txid}`);
    return history;
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

  getAddressStats(address: string): Promise<AddressStats> {
    return this.source.getAddressStats(address);
  }

  getTipHeight(): Promise<number> {
    return this.source.getTipHeight();
  }

  getTxHex(txid: string): Promise<string> {
    return this.source.getTxHex(txid);
  }

  /** Every check one transaction allows; throws the first disagreement (and checks again next time). */
  private check(tx: Tx): void {
    if (this.checked.has(tx)) return;
    if (this.hashFields) checkTxFields(tx, this.network);
    const id = tx.txid;
    // As a child: each prevout against its parent, if read; else the claim waits for it.
    const errors: IntegrityError[] = [];
    tx.vin.forEach((i, k) => {
      if (i.prevout === null) return;
      const claim: PrevoutClaim = { child: id, vin: k, vout: i.vout, prevout: i.prevout };
      const parent = this.outs.get(i.txid);
      if (parent) {
        const e = prevoutDisagreement(claim, i.txid, parent);
        if (e) errors.push(e);
        else this.count('prevout_parent', `${id}:${k}`);
        return;
      }
      let waiting = this.prevoutClaims.get(i.txid);
      if (!waiting) this.prevoutClaims.set(i.txid, (waiting = new Map<string, PrevoutClaim>()));
      waiting.set(`${id}:${k}`, claim);
    });
    // As a parent: the claims of children read before it.
    const waiting = this.prevoutClaims.get(id);
    for (const [key, c] of waiting ?? []) {
      const e = prevoutDisagreement(c, id, tx.vout);
      if (e) errors.push(e);
      else {
        this.count('prevout_parent', key);
        waiting!.delete(key);
      }
    }
    if (errors[0]) throw errors[0];
    this.prevoutClaims.delete(id);
    this.outs.set(id, tx.vout);
    const spends = tx.vin.map((i) => `${i.txid}:${i.vout}`);
    this.ins.set(id, spends);
    const claims = this.outspendClaims.get(id);
    this.outspendClaims.delete(id);
    for (const c of claims?.values() ?? [])
      if (spends[c.vin] === `${c.parent}:${c.vout}`) this.count('outspend_spender', `${c.parent}:${c.vout}`);
    this.checked.add(tx);
    this.count('txid_hash', id);
    this.count('address_script', id);
  }

  private noteOutspends(parent: string, list: Outspend[]): void {
    list.forEach((o, vout) => {
      if (!o.spent || o.txid === null || o.vin === null) return;
      const spends = this.ins.get(o.txid);
      if (spends) {
        if (spends[o.vin] === `${parent}:${vout}`) this.count('outspend_spender', `${parent}:${vout}`);
        return;
      }
      let waiting = this.outspendClaims.get(o.txid);
      if (!waiting) this.outspendClaims.set(o.txid, (waiting = new Map<string, OutspendClaim>()));
      waiting.set(`${parent}:${vout}`, { parent, vout, vin: o.vin });
    });
  }
}

function prevoutDisagreement(c: PrevoutClaim, parentTxid: string, outs: TxOut[]): IntegrityError | null {
  const out = outs[c.vout];
  const where = `transaction ${c.child}: vin[${c.vin}].prevout (output ${c.vout} of ${parentTxid})`;
  const resource = esploraPath.tx(c.child);
  if (!out) return new IntegrityError(`${where}: the parent has only ${outs.length} outputs`, resource);
  if (out.value !== c.prevout.value) {
    return new IntegrityError(
      `${where}: the explorer joined ${c.prevout.value} sat, the parent's output is ${out.value} sat`,
      resource,
    );
  }
  if (out.script !== c.prevout.script) {
    return new IntegrityError(
      `${where}: the explorer joined script ${c.prevout.script}, the parent's output has ${out.script}`,
      resource,
    );
  }
  return null;
}

/** Wraps a source so that every answer passes the checks above. */
export function checkedSource(source: ChainSource, options: CheckOptions): CheckedSource {
  return new CheckedSource(source, options);
}
