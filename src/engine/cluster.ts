// Common-input clustering over a TxGraph: the addresses spent together as inputs of one
// transaction are merged, with the project's union-find (src/cluster/union-find.ts) over the
// graph's dense address ids. CoinJoin detection is not applied here (the graph holds values
// and addresses only); src/cluster does that on real transactions before merging.

import { UnionFind } from '../cluster/union-find.js';
import type { TxGraph } from './graph.js';

export interface ClusterResult {
  sets: UnionFind;
  /** Inputs looked at (all inputs of the graph). */
  inputs: number;
  /** Unions that joined two different sets. */
  merges: number;
  /** Clusters (sets) among the graph's addresses. */
  clusters: number;
}

export function clusterInputs(g: TxGraph): ClusterResult {
  const sets = new UnionFind(Math.max(1, g.addressCount));
  for (let a = 0; a < g.addressCount; a++) sets.add();
  const { inStart, inOutpoint, outAddress } = g;
  let merges = 0;
  for (let i = 0; i < g.txCount; i++) {
    const a = inStart[i]!;
    const b = inStart[i + 1]!;
    if (b - a < 2) continue;
    const first = outAddress[inOutpoint[a]!]!;
    for (let k = a + 1; k < b; k++) if (sets.union(first, outAddress[inOutpoint[k]!]!)) merges++;
  }
  return {
    sets,
    inputs: inStart[g.txCount]!,
    merges,
    clusters: g.addressCount - merges,
  };
}
