// The forward walk's transactions by txid (one TxState each, made on first mention) and its
// recompute queue. Links between transactions are held as references once read, so the hot path
// looks a txid up here once per input, not once per use.
import { BinaryHeap } from '../model/heap.js';
import type { Outspend } from '../model/tx.js';
import { hasBit, newState, PROVEN, setBit, UNSPENT, type TxState } from './forward-state.js';

export class StateTable {
  private readonly byTxid = new Map<string, TxState>();
  /** Transactions whose inputs changed since they were last computed, in chain order (rank:
   *  block height, unconfirmed last; then first mention, so mostly parents before children).
   *  Any order reaches the same fixed point; this one saves recomputation, and integers compare
   *  faster than txids. */
  private readonly dirty = new BinaryHeap<TxState>(
    (a, b) => a.rank < b.rank || (a.rank === b.rank && a.seq < b.seq),
  );

  /** The state of txid, made if it is new. */
  state(txid: string): TxState {
    let st = this.byTxid.get(txid);
    if (st === undefined) {
      st = newState(txid, this.byTxid.size);
      this.byTxid.set(txid, st);
    }
    return st;
  }

  /** Every state, in the order they were first mentioned. */
  values(): IterableIterator<TxState> {
    return this.byTxid.values();
  }

  /**
   * Reads st's body once: its parents' states (made here, so a parent never goes missing from
   * the list) and its input and output values.
   */
  parentsOf(st: TxState): (TxState | undefined)[] {
    const tx = st.tx!;
    if (st.parents !== undefined && st.parentsOf === tx) return st.parents;
    const n = tx.vin.length;
    const parents = new Array<TxState | undefined>(n);
    const inValues = new Array<number>(n);
    for (let k = 0; k < n; k++) {
      const i = tx.vin[k]!;
      parents[k] = i.coinbase ? undefined : this.state(i.txid);
      inValues[k] = i.prevout?.value ?? 0;
    }
    const outValues = new Array<number>(tx.vout.length);
    for (let j = 0; j < tx.vout.length; j++) outValues[j] = tx.vout[j]!.value;
    st.parents = parents;
    st.inValues = inValues;
    st.outValues = outValues;
    st.parentsOf = tx;
    return parents;
  }

  /** Queues st for recomputation (once, however often its inputs change before it is taken). */
  markDirty(st: TxState): void {
    if (st.queued) return;
    st.queued = true;
    st.rank = st.tx?.status.height ?? Number.MAX_SAFE_INTEGER;
    this.dirty.push(st);
  }

  /** The first queued state in chain order, removed from the queue; undefined when empty. */
  takeDirty(): TxState | undefined {
    const st = this.dirty.pop();
    if (st !== undefined) st.queued = false;
    return st;
  }

  /** Each input of tx names tx as the spender of the output it spends (proven). */
  proveInputs(self: TxState): void {
    const vin = self.tx!.vin;
    const parents = this.parentsOf(self);
    for (let k = 0; k < vin.length; k++) {
      const st = parents[k];
      if (st === undefined) continue;
      const v = vin[k]!.vout;
      (st.spender ??= [])[v] = self;
      setBit(st, v, PROVEN);
    }
  }

  recordOutspends(st: TxState, os: Outspend[]): void {
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
}
