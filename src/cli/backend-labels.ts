// A chain-wide backend's own attribution in a trace (GraphSense: src/sources/graphsense/
// attribution.ts). Its tags label every address the walk reads before the walk decides about it,
// so --stop-at stops at a GraphSense-tagged exchange as at one from --tags (the --tags file wins
// for an address both name). With --cluster, the cluster column is the backend's entity id.
import { normalizeAddress } from '../model/address.js';
import type { Tx } from '../model/tx.js';
import type { GraphSenseAttribution } from '../sources/graphsense/attribution.js';
export { labelBook } from '../sources/graphsense/attribution.js';
import type { ChainSource } from '../sources/source.js';
import type { Label } from '../labels/label.js';
import type { TraceResult } from '../trace/result.js';

function addressesOf(txs: readonly Tx[]): string[] {
  const out: string[] = [];
  for (const tx of txs) {
    for (const o of tx.vout) if (o.address) out.push(o.address);
    for (const i of tx.vin) if (i.prevout?.address) out.push(i.prevout.address);
  }
  return out;
}

/**
 * The source, answering each transaction (and history) only once its addresses' tags are in
 * `held` (the map behind the run's GraphSense LabelBook, attribution.ts labelBook()).
 */
export function withBackendLabels(
  source: ChainSource,
  attribution: GraphSenseAttribution,
  held: Map<string, readonly Label[]>,
): ChainSource {
  const label = async (txs: readonly Tx[]): Promise<void> => {
    const found = await attribution.labels(addressesOf(txs));
    for (const [address, labels] of found) {
      const key = normalizeAddress(address);
      if (labels.length > 0 && !held.has(key)) held.set(key, labels);
    }
  };
  return {
    description: source.description,
    stats: () => source.stats(),
    getTx: async (txid) => {
      const tx = await source.getTx(txid);
      await label([tx]);
      return tx;
    },
    getAddressHistory: async (address, maxTxs) => {
      const h = await source.getAddressHistory(address, maxTxs);
      await label(h.txs);
      return h;
    },
    getOutspends: (txid) => source.getOutspends(txid),
    getOutspendsMany: (txids) => source.getOutspendsMany(txids),
    getAddressStats: (address) => source.getAddressStats(address),
    getTipHeight: () => source.getTipHeight(),
    getTxHex: (txid) => source.getTxHex(txid),
  };
}

/** The cluster column from the backend's entities: "gs:<entity id>", null where it has none. */
export async function addBackendClusters(
  result: TraceResult,
  attribution: GraphSenseAttribution,
): Promise<void> {
  const addresses = result.rows.map((r) => r.address).filter((a): a is string => a !== null);
  const ids = await attribution.entities(addresses);
  for (const r of result.rows) {
    const id = r.address ? ids.get(r.address) : undefined;
    r.cluster = id === undefined ? null : `gs:${id}`;
  }
}
