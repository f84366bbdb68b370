// A wrapper that remembers every transaction and outspends answer that passed through it, so
// that after a trace the CLI can cluster and annotate what the walk read without asking the
// explorer again, and counts the resources the trace asked for (shared clients answer many
// traces, so their own request counters cannot say which trace cost what).
import type { Outspend, Tx } from '../model/tx.js';
import type { ChainSource } from './source.js';

export interface Captured {
  txs: Map<string, Tx>;
  outspends: Map<string, Outspend[]>;
  /** Resources asked for through this wrapper (a bulk call counts one per txid). */
  resources: number;
}

export function capturing(inner: ChainSource): { source: ChainSource; captured: Captured } {
  const captured: Captured = { txs: new Map(), outspends: new Map(), resources: 0 };
  const keep = (tx: Tx) => {
    if (!captured.txs.has(tx.txid)) captured.txs.set(tx.txid, tx);
    return tx;
  };
  const asked = <T>(p: () => Promise<T>, n = 1): Promise<T> => {
    captured.resources += n;
    return p();
  };
  const source: ChainSource = {
    description: inner.description,
    getTx: async (t) => keep(await asked(() => inner.getTx(t))),
    getOutspends: async (t) => {
      const os = await asked(() => inner.getOutspends(t));
      captured.outspends.set(t, os);
      return os;
    },
    getOutspendsMany: async (ts) => {
      const all = await asked(() => inner.getOutspendsMany(ts), ts.length);
      ts.forEach((t, i) => captured.outspends.set(t, all[i]!));
      return all;
    },
    // Answers the source holds already count as asked and are kept, like any other.
    ...(inner.knownTx && {
      knownTx: (t: string) => {
        const tx = inner.knownTx!(t);
        if (tx === undefined) return undefined;
        captured.resources++;
        return keep(tx);
      },
    }),
    ...(inner.knownOutspends && {
      knownOutspends: (t: string) => {
        const os = inner.knownOutspends!(t);
        if (os === undefined) return undefined;
        captured.resources++;
        captured.outspends.set(t, os);
        return os;
      },
    }),
    getAddressHistory: async (a, m) => {
      const h = await asked(() => inner.getAddressHistory(a, m));
      for (const tx of h.txs) keep(tx);
      return h;
    },
    getAddressStats: (a) => asked(() => inner.getAddressStats(a)),
    getTipHeight: () => asked(() => inner.getTipHeight()),
    getTxHex: (t) => asked(() => inner.getTxHex(t)),
    stats: () => inner.stats(),
  };
  return { source, captured };
}
