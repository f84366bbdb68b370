// ChainSource over a GraphSense REST API (self-hosted graphsense-REST, or the hosted service
// with an API key). Requests per transaction: its body (GET /btc/txs/<hash>?include_io...) and
// the outpoints its inputs spend (/spending), asked together; its outspends are one more
// (/spent_in), joined with the output count of the body (shared, never asked twice).
// Address histories page through /addresses/<a>/txs (next_page tokens) and then read each
// transaction as above. GraphSense holds confirmed transactions only: no mempool, no raw hex.

import type { AddressStats, Outspend, Tx } from '../../model/tx.js';
import { BadRequestError, IntegrityError, NotFoundError, SourceError, UnavailableError } from '../errors.js';
import { HttpTransport, type GetOptions, type ValidatingTransport } from '../http.js';
import { MalformedBodyError, parseJson } from '../parse.js';
import { BulkQueue, type BulkOperation } from './bulk.js';
import type { AddressHistory, ChainSource, SourceStats } from '../source.js';
import { GRAPHSENSE_CURRENCY, graphsensePath } from './paths.js';
import {
  assembleTx,
  parseHistoryPage,
  parseTipHeight,
  parseTxBody,
  parseTxRefs,
  type GraphSenseTxBody,
} from './parse.js';
import { checkAddress, checkTxid } from '../path-args.js';

/** Pages read for one address at most, whatever maxTxs asks (a loop guard, reported as a cut). */
export const MAX_HISTORY_PAGES = 1000;

/** What a refused request means for a GraphSense user, in one line. */
export function explainFailure(e: unknown, base: string): unknown {
  if (!(e instanceof SourceError) || e instanceof NotFoundError || e instanceof BadRequestError) return e;
  if (e.status === 401 || e.status === 403) {
    return new UnavailableError(
      `GraphSense ${base} refused the API key (HTTP ${e.status}): set GRAPHSENSE_API_KEY to a valid key for this API`,
      e.resource,
      e.status,
    );
  }
  if (e.status === 429) {
    return new UnavailableError(
      `GraphSense ${base}: request quota exceeded (HTTP 429, retries spent): wait, lower --rate, or raise the key's quota`,
      e.resource,
      e.status,
    );
  }
  return e;
}

export class GraphSenseSource implements ChainSource {
  readonly description: string;
  private readonly sent = new Set<string>();
  private repeated = 0;
  /** Transaction bodies asked so far (getTx and getOutspends share them). */
  private readonly bodies = new Map<string, Promise<GraphSenseTxBody>>();
  private readonly txs = new Map<string, Promise<Tx>>();

  /** Bulk requests for what is asked in the same tick (HTTP transports only). */
  private readonly bulk: BulkQueue | null;

  constructor(
    private readonly transport: ValidatingTransport,
    options: { bulk?: boolean } = {},
  ) {
    this.description = `graphsense ${transport.description}`;
    this.bulk =
      options.bulk && transport instanceof HttpTransport
        ? new BulkQueue(
            transport,
            (op, hash) => this.singleRows(op, hash),
            (e) => explainFailure(e, transport.description),
          )
        : null;
  }

  /** Bulk requests sent (each also counts in stats().requests). */
  bulkRequests(): number {
    return this.bulk?.requests ?? 0;
  }

  stats(): SourceStats {
    const t = this.transport.stats();
    return { requests: t.requests, retries: t.retries, memoHits: 0, repeated: this.repeated };
  }

  getTx(txid: string): Promise<Tx> {
    let id: string;
    try {
      id = checkTxid(txid);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    // Address histories read their transactions here too, so overlapping histories share them.
    return this.once(this.txs, id, async () => {
      const spendingPath = graphsensePath.spending(id);
      const [body, refs] = await Promise.all([
        this.body(id),
        this.refs('get_spending_txs', id, spendingPath),
      ]);
      return assembleTx(body, refs, spendingPath);
    });
  }

  async getOutspends(txid: string): Promise<Outspend[]> {
    const id = checkTxid(txid);
    const path = graphsensePath.spentIn(id);
    const [body, refs] = await Promise.all([this.body(id), this.refs('get_spent_in_txs', id, path)]);
    const list: Outspend[] = body.outputs.map(() => ({ spent: false, txid: null, vin: null, status: null }));
    for (const r of refs) {
      const o = list[r.outputIndex];
      if (!o || o.spent) {
        throw new IntegrityError(
          `${path}: output ${r.outputIndex} is ${o ? 'spent twice' : `listed, but ${id} has ${list.length} outputs`}`,
          path,
        );
      }
      // The spender's block is not in the answer; the walk reads the spender itself anyway.
      list[r.outputIndex] = { spent: true, txid: r.txid, vin: r.inputIndex, status: null };
    }
    return list;
  }

  getOutspendsMany(txids: string[]): Promise<Outspend[][]> {
    return Promise.all(txids.map((t) => this.getOutspends(t)));
  }

  /**
   * Newest first (GraphSense's default order: height descending), pages of 100 until the end,
   * maxTxs or MAX_HISTORY_PAGES; then each transaction is read. An address GraphSense has never
   * seen (404) has an empty history, as on Esplora.
   */
  async getAddressHistory(address: string, maxTxs: number): Promise<AddressHistory> {
    checkAddress(address);
    if (!(maxTxs >= 1) || (!Number.isInteger(maxTxs) && maxTxs !== Infinity)) {
      throw new RangeError(`maxTxs must be a positive integer, got ${maxTxs}`);
    }
    const ids: string[] = [];
    const seen = new Set<string>();
    const tokens = new Set<string>();
    let page: string | null = null;
    let complete = true;
    for (let n = 0; ; n++) {
      if (n >= MAX_HISTORY_PAGES) {
        complete = false;
        break;
      }
      const path = graphsensePath.addressTxs(address, page);
      let got;
      try {
        got = await this.fetch(path, (text) => parseHistoryPage(parseJson(text, path), path));
      } catch (e) {
        if (e instanceof NotFoundError && n === 0) return { txs: [], complete: true };
        throw e;
      }
      for (const t of got.txs) {
        if (seen.has(t.txid)) continue;
        seen.add(t.txid);
        ids.push(t.txid);
      }
      if (got.next === null) break;
      if (ids.length >= maxTxs || tokens.has(got.next)) {
        // Cut by the limit, or the API handed out a token it gave before: stop, and say so.
        complete = false;
        break;
      }
      tokens.add(got.next);
      page = got.next;
    }
    if (ids.length > maxTxs) {
      ids.length = maxTxs;
      complete = false;
    }
    const txs = await Promise.all(ids.map((t) => this.getTx(t)));
    // Height descending whatever order the pages came in; stable within a block.
    const order = txs.map((tx, k) => ({ tx, k }));
    order.sort((a, b) => (b.tx.status.height ?? 0) - (a.tx.status.height ?? 0) || a.k - b.k);
    return { txs: order.map((o) => o.tx), complete };
  }

  getAddressStats(address: string): Promise<AddressStats> {
    checkAddress(address);
    return Promise.reject(
      new BadRequestError(
        `GraphSense: address totals are not read from GraphSense yet; use an Esplora provider for 'address'`,
        graphsensePath.address(address),
      ),
    );
  }

  async getTipHeight(): Promise<number> {
    const path = graphsensePath.stats();
    return this.fetch(path, (text) => parseTipHeight(parseJson(text, path), path, GRAPHSENSE_CURRENCY));
  }

  getTxHex(txid: string): Promise<string> {
    return Promise.reject(
      new BadRequestError(`GraphSense has no raw transactions (${checkTxid(txid)})`, graphsensePath.tx(txid)),
    );
  }

  private body(id: string): Promise<GraphSenseTxBody> {
    return this.once(this.bodies, id, () => {
      const path = graphsensePath.tx(id);
      if (!this.bulk) return this.fetch(path, (text) => parseTxBody(parseJson(text, path), path, id));
      return this.bulk.ask('get_tx', id).then((rows) => {
        if (rows.length !== 1)
          throw new MalformedBodyError(`${path}: the bulk answer has ${rows.length} rows for ${id}`, path);
        return parseTxBody(rows[0], path, id);
      });
    });
  }

  private refs(op: BulkOperation, id: string, path: string) {
    if (!this.bulk) return this.fetch(path, (text) => parseTxRefs(parseJson(text, path), path));
    return this.bulk.ask(op, id).then((rows) => parseTxRefs(rows, path));
  }

  /** One hash by GET, as the rows a bulk answer would hold for it (validated on the way). */
  private singleRows(op: BulkOperation, hash: string): Promise<unknown[]> {
    const path =
      op === 'get_tx'
        ? graphsensePath.tx(hash)
        : op === 'get_spending_txs'
          ? graphsensePath.spending(hash)
          : graphsensePath.spentIn(hash);
    return this.fetch(path, (text) => {
      const json = parseJson(text, path);
      if (op === 'get_tx') {
        parseTxBody(json, path, hash);
        return [json];
      }
      parseTxRefs(json, path);
      return json as unknown[];
    });
  }

  /** One in-flight or settled answer per key; a failure is forgotten so a later call may retry. */
  private once<T>(map: Map<string, Promise<T>>, key: string, call: () => Promise<T>): Promise<T> {
    let p = map.get(key);
    if (!p) {
      p = call();
      map.set(key, p);
      p.catch(() => {
        if (map.get(key) === p) map.delete(key);
      });
    }
    return p;
  }

  private async fetch<T>(path: string, parse: (body: string) => T): Promise<T> {
    if (this.sent.has(path)) this.repeated++;
    else this.sent.add(path);
    const held: { value?: T; done: boolean } = { done: false };
    const options: GetOptions = {
      validate: (r) => {
        held.value = parse(r.body);
        held.done = true;
      },
    };
    try {
      const response = await this.transport.get(path, options);
      return held.done ? (held.value as T) : parse(response.body);
    } catch (e) {
      throw explainFailure(e, this.transport.description);
    }
  }
}
