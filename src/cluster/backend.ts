// The `cluster` answer from a chain-wide backend's own clustering (GraphSense entities) instead
// of expanding common-input links through an explorer here. The backend clusters the whole chain
// with its own rules and CoinJoin handling; btctrace reports its members as they are, with
// cluster ids "gs:<entity id>", and says so in the run's conventions.
import type { GraphSenseAttribution } from '../sources/graphsense/attribution.js';
import type { ClusterResult, ExpandedMember, IncompleteReason } from './cluster-result.js';
import type { Confidence } from './coinjoin/index.js';

export const BACKEND_CLUSTER_CONVENTIONS =
  'GraphSense entities: its whole-chain multi-input clustering with its own CoinJoin rules, not computed by btctrace; cluster_id = gs:<entity id>; hop 0 = seed, 1 = member by the entity';

export async function backendCluster(
  attribution: GraphSenseAttribution,
  seeds: readonly string[],
  maxAddresses: number,
  veto: Confidence,
): Promise<ClusterResult> {
  const sorted = [...new Set(seeds)].sort();
  const entities = await attribution.entities(sorted);
  const members = new Map<string, ExpandedMember>();
  const incomplete: IncompleteReason[] = [];
  const ids = [...new Set(entities.values())].sort((a, b) => a - b);
  for (const s of sorted) {
    const e = entities.get(s);
    if (e === undefined) {
      members.set(s, { address: s, clusterId: `gs:none:${s}`, linkedByTxid: null, hop: 0 });
      incomplete.push({
        kind: 'no-address-history',
        address: s,
        message: `${s}: GraphSense has no entity for it`,
      });
    } else members.set(s, { address: s, clusterId: `gs:${e}`, linkedByTxid: null, hop: 0 });
  }
  for (const e of ids) {
    const got = await attribution.entityAddresses(e, maxAddresses);
    if (got === null) continue;
    if (!got.complete)
      incomplete.push({
        kind: 'max-addresses',
        address: null,
        message: `GraphSense entity ${e}: listed ${got.addresses.length} addresses (--max-addresses ${maxAddresses}); it has more`,
      });
    for (const a of got.addresses)
      if (!members.has(a)) members.set(a, { address: a, clusterId: `gs:${e}`, linkedByTxid: null, hop: 1 });
  }
  const list = [...members.values()].sort(
    (a, b) => a.clusterId.localeCompare(b.clusterId) || a.hop - b.hop || a.address.localeCompare(b.address),
  );
  const sizes = new Map<string, number>();
  for (const m of list) sizes.set(m.clusterId, (sizes.get(m.clusterId) ?? 0) + 1);
  return {
    seeds: sorted,
    members: list,
    clusters: [...sizes].map(([id, size]) => ({ id, size })).sort((a, b) => a.id.localeCompare(b.id)),
    complete: incomplete.length === 0,
    incomplete,
    skipped: [],
    flagged: [],
    veto,
    linkTxids: [],
    counts: {
      members: list.length,
      addressesExpanded: 0,
      txsExamined: 0,
      linkingTxs: 0,
      skippedCoinJoins: 0,
    },
  };
}
