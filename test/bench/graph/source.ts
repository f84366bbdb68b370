// A ChainSource answering from a generated TxGraph in process: normalized transactions built on
// demand from the typed arrays, no HTTP, no JSON. The walk benchmark runs the CLI's own trace()
// over it, so what it measures is the walk users run, minus the network.

import type { Outspend, Tx, TxOut } from '../../../src/model/tx.js';
import type { ChainSource, SourceStats } from '../../../src/sources/source.js';
import { NotFoundError } from '../../../src/sources/errors.js';
import type { TxGraph } from './graph.js';

/** Transactions per generated block: block heights and times follow creation order. */
const TXS_PER_BLOCK = 50;
const GENESIS_TIME = 1_700_000_000;

export function graphTxid(i: number): string {
  return i.toString(16).padStart(64, '0');
}

function txIndex(txid: string): number {
  const i = Number.parseInt(txid, 16);
  if (!/^[0-9a-f]{64}$/.test(txid) || !Number.isSafeInteger(i))
    throw new NotFoundError(`tx ${txid}`, `/tx/${txid}`);
  return i;
}

export class GraphSource implements ChainSource {
  readonly description = 'generated graph (in memory)';
  private requests = 0;
  /** Output id -> its transaction, filled once (a binary search per lookup would do too). */
  private readonly outTx: Int32Array;

  constructor(private readonly g: TxGraph) {
    this.outTx = new Int32Array(g.outStart[g.txCount]!);
    for (let i = 0; i < g.txCount; i++) this.outTx.fill(i, g.outStart[i], g.outStart[i + 1]);
  }

  private status(i: number): Tx['status'] {
    const height = Math.floor(i / TXS_PER_BLOCK) + 1;
    return {
      confirmed: true,
      height,
      hash: graphTxid(height + 0x10_0000_0000),
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
    return this.tx(txIndex(txid));
  }
  knownOutspends(txid: string): Outspend[] | undefined {
    this.requests++;
    return this.outspends(txIndex(txid));
  }
  getTx(txid: string): Promise<Tx> {
    this.requests++;
    return Promise.resolve(this.tx(txIndex(txid)));
  }
  getOutspends(txid: string): Promise<Outspend[]> {
    this.requests++;
    return Promise.resolve(this.outspends(txIndex(txid)));
  }
  getOutspendsMany(txids: string[]): Promise<Outspend[][]> {
    this.requests++;
    return Promise.resolve(txids.map((t) => this.outspends(txIndex(t))));
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
