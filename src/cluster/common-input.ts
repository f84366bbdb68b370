// Common-input ownership ("Heuristic 1", Meiklejohn et al. 2013; BlockSci processTransaction):
// the addresses a transaction spends from are controlled by one entity, so they join one
// cluster. Coinbase transactions and CoinJoins (a finding at or above the veto threshold) link
// nothing; a Tx0 or a weaker CoinJoin finding does. Every link
// keeps its transaction, so a case file can say why two addresses are together.
import type { Tx } from '../model/tx.js';
import {
  assessCoinJoin,
  DEFAULT_VETO,
  DETECTORS,
  vetoFindings,
  type CoinJoinDetector,
  type CoinJoinFinding,
  type Confidence,
} from './coinjoin/index.js';
import { inputKey } from './keys.js';
import { compareKeys, KeyedUnionFind } from './union-find.js';

export interface ClusterMember {
  /** Address, or "script:<hex>" for an input without an address (P2PK, bare multisig). */
  address: string;
  /** The cluster's smallest member (byte-stable across runs). */
  clusterId: string;
  /** First transaction (chain order) that spent this address together with another; null if none did. */
  linkedByTxid: string | null;
}

export interface Cluster {
  id: string;
  /** Sorted. */
  addresses: string[];
}

/** A transaction that linked two or more addresses. */
export interface LinkEvidence {
  txid: string;
  height: number | null;
  /** Its distinct input addresses, sorted. */
  addresses: string[];
}

export interface SkippedTx {
  txid: string;
  reason: 'coinbase' | 'coinjoin';
  /** Names of the CoinJoin detectors that vetoed (empty for coinbase). */
  detectors: string[];
  /** The strongest vetoing finding's confidence; null for coinbase. */
  confidence: Confidence | null;
}

/** The strongest confidence among vetoing findings (they are at or above the threshold). */
export function strongest(findings: readonly CoinJoinFinding[]): Confidence | null {
  if (findings.some((f) => f.confidence === 'definite')) return 'definite';
  if (findings.some((f) => f.confidence === 'likely')) return 'likely';
  return findings.length > 0 ? 'possible' : null;
}

export interface CommonInputClustering {
  /** Sorted by id. */
  clusters: Cluster[];
  /** One per input address seen in a linking-eligible transaction; sorted by clusterId, address. */
  members: ClusterMember[];
  /** Chain order. */
  links: LinkEvidence[];
  /** Chain order. */
  skipped: SkippedTx[];
}

export interface CommonInputOptions {
  /** CoinJoin detectors that veto a link (default DETECTORS). */
  detectors?: readonly CoinJoinDetector[];
  /** Weakest confidence that vetoes a link (default likely). */
  veto?: Confidence;
}

/** Chain order: height ascending, unconfirmed last, then txid; the same whatever order txs came in. */
export function compareChainOrder(a: Tx, b: Tx): number {
  const ha = a.status.height ?? Number.POSITIVE_INFINITY;
  const hb = b.status.height ?? Number.POSITIVE_INFINITY;
  if (ha !== hb) return ha < hb ? -1 : 1;
  return compareKeys(a.txid, b.txid);
}

/** Distinct input keys of a transaction, in first-seen order. */
export function inputKeys(tx: Tx): string[] {
  const seen = new Set<string>();
  for (const i of tx.vin) {
    const k = inputKey(i);
    if (k !== null) seen.add(k);
  }
  return [...seen];
}

/** Clusters the input addresses of txs. Duplicate txids are counted once. */
export function buildClusters(txs: Iterable<Tx>, options: CommonInputOptions = {}): CommonInputClustering {
  const detectors = options.detectors ?? DETECTORS;
  const veto = options.veto ?? DEFAULT_VETO;
  const unique = new Map<string, Tx>();
  for (const tx of txs) if (!unique.has(tx.txid)) unique.set(tx.txid, tx);
  const ordered = [...unique.values()].sort(compareChainOrder);

  const uf = new KeyedUnionFind();
  // Indexed by interned id: the first linking txid, and the last tx (by position) that saw the id,
  // which dedupes a transaction's inputs without a Set per transaction.
  const linkedBy: (string | null)[] = [];
  const seenIn: number[] = [];
  const ids: number[] = [];
  const links: LinkEvidence[] = [];
  const skipped: SkippedTx[] = [];

  for (let t = 0; t < ordered.length; t++) {
    const tx = ordered[t]!;
    if (tx.vin.some((i) => i.coinbase)) {
      skipped.push({ txid: tx.txid, reason: 'coinbase', detectors: [], confidence: null });
      continue;
    }
    const vetoes = vetoFindings(assessCoinJoin(tx, detectors), veto);
    if (vetoes.length > 0) {
      skipped.push({
        txid: tx.txid,
        reason: 'coinjoin',
        detectors: vetoes.map((f) => f.name),
        confidence: strongest(vetoes),
      });
      continue;
    }
    ids.length = 0;
    for (const input of tx.vin) {
      const key = inputKey(input);
      if (key === null) continue;
      const id = uf.add(key);
      if (id === linkedBy.length) {
        linkedBy.push(null);
        seenIn.push(-1);
      }
      if (seenIn[id] !== t) {
        seenIn[id] = t;
        ids.push(id);
      }
    }
    if (ids.length < 2) continue;
    const first = ids[0]!;
    for (let k = 1; k < ids.length; k++) uf.unionIds(first, ids[k]!);
    for (const id of ids) if (linkedBy[id] === null) linkedBy[id] = tx.txid;
    const addresses = ids.map((id) => uf.interner.keyOf(id)).sort(compareKeys);
    links.push({ txid: tx.txid, height: tx.status.height, addresses });
  }

  const clusters: Cluster[] = [];
  const members: ClusterMember[] = [];
  for (const group of uf.groupIds()) {
    const addresses = group.map((id) => uf.interner.keyOf(id));
    const id = addresses[0]!;
    clusters.push({ id, addresses });
    for (let k = 0; k < group.length; k++) {
      members.push({ address: addresses[k]!, clusterId: id, linkedByTxid: linkedBy[group[k]!] ?? null });
    }
  }
  return { clusters, members, links, skipped };
}
