// Turns an engine TxGraph into a chain the explorer walk can read (raw Esplora JSON in a
// MemoryChain, served without HTTP), so tests can check that the engine and the walk give the
// same taint on the same transactions.

import { EsploraSource, memoized } from '../../src/sources/index.js';
import type { MemoryChain } from '../support/memory.js';
import type { ChainSource } from '../../src/sources/source.js';
import type { Transport } from '../../src/sources/transport.js';
import { outCount, type TxGraph } from './graph/graph.js';
import { ChainBuilder } from './chain-builder.js';

export interface GraphChain {
  chain: MemoryChain;
  /** Txid of each transaction id. */
  txids: string[];
  /** "txid:vout" of each output id. */
  outpoints: string[];
}

export function graphChain(g: TxGraph, name = 'graph'): GraphChain {
  const b = new ChainBuilder(name);
  const txids: string[] = [];
  const outpoints: string[] = new Array<string>(outCount(g));
  for (let i = 0; i < g.txCount; i++) {
    if (i > 0 && i % 50 === 0) b.block();
    const ins: string[] = [];
    for (let k = g.inStart[i]!; k < g.inStart[i + 1]!; k++) ins.push(outpoints[g.inOutpoint[k]!]!);
    const outs = [];
    for (let o = g.outStart[i]!; o < g.outStart[i + 1]!; o++) {
      outs.push({ to: `a${g.outAddress[o]}`, value: g.outValue[o]! });
    }
    const txid = b.tx(ins, outs);
    txids.push(txid);
    for (let o = g.outStart[i]!; o < g.outStart[i + 1]!; o++) outpoints[o] = `${txid}:${o - g.outStart[i]!}`;
  }
  return { chain: b.chain(), txids, outpoints };
}

/** A ChainSource answering from a MemoryChain in process (the real parsing, no HTTP). */
export function memorySource(chain: MemoryChain): ChainSource {
  let requests = 0;
  const transport: Transport = {
    description: 'memory',
    get: (path) => {
      requests++;
      const a = chain.answer(path);
      if (a.status !== 200) return Promise.reject(new Error(`${path}: ${a.status} ${a.body}`));
      return Promise.resolve({ status: a.status, body: a.body, headers: {} });
    },
    stats: () => ({ requests, retries: 0 }),
  };
  return memoized(new EsploraSource(transport, { bulkOutspends: false }));
}
