// A ChainSource answering from a generated TxGraph in process, no HTTP, no JSON. Every
// transaction and outspends answer is built once, up front, and held by txid, as the offline and
// memo sources hold what they parsed: the walk benchmark runs the CLI's own trace() over it, so
// what it times is the walk users run, without the network and without building the data.

import type { Outspend, Tx, TxOut } from '../../../src/model/tx.js';
import type { ChainSource, SourceStats } from '../../../src/sources/source.js';
import { NotFoundError } from '../../../src/sources/errors.js';
import type { TxGraph } from './graph.js';

/** Transactions per generated block: block heights and times follow creation order. */
const TXS_PER_BLOCK = 50;
const GENESIS_TIME = 1_700_000_000;

/**
 * Transaction i's id: 64 hex digits that look random, as real txids do (a counter padded with
 * zeros would make every comparison and hash of two ids scan 60 equal digits first).
 */
export function graphTxid(i: number): string {
  const parts = new Array<string>(8);
  for (let k = 0; k < 8; k++) parts[k] = (mix32(i * 8 + k) >>> 0).toString(16).padStart(8, '0');
  // joined, not appended: one flat string, as a parsed answer's txid is (an appended one is a
  // tree of pieces that V8 flattens on first use, which would move memory between source and walk)
  return parts.join('');
}

/** A 32-bit integer hash (murmur3's finaliser): distinct inputs below 2^32 give distinct outputs. */
function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function notFound(txid: string): NotFoundError {
  return new NotFoundError(`tx ${txid}`, `/tx/${txid}`);
}

export class GraphSource implements ChainSource {
  readonly description = 'generated graph (in memory)';
  private requests = 0;
  /** Output id -> its transaction, filled once (a binary search per lookup would do too). */
  private readonly outTx: Int32Array;
  private readonly held = new Map<string, Tx>();
  private readonly heldOutspends = new Map<string, Outspend[]>();

  constructor(private readonly g: TxGraph) {
    this.outTx = new Int32Array(g.outStart[g.txCount]!);
    for (let i = 0; i < g.txCount; i++) this.outTx.fill(i, g.outStart[i], g.outStart[i + 1]);
    for (let i = 0; i < g.txCount; i++) {
      const tx = this.tx(i);
      this.held.set(tx.txid, tx);
      this.heldOutspends.set(tx.txid, this.outspends(i));
    }
  }

  private status(i: number): Tx['status'] {
    const height = Math.floor(i / TXS_PER_BLOCK) + 1;
    return {
      confirmed: true,
      height,
      hash: graphTxid(-height), // negative: never a transaction's id
      time: GENESIS_TIME + height * 600,
    };
  }

  private out(o: number): TxOut {
    return {
      value: this.g.outValue[o]!,
      script: '',
      scriptType: 'v0_p2wpkh',
      address: `a${this.g.outAddress[o]}`,
    };
  }

  tx(i: number): Tx {
    const g = this.g;
    if (i < 0 || i >= g.txCount) throw new NotFoundError(`tx ${graphTxid(i)}`, `/tx/${graphTxid(i)}`);
    const vin: Tx['vin'] = [];
    let inSum = 0;
    for (let k = g.inStart[i]!; k < g.inStart[i + 1]!; k++) {
      const o = g.inOutpoint[k]!;
      const p = this.outTx[o]!;
      inSum += g.outValue[o]!;
      vin.push({
        txid: graphTxid(p),
        vout: o - g.outStart[p]!,
        coinbase: false,
        prevout: this.out(o),
        sequence: 0xffffffff,
      });
    }
    const vout: TxOut[] = [];
    let outSum = 0;
    for (let o = g.outStart[i]!; o < g.outStart[i + 1]!; o++) {
      vout.push(this.out(o));
      outSum += g.outValue[o]!;
    }
    if (vin.length === 0) {
      vin.push({
        txid: '0'.repeat(64),
        vout: 0xffffffff,
        coinbase: true,
        prevout: null,
        sequence: 0xffffffff,
      });
    }
    const fee = inSum === 0 ? 0 : inSum - outSum;
    return {
      txid: graphTxid(i),
      version: 2,
      locktime: 0,
      size: 200,
      weight: 800,
      fee,
      vin,
      vout,
      status: this.status(i),
    };
  }

  outspends(i: number): Outspend[] {
    const g = this.g;
    const res: Outspend[] = [];
    for (let o = g.outStart[i]!; o < g.outStart[i + 1]!; o++) {
      const s = g.spender[o]!;
      if (s < 0) {
        res.push({ spent: false, txid: null, vin: null, status: null });
        continue;
      }
      let vin = 0;
      while (g.inOutpoint[g.inStart[s]! + vin] !== o) vin++;
      res.push({ spent: true, txid: graphTxid(s), vin, status: this.status(s) });
    }
    return res;
  }

  knownTx(txid: string): Tx | undefined {
    this.requests++;
    return this.held.get(txid);
  }
  knownOutspends(txid: string): Outspend[] | undefined {
    this.requests++;
    return this.heldOutspends.get(txid);
  }
  getTx(txid: string): Promise<Tx> {
    this.requests++;
    const tx = this.held.get(txid);
    return tx ? Promise.resolve(tx) : Promise.reject(notFound(txid));
  }
  getOutspends(txid: string): Promise<Outspend[]> {
    this.requests++;
    const os = this.heldOutspends.get(txid);
    return os ? Promise.resolve(os) : Promise.reject(notFound(txid));
  }
  getOutspendsMany(txids: string[]): Promise<Outspend[][]> {
    this.requests++;
    const all: Outspend[][] = [];
    for (const t of txids) {
      const os = this.heldOutspends.get(t);
      if (os === undefined) return Promise.reject(notFound(t));
      all.push(os);
    }
    return Promise.resolve(all);
  }
  getAddressHistory(): Promise<never> {
    return Promise.reject(new NotFoundError('the generated graph keeps no address index', '/address'));
  }
  getAddressStats(): Promise<never> {
    return Promise.reject(new NotFoundError('the generated graph keeps no address index', '/address'));
  }
  getTipHeight(): Promise<number> {
    return Promise.resolve(Math.floor(this.g.txCount / TXS_PER_BLOCK) + 1);
  }
  getTxHex(): Promise<never> {
    return Promise.reject(new NotFoundError('the generated graph has no raw transactions', '/tx/hex'));
  }
  stats(): SourceStats {
    return { requests: this.requests, retries: 0, memoHits: 0, repeated: 0 };
  }
}
