// A wrapper that remembers every transaction and outspends answer that passed through it, so
// that after a trace the CLI can cluster and annotate what the walk read without asking the
// explorer again.
import type { Outspend, Tx } from '../model/tx.js';
import type { ChainSource } from './source.js';

export interface Captured {
  txs: Map<string, Tx>;
  outspends: Map<string, Outspend[]>;
}

export function capturing(inner: ChainSource): { source: ChainSource; captured: Captured } {
  const captured: Captured = { txs: new Map(), outspends: new Map() };
  const keep = (tx: Tx) => {
    if (!captured.txs.has(tx.txid)) captured.txs.set(tx.txid, tx);
    return tx;
  };
  const source: ChainSource = {
    description: inner.description,
    getTx: async (t) => keep(await inner.getTx(t)),
    getOutspends: async (t) => {
      const os = await inner.getOutspends(t);
      captured.outspends.set(t, os);
      return os;
    },
    getOutspendsMany: async (ts) => {
      const all = await inner.getOutspendsMany(ts);
      ts.forEach((t, i) => captured.outspends.set(t, all[i]!));
      return all;
    },
    getAddressHistory: async (a, m) => {
      const h = await inner.getAddressHistory(a, m);
      for (const tx of h.txs) keep(tx);
      return h;
    },
    getAddressStats: (a) => inner.getAddressStats(a),
    getTipHeight: () => inner.getTipHeight(),
    getTxHex: (t) => inner.getTxHex(t),
    stats: () => inner.stats(),
  };
  return { source, captured };
}
