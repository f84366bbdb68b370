// GraphSense bulk requests: POST /btc/bulk.json/<operation>?num_pages=1 with {"tx_hash": [...]}
// answers many transactions in one request (graphsense-REST bulk route: a JSON array of the
// operation's rows, each with "_request_tx_hash"; "_info": "no data" for an empty list,
// "_error" for a failed key). Everything asked in one tick of the event loop leaves together, in
// chunks of BULK_MAX, so a walk that asks a whole hop at once pays one request per hop and
// endpoint. A chunk of one uses the ordinary GET; a host without bulk (404, 400) is asked one by
// one from then on.

import { BadRequestError, NotFoundError, UnavailableError } from '../errors.js';
import type { HttpTransport } from '../http.js';
import { MalformedBodyError, parseJson } from '../parse.js';
import { GRAPHSENSE_CURRENCY } from './paths.js';

/** Hashes per bulk request (GraphSense runs them 10 at a time server-side). */
export const BULK_MAX = 100;

export type BulkOperation = 'get_tx' | 'get_spending_txs' | 'get_spent_in_txs' | 'list_tags_by_address';

/** Extra parameters each operation is asked with (the same as its GET query). */
const PARAMS: Record<BulkOperation, Record<string, unknown>> = {
  get_tx: { include_io: true, include_nonstandard_io: true, include_io_index: true },
  get_spending_txs: {},
  get_spent_in_txs: {},
  list_tags_by_address: {},
};

/** The body key each operation is asked by, and the pages of a list it reads. */
const KEY: Record<BulkOperation, 'tx_hash' | 'address'> = {
  get_tx: 'tx_hash',
  get_spending_txs: 'tx_hash',
  get_spent_in_txs: 'tx_hash',
  list_tags_by_address: 'address',
};
const KEY_FORM = { tx_hash: /^[0-9a-f]{64}$/, address: /^[A-Za-z0-9]{1,100}$/ };
const PAGES: Record<BulkOperation, number> = {
  get_tx: 1,
  get_spending_txs: 1,
  get_spent_in_txs: 1,
  list_tags_by_address: 3,
};

interface Waiter {
  resolve: (rows: unknown[]) => void;
  reject: (e: unknown) => void;
}

export function bulkPath(op: BulkOperation): string {
  return `/${GRAPHSENSE_CURRENCY}/bulk.json/${op}?num_pages=${PAGES[op]}`;
}

/** Rows of one bulk answer by requested key; _error rows become errors, _info rows nothing. */
export function groupBulkRows(
  json: unknown,
  resource: string,
  keyField: 'tx_hash' | 'address' = 'tx_hash',
): Map<string, unknown[] | Error> {
  if (!Array.isArray(json)) throw new MalformedBodyError(`${resource}: expected an array of rows`, resource);
  const out = new Map<string, unknown[] | Error>();
  json.forEach((row: unknown, k) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row))
      throw new MalformedBodyError(`${resource}: [${k}]: expected an object`, resource);
    const r = row as Record<string, unknown>;
    const key = r[`_request_${keyField}`];
    if (typeof key !== 'string' || !KEY_FORM[keyField].test(key))
      throw new MalformedBodyError(
        `${resource}: [${k}]._request_${keyField}: expected a ${keyField}`,
        resource,
      );
    const known = out.get(key) ?? [];
    if (known instanceof Error) return;
    if (typeof r._error === 'string') {
      const what = `${resource}: ${key}: ${r._error.slice(0, 200)}`;
      out.set(
        key,
        r._error === 'not found' ? new NotFoundError(what, resource) : new UnavailableError(what, resource),
      );
      return;
    }
    if (r._info === undefined) known.push(row);
    out.set(key, known);
  });
  return out;
}

export class BulkQueue {
  private pending: Map<BulkOperation, Map<string, Waiter[]>> = new Map();
  private scheduled = false;
  /** False once the host refused a bulk request: everything goes one by one. */
  enabled = true;
  requests = 0;

  constructor(
    private readonly transport: HttpTransport,
    /** The ordinary one-hash request, answering the rows the bulk route would give. */
    private readonly single: (op: BulkOperation, hash: string) => Promise<unknown[]>,
    private readonly explain: (e: unknown) => unknown,
  ) {}

  ask(op: BulkOperation, hash: string): Promise<unknown[]> {
    if (!this.enabled) return this.single(op, hash);
    return new Promise((resolve, reject) => {
      let byHash = this.pending.get(op);
      if (!byHash) this.pending.set(op, (byHash = new Map<string, Waiter[]>()));
      const list = byHash.get(hash) ?? [];
      list.push({ resolve, reject });
      byHash.set(hash, list);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const all = this.pending;
    this.pending = new Map();
    this.scheduled = false;
    for (const [op, byHash] of all) {
      const entries = [...byHash];
      for (let k = 0; k < entries.length; k += BULK_MAX) void this.send(op, entries.slice(k, k + BULK_MAX));
    }
  }

  private async send(op: BulkOperation, chunk: [string, Waiter[]][]): Promise<void> {
    const settle = (hash: string, waiters: Waiter[], p: Promise<unknown[]>) =>
      p.then(
        (rows) => waiters.forEach((w) => w.resolve(rows)),
        (e: unknown) => waiters.forEach((w) => w.reject(e)),
      );
    if (chunk.length === 1 || !this.enabled) {
      for (const [hash, waiters] of chunk) void settle(hash, waiters, this.single(op, hash));
      return;
    }
    const path = bulkPath(op);
    let grouped: Map<string, unknown[] | Error> | undefined;
    try {
      this.requests++;
      await this.transport.post(
        path,
        { [KEY[op]]: chunk.map(([h]) => h), ...PARAMS[op] },
        { validate: (r) => void (grouped = groupBulkRows(parseJson(r.body, path), path, KEY[op])) },
      );
    } catch (e) {
      if (e instanceof NotFoundError || e instanceof BadRequestError) {
        // No bulk route here (or not for this key): one by one from now on.
        this.enabled = false;
        for (const [hash, waiters] of chunk) void settle(hash, waiters, this.single(op, hash));
        return;
      }
      const err = this.explain(e);
      for (const [, waiters] of chunk) waiters.forEach((w) => w.reject(err));
      return;
    }
    for (const [hash, waiters] of chunk) {
      const got = grouped!.get(hash);
      // A hash the answer left out is asked on its own rather than taken as empty.
      if (got === undefined) void settle(hash, waiters, this.single(op, hash));
      else if (got instanceof Error) waiters.forEach((w) => w.reject(got));
      else waiters.forEach((w) => w.resolve(got));
    }
  }
}
