// The critical path of a trace: the longest chain of requests that must happen one after
// another, whatever the scheduler, given the requests the trace made and the case's graph.
//
// A request can only be sent once the txid or address it names is known:
//   d(page 1 of address A)          = 1          (seed addresses are given)
//   d(page k of A, /txs/chain/...)  = d(page k-1 of A) + 1   (it names the previous page's last txid)
//   known(T) = min( d(P) for every requested history page P that lists T,
//                   d(outspends of P) for every parent P of T whose outspends were requested )
//   d(/tx/T) = d(/tx/T/outspends)   = known(T) + 1   (both can go out together)
//   d(/blocks/tip/height)           = 1
// critical = max d over the resources requested. For a forward walk this is
// 1 (address page, more for paged histories) + one round trip per hop of the spend DAG reached.
// A txid given as a seed is known at 0 (its /tx request has d = 1).
// windowRounds() adds the limit of a bounded window: with `concurrency` requests in flight, the
// requests of depth >= d need (d - 1) + ceil(count / concurrency) rounds.

import type { MemoryChain } from '../support/memory.js';
import { resourcesOf } from './server.js';

function depthOfPages(chain: MemoryChain, pages: string[]): Map<string, number> {
  // Pages of one address, in the order the client must ask them: page 1, then /txs/chain/<last>.
  const byAddress = new Map<string, string[]>();
  for (const p of pages) {
    const address = p.split('/')[2]!;
    const list = byAddress.get(address) ?? [];
    list.push(p);
    byAddress.set(address, list);
  }
  const depth = new Map<string, number>();
  for (const list of byAddress.values()) {
    // Each chain page names the last txid of the page before it; follow those links.
    const lastOf = new Map<string, string>(); // page -> its last txid
    for (const p of list) {
      const txs = pageTxids(chain, p);
      if (txs.length > 0) lastOf.set(p, txs.at(-1)!);
    }
    const first = list.find((p) => /^\/address\/[^/]+\/txs$/.test(p));
    let at = first;
    let d = 1;
    while (at !== undefined && !depth.has(at)) {
      depth.set(at, d++);
      const last = lastOf.get(at);
      at = last === undefined ? undefined : list.find((p) => p.endsWith(`/txs/chain/${last}`));
    }
    for (const p of list) if (!depth.has(p)) depth.set(p, 1); // unreachable by links: count as first
  }
  return depth;
}

function pageTxids(chain: MemoryChain, path: string): string[] {
  const answer = chain.answer(path);
  if (answer.status !== 200) return [];
  return (JSON.parse(answer.body) as { txid: string }[]).map((t) => t.txid);
}

export interface Depths {
  /** Longest chain of round trips: max depth over the resources requested. */
  critical: number;
  /**
   * Depth of each request (same order as given). A bulk outspends request counts at the depth
   * of its shallowest transaction: the earliest a scheduler could have sent that work.
   */
  requests: number[];
}

/**
 * Depths (in round trips) of the requests a trace made, given as request paths (bulk outspends
 * included, see resourcesOf). `seedTxids` are txids given on the command line.
 */
export function requestDepths(
  chain: MemoryChain,
  paths: readonly string[],
  seedTxids: readonly string[] = [],
): Depths {
  const expanded = paths.map((p) => resourcesOf(p));
  const unique = [...new Set(expanded.flat())];
  const pages = unique.filter((r) => r.startsWith('/address/') && r.includes('/txs'));
  const pageDepth = depthOfPages(chain, pages);
  const known = new Map<string, number>();
  const lower = (txid: string, d: number): void => {
    if (d < (known.get(txid) ?? Infinity)) known.set(txid, d);
  };
  for (const t of seedTxids) lower(t, 0);
  for (const p of pages) for (const t of pageTxids(chain, p)) lower(t, pageDepth.get(p)!);

  const outspendsAsked = new Set<string>();
  for (const r of unique) {
    const m = /^\/tx\/([0-9a-f]{64})\/outspends$/.exec(r);
    if (m) outspendsAsked.add(m[1]!);
  }
  // Chain order is topological (parents first), so known(parent) is final when a child is reached.
  for (const txid of chain.txids()) {
    const tx = chain.getTx(txid)!;
    for (const i of tx.vin) {
      if (i.is_coinbase || !outspendsAsked.has(i.txid)) continue;
      const parent = known.get(i.txid);
      // d(outspends of the parent) = known(parent) + 1, and that answer names this txid.
      if (parent !== undefined) lower(txid, parent + 1);
    }
  }
  const depth = (r: string): number => {
    if (pageDepth.has(r)) return pageDepth.get(r)!;
    const m = /^\/tx\/([0-9a-f]{64})/.exec(r);
    return m ? (known.get(m[1]!) ?? 0) + 1 : 1;
  };
  let critical = 0;
  for (const r of unique) critical = Math.max(critical, depth(r));
  return { critical, requests: expanded.map((rs) => Math.min(...rs.map(depth))) };
}

/** Critical path (in round trips) of the given request paths. */
export function criticalPath(
  chain: MemoryChain,
  paths: readonly string[],
  seedTxids: readonly string[] = [],
): number {
  return requestDepths(chain, paths, seedTxids).critical;
}

/**
 * Round trips no client with `concurrency` requests in flight can beat, for requests of these
 * depths: the requests of depth >= d cannot start before round d, so they need at least
 * (d - 1) + ceil(count(depth >= d) / concurrency) rounds; the bound is the largest such value
 * over d. d = 1 gives ceil(requests / concurrency), the deepest d gives the critical path.
 */
export function windowRounds(depths: readonly number[], concurrency: number): number {
  let max = 0;
  for (const d of depths) if (d > max) max = d;
  const atLeast = new Array<number>(max + 2).fill(0);
  for (const d of depths) atLeast[d]!++;
  for (let d = max - 1; d >= 1; d--) atLeast[d]! += atLeast[d + 1]!;
  let rounds = 0;
  for (let d = 1; d <= max; d++) rounds = Math.max(rounds, d - 1 + Math.ceil(atLeast[d]! / concurrency));
  return rounds;
}
