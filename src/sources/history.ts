// Paging an address history over Esplora: page 1 (/address/A/txs), then /txs/chain/<cursor>
// pages of 25 confirmed transactions, where the cursor is the last txid of the page before.
// The cursor comes from the explorer, so it is distrusted like any answer: a cursor already
// used, or a full page with nothing new, means the host loops (A -> B -> A ...), and the
// history ends as an IntegrityError (an error row and a partial result) instead of running on.

import type { Tx } from '../model/tx.js';
import { IntegrityError } from './errors.js';
import { esploraPath } from './resources.js';
import type { AddressHistory } from './source.js';

/** Confirmed transactions per /txs/chain page (both hosts), and page-1 size cap (mempool.space). */
export const CHAIN_PAGE_SIZE = 25;
export const FIRST_PAGE_MAX = 50;

/**
 * Page 1 holds mempool txs then confirmed ones: on blockstream.info up to 50 + 25, on
 * mempool.space up to 50 in all. Everything was on page 1 when it has fewer than 25 confirmed
 * and fewer than 50 in all; otherwise /txs/chain/<last confirmed txid> pages of 25 follow until
 * a shorter page. More than 50 unconfirmed cannot be listed by Esplora, so 50 on page 1 marks
 * the history incomplete.
 */
export async function pageHistory(
  address: string,
  maxTxs: number,
  page: (path: string) => Promise<Tx[]>,
): Promise<AddressHistory> {
  const order: (Tx | null)[] = [];
  const position = new Map<string, number>();
  /** True when the tx was new to this history. */
  const add = (tx: Tx): boolean => {
    const at = position.get(tx.txid);
    if (at !== undefined) {
      // Confirmed between two pages: keep the confirmed copy, in its confirmed place.
      if (tx.status.confirmed && !order[at]!.status.confirmed) {
        order[at] = null;
        position.set(tx.txid, order.length);
        order.push(tx);
      }
      return false;
    }
    position.set(tx.txid, order.length);
    order.push(tx);
    return true;
  };

  const first = await page(esploraPath.addressTxs(address));
  let unconfirmed = 0;
  let cursor: string | null = null;
  for (const tx of first) {
    add(tx);
    if (tx.status.confirmed) cursor = tx.txid;
    else unconfirmed++;
  }
  let complete = unconfirmed < FIRST_PAGE_MAX;
  let more = !(first.length - unconfirmed < CHAIN_PAGE_SIZE && first.length < FIRST_PAGE_MAX);
  const used = new Set<string>();
  while (more && position.size < maxTxs) {
    const path: string =
      cursor === null
        ? `${esploraPath.addressTxs(address)}/chain`
        : esploraPath.addressTxsChain(address, cursor);
    if (cursor !== null) used.add(cursor);
    const txs = await page(path);
    let fresh = 0;
    for (const tx of txs) if (add(tx)) fresh++;
    const last = txs.at(-1);
    if (txs.length < CHAIN_PAGE_SIZE || !last) more = false;
    else if (used.has(last.txid) || fresh === 0) {
      throw new IntegrityError(
        `${path}: the explorer's history of ${address} loops: this page ${fresh === 0 ? 'repeats transactions already listed' : `leads back to ${last.txid}, a page already read`} (after ${used.size + 1} pages); the history cannot be completed`,
        path,
      );
    } else cursor = last.txid;
  }
  let txs = order.filter((t): t is Tx => t !== null);
  if (txs.length > maxTxs) {
    txs = txs.slice(0, maxTxs);
    complete = false;
  } else if (more) complete = false;
  return { txs, complete };
}
