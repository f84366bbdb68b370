// Cluster expansion through an explorer: start from seed addresses, read each member's
// history, and add every address that a member co-spent with (common-input ownership, CoinJoins
// excluded); repeat for the new members until nothing new appears or a limit stops the walk.
// Histories are fetched a few at a time ahead of the one being read, but always applied in
// queue order, so the result does not depend on which answer arrives first.
import { plural } from '../output/summary.js';
import { InputError } from '../model/errors.js';
import type { Tx } from '../model/tx.js';
import { SourceError } from '../sources/errors.js';
import type { AddressHistory, ChainSource } from '../sources/source.js';
import {
  assessCoinJoin,
  DEFAULT_VETO,
  DETECTORS,
  vetoFindings,
  type CoinJoinDetector,
  type Confidence,
} from './coinjoin/index.js';
import { compareChainOrder, inputKeys, strongest } from './common-input.js';
import type {
  ClusterResult,
  CoinJoinSeen,
  ExpandedMember,
  ExpandLimits,
  ExpandOptions,
  IncompleteKind,
  IncompleteReason,
} from './cluster-result.js';
import { isScriptKey } from './keys.js';
import { compareKeys, KeyedUnionFind } from './union-find.js';

type Outcome = { ok: true; history: AddressHistory } | { ok: false; error: unknown };

function positiveInt(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 1) throw new InputError(`${name} must be a positive integer, got ${v}`);
}

export async function expandCluster(
  source: ChainSource,
  seeds: readonly string[],
  limits: ExpandLimits,
  options: ExpandOptions = {},
): Promise<ClusterResult> {
  positiveInt('maxAddresses', limits.maxAddresses);
  positiveInt('maxTxs', limits.maxTxs);
  positiveInt('maxAddressTxs', limits.maxAddressTxs);
  const concurrency = options.concurrency ?? 4;
  positiveInt('concurrency', concurrency);
  const detectors = options.detectors ?? DETECTORS;
  const veto = options.veto ?? DEFAULT_VETO;
  const seedList = [...new Set(seeds.map((s) => s.trim()).filter((s) => s.length > 0))].sort(compareKeys);
  if (seedList.length === 0) throw new InputError('no seed address given');

  const uf = new KeyedUnionFind();
  const info = new Map<string, { hop: number; linkedByTxid: string | null }>();
  const queue: string[] = [];
  const incomplete: IncompleteReason[] = [];
  const omitted = new Set<string>();

  const addMember = (key: string, hop: number, txid: string | null): boolean => {
    if (info.has(key)) return true;
    if (info.size >= limits.maxAddresses) {
      omitted.add(key);
      return false;
    }
    info.set(key, { hop, linkedByTxid: txid });
    uf.add(key);
    if (isScriptKey(key)) {
      incomplete.push({
        kind: 'no-address-history',
        address: key,
        message: `${key} has no address, so its history could not be read`,
      });
    } else {
      queue.push(key);
    }
    return true;
  };
  for (const s of seedList) addMember(s, 0, null);

  const seenTxs = new Set<string>();
  const linked = new Set<string>();
  const coinjoinCache = new Map<string, CoinJoinSeen | null>();
  const flagged = new Map<string, CoinJoinSeen>();
  const skipped = new Map<string, CoinJoinSeen>();
  let maxTxsHit = false;
  let expanded = 0;

  // Look-ahead window: histories queue[i .. i+concurrency-1] are in flight while queue[i] is read.
  const pending: (Promise<Outcome> | undefined)[] = [];
  let launched = 0;
  const pump = (upTo: number): void => {
    while (launched < queue.length && launched < upTo) {
      const address = queue[launched]!;
      pending[launched] = source.getAddressHistory(address, limits.maxAddressTxs).then(
        (history): Outcome => ({ ok: true, history }),
        (error: unknown): Outcome => ({ ok: false, error }),
      );
      launched++;
    }
  };

  let next = 0;
  for (; next < queue.length; next++) {
    if (maxTxsHit || omitted.size > 0) break;
    pump(next + concurrency);
    const address = queue[next]!;
    const outcome = await pending[next]!;
    pending[next] = undefined;
    if (!outcome.ok) {
      if (!(outcome.error instanceof SourceError)) throw outcome.error;
      incomplete.push({
        kind: 'fetch-error',
        address,
        message: `history of ${address} could not be read: ${outcome.error.message}`,
      });
      continue;
    }
    expanded++;
    const { history } = outcome;
    if (!history.complete) {
      incomplete.push({
        kind: 'address-history-cut',
        address,
        message: `history of ${address} was cut at ${plural(limits.maxAddressTxs, 'transaction')} (--max-address-txs)`,
      });
    }
    const hop = info.get(address)!.hop + 1;
    for (const tx of orderedUnique(history.txs)) {
      if (!seenTxs.has(tx.txid)) {
        if (seenTxs.size >= limits.maxTxs) {
          maxTxsHit = true;
          break;
        }
        seenTxs.add(tx.txid);
      }
      if (tx.vin.some((i) => i.coinbase)) continue;
      const keys = inputKeys(tx);
      const spendsHere = keys.includes(address);
      let cj = coinjoinCache.get(tx.txid);
      if (cj === undefined) coinjoinCache.set(tx.txid, (cj = vetoOf(tx, detectors, veto)));
      if (cj !== null) {
        flagged.set(tx.txid, cj);
        if (spendsHere) skipped.set(tx.txid, cj);
        continue;
      }
      if (!spendsHere || keys.length < 2 || linked.has(tx.txid)) continue;
      linked.add(tx.txid);
      const fresh: string[] = [];
      for (const k of keys) {
        if (info.has(k)) uf.union(address, k);
        else fresh.push(k);
      }
      fresh.sort(compareKeys);
      for (const k of fresh) if (addMember(k, hop, tx.txid)) uf.union(address, k);
    }
  }

  const unread = queue.length - next;
  if (maxTxsHit) {
    incomplete.push({
      kind: 'max-txs',
      address: null,
      message:
        `stopped after ${plural(limits.maxTxs, 'transaction')} (--max-txs); ` +
        `${plural(unread + 1, 'member history', 'member histories')} not read to the end`,
    });
  }
  if (omitted.size > 0) {
    const first = [...omitted].sort(compareKeys)[0]!;
    incomplete.push({
      kind: 'max-addresses',
      address: null,
      message:
        `stopped at ${plural(limits.maxAddresses, 'address')} (--max-addresses); ` +
        `${plural(omitted.size, 'further linked address', 'further linked addresses')} not listed (first ${first}); ` +
        `${plural(unread, 'member history', 'member histories')} not read`,
    });
  }

  const clusterOf = new Map<string, string>();
  const clusters: { id: string; size: number }[] = [];
  for (const group of uf.groups()) {
    clusters.push({ id: group[0]!, size: group.length });
    for (const k of group) clusterOf.set(k, group[0]!);
  }
  const members: ExpandedMember[] = [...info.entries()].map(([address, m]) => ({
    address,
    clusterId: clusterOf.get(address)!,
    linkedByTxid: m.linkedByTxid,
    hop: m.hop,
  }));
  members.sort(
    (a, b) => compareKeys(a.clusterId, b.clusterId) || a.hop - b.hop || compareKeys(a.address, b.address),
  );
  const seen = (m: Map<string, CoinJoinSeen>): CoinJoinSeen[] =>
    [...m.values()].sort((a, b) => compareKeys(a.txid, b.txid));

  return {
    seeds: seedList,
    members,
    clusters,
    complete: incomplete.length === 0,
    incomplete: sortReasons(incomplete),
    skipped: seen(skipped),
    flagged: seen(flagged),
    veto,
    linkTxids: [...linked].sort(compareKeys),
    counts: {
      members: members.length,
      addressesExpanded: expanded,
      txsExamined: seenTxs.size,
      linkingTxs: linked.size,
      skippedCoinJoins: skipped.size,
    },
  };
}

/** The veto on tx: its CoinJoin findings at or above the threshold, or null. */
function vetoOf(tx: Tx, detectors: readonly CoinJoinDetector[], veto: Confidence): CoinJoinSeen | null {
  const v = vetoFindings(assessCoinJoin(tx, detectors), veto);
  if (v.length === 0) return null;
  return {
    txid: tx.txid,
    detectors: v.map((f) => f.name),
    confidence: strongest(v)!,
    reasons: v.map((f) => `${f.name}: ${f.reason}`),
  };
}

/** A history in chain order without duplicate txids, whatever order the source gave. */
function orderedUnique(txs: readonly Tx[]): Tx[] {
  const byId = new Map<string, Tx>();
  for (const tx of txs) if (!byId.has(tx.txid)) byId.set(tx.txid, tx);
  return [...byId.values()].sort(compareChainOrder);
}

const KIND_ORDER: readonly IncompleteKind[] = [
  'max-addresses',
  'max-txs',
  'address-history-cut',
  'no-address-history',
  'fetch-error',
];

function sortReasons(reasons: IncompleteReason[]): IncompleteReason[] {
  return [...reasons].sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      compareKeys(a.address ?? '', b.address ?? ''),
  );
}
