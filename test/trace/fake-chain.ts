// A tiny in-memory chain for walk tests: normalized transactions built by name, answers derived
// the way an explorer derives them, and optional seeded random delays that scramble the order
// in which answers arrive (to show the walk's result does not depend on it).
import { createHash } from 'node:crypto';
import type { AddressStats, Outspend, Tx, TxOut } from '../../src/model/tx.js';
import { NotFoundError } from '../../src/sources/errors.js';
import type { AddressHistory, ChainSource, SourceStats } from '../../src/sources/source.js';

export function txidOf(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

export interface InSpec {
  /** "name:vout" of the spent output, or "coinbase". */
  from: string;
}
export interface OutSpec {
  address: string | null;
  value: number;
}

export class FakeChain implements ChainSource {
  readonly description = 'fake chain';
  readonly txs = new Map<string, Tx>();
  readonly names = new Map<string, string>();
  readonly counts = new Map<string, number>();
  private rand: () => number = () => 0;
  private delayMax = 0;
  failing = new Set<string>();
  height = 800_000;

  /** Adds a transaction; inputs name earlier transactions' outputs as "name:vout". */
  add(name: string, ins: string[], outs: OutSpec[]): string {
    const txid = txidOf(name);
    const vin = ins.map((from) => {
      if (from === 'coinbase') {
        return { txid: '0'.repeat(64), vout: 0xffffffff, coinbase: true, prevout: null, sequence: 0 };
      }
      const [n, v] = from.split(':') as [string, string];
      const parent = this.txs.get(txidOf(n));
      if (!parent) throw new Error(`unknown parent ${n}`);
      const prevout = parent.vout[Number(v)]!;
      return { txid: parent.txid, vout: Number(v), coinbase: false, prevout, sequence: 0xfffffffd };
    });
    const vout: TxOut[] = outs.map((o) => ({
      value: o.value,
      address: o.address,
      scriptType: o.address ? 'v0_p2wpkh' : 'op_return',
      script: o.address ? '0014' + txidOf(o.address).slice(0, 40) : '6a',
    }));
    const inSum = vin.reduce((s, i) => s + (i.prevout?.value ?? 0), 0);
    const outSum = vout.reduce((s, o) => s + o.value, 0);
    const fee = vin[0]?.coinbase ? 0 : inSum - outSum;
    if (fee < 0) throw new Error(`${name}: outputs exceed inputs`);
    this.height += 1;
    this.txs.set(txid, {
      txid,
      version: 2,
      locktime: 0,
      size: 200,
      weight: 800,
      fee,
      vin,
      vout,
      status: {
        confirmed: true,
        height: this.height,
        hash: txidOf(`block${this.height}`),
        time: 1_600_000_000 + this.height * 600,
      },
    });
    this.names.set(txid, name);
    return txid;
  }

  /** Answers arrive after 0..max ms, in an order fixed by the seed. */
  scramble(seed: number, maxMs: number): this {
    let s = seed >>> 0;
    this.rand = () => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
    this.delayMax = maxMs;
    return this;
  }

  /**
   * Makes the chain answer bodies and outspends synchronously (knownTx/knownOutspends), as a
   * memo holding them would; counted under "held <resource>".
   */
  holdAll(): this {
    const self = this as ChainSource;
    self.knownTx = (txid) => {
      this.count(`held /tx/${txid}`);
      return this.txs.get(txid);
    };
    self.knownOutspends = (txid) => {
      if (!this.txs.has(txid)) return undefined;
      this.count(`held /tx/${txid}/outspends`);
      return this.outspends(txid);
    };
    return this;
  }

  private count(resource: string): void {
    this.counts.set(resource, (this.counts.get(resource) ?? 0) + 1);
  }

  private async answer<T>(resource: string, f: () => T): Promise<T> {
    this.counts.set(resource, (this.counts.get(resource) ?? 0) + 1);
    const d = Math.floor(this.rand() * (this.delayMax + 1));
    if (d > 0) await new Promise((r) => setTimeout(r, d));
    else await Promise.resolve();
    if (this.failing.has(resource)) throw new NotFoundError(`${resource}: injected failure`, resource);
    return f();
  }

  private need(txid: string): Tx {
    const tx = this.txs.get(txid);
    if (!tx) throw new NotFoundError(`/tx/${txid}: Transaction not found`, `/tx/${txid}`);
    return tx;
  }

  getTx(txid: string): Promise<Tx> {
    return this.answer(`/tx/${txid}`, () => this.need(txid));
  }

  getTxHex(txid: string): Promise<string> {
    return this.answer(`/tx/${txid}/hex`, () => '00');
  }

  getOutspends(txid: string): Promise<Outspend[]> {
    return this.answer(`/tx/${txid}/outspends`, () => this.outspends(txid));
  }

  getOutspendsMany(txids: string[]): Promise<Outspend[][]> {
    return Promise.all(txids.map((t) => this.getOutspends(t)));
  }

  outspends(txid: string): Outspend[] {
    const tx = this.need(txid);
    return tx.vout.map((_, j) => {
      for (const s of this.txs.values()) {
        const vin = s.vin.findIndex((i) => i.txid === txid && i.vout === j);
        if (vin >= 0) return { spent: true, txid: s.txid, vin, status: s.status };
      }
      return { spent: false, txid: null, vin: null, status: null };
    });
  }

  getAddressHistory(address: string, maxTxs: number): Promise<AddressHistory> {
    return this.answer(`/address/${address}/txs`, () => {
      const all = [...this.txs.values()]
        .filter(
          (t) =>
            t.vout.some((o) => o.address === address) || t.vin.some((i) => i.prevout?.address === address),
        )
        .reverse();
      return { txs: all.slice(0, maxTxs), complete: all.length <= maxTxs };
    });
  }

  getAddressStats(address: string): Promise<AddressStats> {
    return this.answer(`/address/${address}`, () => {
      const zero = { fundedTxoCount: 0, fundedTxoSum: 0, spentTxoCount: 0, spentTxoSum: 0, txCount: 0 };
      return { address, chain: zero, mempool: { ...zero } };
    });
  }

  getTipHeight(): Promise<number> {
    return this.answer('/blocks/tip/height', () => this.height);
  }

  stats(): SourceStats {
    let requests = 0;
    let repeated = 0;
    for (const c of this.counts.values()) {
      requests += c;
      repeated += c - 1;
    }
    return { requests, retries: 0, memoHits: 0, repeated };
  }
}
