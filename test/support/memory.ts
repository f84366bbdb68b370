// An Esplora explorer held in memory: an index over a list of transactions in raw Esplora JSON
// (the objects GET /tx/:txid returns), answering the REST paths btctrace uses with the bodies,
// statuses and plain-text errors an Esplora host would send. It backs the loopback test server,
// writes full offline recordings (fixtures/demo), and turns real recorded responses into a
// consistent little chain. Derived answers (outspends, address histories, address stats) come
// only from the transactions in the set, as if the set were the whole chain.
//
// Ordering, everywhere deterministic: confirmed history newest first by block height, then by
// position in the block (the order of the list given) descending; unconfirmed transactions
// newest first (list order reversed). Note: electrs orders transactions of one block by its
// history-row key, not by block position; fixtures that want one answer under both rules keep
// an address to one transaction per block (fixtures/demo does).

import { address as addressLib, initEccLib, networks, Transaction, type Network } from 'bitcoinjs-lib';
import * as ecc from 'tiny-secp256k1';

initEccLib(ecc); // taproot addresses need it for toOutputScript

/** Esplora `vout[]` / `vin[].prevout` object. */
export interface EsploraOut {
  scriptpubkey: string;
  scriptpubkey_asm: string;
  scriptpubkey_type: string;
  scriptpubkey_address?: string;
  value: number;
}

export interface EsploraIn {
  txid: string;
  vout: number;
  prevout: EsploraOut | null;
  scriptsig: string;
  scriptsig_asm: string;
  witness?: string[];
  is_coinbase: boolean;
  sequence: number;
  inner_redeemscript_asm?: string;
  inner_witnessscript_asm?: string;
}

/** Esplora status: block fields are absent (not null) while unconfirmed. */
export interface EsploraStatus {
  confirmed: boolean;
  block_height?: number;
  block_hash?: string;
  block_time?: number;
}

export interface EsploraTx {
  txid: string;
  version: number;
  locktime: number;
  vin: EsploraIn[];
  vout: EsploraOut[];
  size: number;
  weight: number;
  fee: number;
  status: EsploraStatus;
}

/** One transaction of the set, with its raw hex when known (rebuilt from the JSON otherwise). */
export interface ChainEntry {
  tx: EsploraTx;
  hex?: string;
}

export interface MemoryChainOptions {
  tipHeight: number;
  /** Addresses of other networks answer 400 "Address on invalid network". Default mainnet. */
  network?: Network;
  /**
   * Check that each hex (given, or rebuilt from the JSON fields) hashes to its txid, and throw
   * otherwise. Default true; tests that need a tampered transaction turn it off.
   */
  verifyHex?: boolean;
}

export interface Answer {
  status: number;
  body: string;
  contentType: string;
}

/** Esplora's page sizes (electrs MAX_MEMPOOL_TXS, CHAIN_TXS_PER_PAGE) and bulk-outspends cap. */
export const MAX_MEMPOOL_TXS = 50;
export const CHAIN_TXS_PER_PAGE = 25;
export const MAX_BULK_TXIDS = 50;

const JSON_TYPE = 'application/json';
const TEXT_TYPE = 'text/plain';
const TXID = /^[0-9a-fA-F]{64}$/;

interface Indexed {
  tx: EsploraTx;
  hex: string;
  /** Index in the list given: block position for confirmed txs, arrival order for the mempool. */
  order: number;
  body: string;
}

interface Spend {
  txid: string;
  vin: number;
  status: EsploraStatus;
}

function ok(body: string, contentType = JSON_TYPE): Answer {
  return { status: 200, body, contentType };
}

function error(status: number, message: string): Answer {
  return { status, body: message, contentType: TEXT_TYPE };
}

/** Electrs TransactionStatus, keys in its order. */
function statusJson(s: EsploraStatus): EsploraStatus {
  return s.confirmed
    ? { confirmed: true, block_height: s.block_height, block_hash: s.block_hash, block_time: s.block_time }
    : { confirmed: false };
}

/** Rebuilds the serialized transaction from the JSON fields (everything the txid commits to). */
export function rebuildHex(tx: EsploraTx): string {
  const t = new Transaction();
  t.version = tx.version;
  t.locktime = tx.locktime;
  for (const [i, vin] of tx.vin.entries()) {
    t.addInput(
      Buffer.from(vin.txid, 'hex').reverse(),
      vin.vout,
      vin.sequence,
      Buffer.from(vin.scriptsig, 'hex'),
    );
    if (vin.witness)
      t.setWitness(
        i,
        vin.witness.map((w) => Buffer.from(w, 'hex')),
      );
  }
  for (const vout of tx.vout) t.addOutput(Buffer.from(vout.scriptpubkey, 'hex'), BigInt(vout.value));
  return t.toHex();
}

/** Txid of a raw transaction: double SHA-256 of the serialization without witness, reversed. */
export function txidOfHex(hex: string): string {
  return Transaction.fromHex(hex).getId();
}

function isStatusConfirmed(s: EsploraStatus): s is Required<EsploraStatus> {
  return s.confirmed && typeof s.block_height === 'number';
}

export class MemoryChain {
  readonly tipHeight: number;
  readonly network: Network;
  private readonly txs = new Map<string, Indexed>();
  /** "txid:vout" -> the input that spends it (a confirmed spender wins over a mempool one). */
  private readonly spends = new Map<string, Spend>();
  /** scriptpubkey hex -> txids touching it (funding or spending). */
  private readonly byScript = new Map<string, Set<string>>();
  /** Every address seen in outputs or prevouts -> its script, in first-seen order. */
  private readonly addressScripts = new Map<string, string>();
  private readonly historyCache = new Map<string, { mempool: Indexed[]; chain: Indexed[] }>();

  constructor(entries: readonly ChainEntry[], options: MemoryChainOptions) {
    if (!Number.isSafeInteger(options.tipHeight) || options.tipHeight < 0) {
      throw new RangeError(`tipHeight must be a non-negative integer, got ${options.tipHeight}`);
    }
    this.tipHeight = options.tipHeight;
    this.network = options.network ?? networks.bitcoin;
    const verify = options.verifyHex ?? true;
    for (const [order, entry] of entries.entries()) {
      const tx = entry.tx;
      if (typeof tx?.txid !== 'string' || !/^[0-9a-f]{64}$/.test(tx.txid)) {
        throw new TypeError(`entry ${order}: txid must be 64 lower-case hex digits, got ${String(tx?.txid)}`);
      }
      if (!Array.isArray(tx.vin) || !Array.isArray(tx.vout) || typeof tx.status?.confirmed !== 'boolean') {
        throw new TypeError(`tx ${tx.txid}: vin, vout and status are required`);
      }
      if (this.txs.has(tx.txid)) continue; // the same tx from two recorded lists: keep the first
      const hex = entry.hex ?? rebuildHex(tx);
      if (verify) {
        const id = txidOfHex(hex);
        if (id !== tx.txid) {
          throw new Error(
            `tx ${tx.txid}: its ${entry.hex ? 'hex' : 'JSON fields'} hash to ${id}, not to the txid`,
          );
        }
      }
      this.txs.set(tx.txid, { tx, hex, order, body: JSON.stringify(tx) });
    }
    for (const item of this.txs.values()) this.index(item);
  }

  private index(item: Indexed): void {
    const { tx } = item;
    const touch = (script: string, address: string | undefined): void => {
      let set = this.byScript.get(script);
      if (!set) this.byScript.set(script, (set = new Set()));
      set.add(tx.txid);
      if (address !== undefined && !this.addressScripts.has(address))
        this.addressScripts.set(address, script);
    };
    for (const [vin, input] of tx.vin.entries()) {
      if (input.is_coinbase) continue;
      if (input.prevout) touch(input.prevout.scriptpubkey, input.prevout.scriptpubkey_address);
      const key = `${input.txid}:${input.vout}`;
      const known = this.spends.get(key);
      // A double spend in the set (RBF pairs): the confirmed spender wins, else the first listed.
      if (!known || (!known.status.confirmed && tx.status.confirmed)) {
        this.spends.set(key, { txid: tx.txid, vin, status: tx.status });
      }
    }
    for (const out of tx.vout) touch(out.scriptpubkey, out.scriptpubkey_address);
  }

  /** Txids in the order given. */
  txids(): string[] {
    return [...this.txs.keys()];
  }

  /** Every address that appears in an output or a prevout, sorted. */
  addresses(): string[] {
    return [...this.addressScripts.keys()].sort();
  }

  getTx(txid: string): EsploraTx | undefined {
    return this.txs.get(txid)?.tx;
  }

  getHex(txid: string): string | undefined {
    return this.txs.get(txid)?.hex;
  }

  /**
   * Every resource path a client reading the whole set would ask, for writing a full recording:
   * the tip, each tx with its hex and outspends, and each address's stats, first history page and
   * the /txs/chain pages that follow a full page (those btctrace's client asks; a page shorter
   * than 25 ends the history). Bulk outspends are left out: recordings hold them per tx.
   */
  allPaths(): string[] {
    const paths = ['/blocks/tip/height'];
    for (const txid of this.txs.keys()) paths.push(`/tx/${txid}`, `/tx/${txid}/hex`, `/tx/${txid}/outspends`);
    for (const address of this.addresses()) {
      paths.push(`/address/${address}`, `/address/${address}/txs`);
      const { mempool, chain } = this.history(this.addressScripts.get(address)!);
      const firstConfirmed = Math.min(chain.length, CHAIN_TXS_PER_PAGE);
      const firstLength = Math.min(mempool.length, MAX_MEMPOOL_TXS) + firstConfirmed;
      if (firstConfirmed < CHAIN_TXS_PER_PAGE && firstLength < MAX_MEMPOOL_TXS) continue;
      let at = firstConfirmed;
      for (;;) {
        paths.push(
          at === 0
            ? `/address/${address}/txs/chain`
            : `/address/${address}/txs/chain/${chain[at - 1]!.tx.txid}`,
        );
        const pageLength = Math.min(CHAIN_TXS_PER_PAGE, chain.length - at);
        if (pageLength < CHAIN_TXS_PER_PAGE) break;
        at += pageLength;
      }
    }
    return paths;
  }

  /** Answers one GET path (with optional query string) as an Esplora host would. */
  answer(path: string): Answer {
    const q = path.indexOf('?');
    const route = q < 0 ? path : path.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : path.slice(q + 1));
    // electrs matches on the first five segments after the leading slash; "" is a segment.
    const seg = route.split('/').slice(1);
    const [a, b, c, d, e] = seg;
    const n = seg.length;
    const notFound = error(404, `endpoint does not exist ${JSON.stringify(route)}`);

    if (a === 'blocks' && b === 'tip' && c === 'height' && n === 3)
      return ok(String(this.tipHeight), TEXT_TYPE);
    if (a === 'tx' && b !== undefined && n <= 4) {
      if (!TXID.test(b)) return error(400, 'Invalid hex string');
      const txid = b.toLowerCase();
      if (n === 2) return this.withTx(txid, (t) => ok(t.body));
      if (c === 'hex' && n === 3) return this.withTx(txid, (t) => ok(t.hex, TEXT_TYPE));
      if (c === 'outspends' && n === 3)
        return this.withTx(txid, (t) => ok(JSON.stringify(this.outspends(t.tx))));
      if (c === 'status' && n === 3) {
        // Never 404s: an unknown tx is reported unconfirmed (electrs get_tx_status).
        const t = this.txs.get(txid);
        return ok(JSON.stringify(t ? statusJson(t.tx.status) : { confirmed: false }));
      }
      if (c === 'outspend' && d !== undefined && n === 4) {
        if (!/^\d+$/.test(d) || Number(d) > 0xffffffff) return error(400, 'Invalid number');
        const spend = this.spends.get(`${txid}:${Number(d)}`);
        return ok(JSON.stringify(spend ? spendJson(spend) : { spent: false }));
      }
      return notFound;
    }
    if (a === 'txs' && b === 'outspends' && n === 2) return this.bulkOutspends(query);
    // Like electrs, segments after the fifth are not looked at (only the chain route has five).
    if (a === 'address' && b !== undefined) {
      if (n === 3 && c !== 'txs' && c !== 'utxo') return notFound;
      if (n >= 4 && !(c === 'txs' && (d === 'chain' || (d === 'mempool' && n === 4)))) return notFound;
      const script = this.scriptOf(b);
      if (typeof script !== 'string') return script;
      if (n === 2) return ok(JSON.stringify(this.addressStats(b, script)));
      const { mempool, chain } = this.history(script);
      if (c === 'utxo') return ok(JSON.stringify(this.utxos(script, [...mempool, ...chain])));
      if (n === 3) {
        const page = [...mempool.slice(0, MAX_MEMPOOL_TXS), ...chain.slice(0, CHAIN_TXS_PER_PAGE)];
        return ok(listBody(page));
      }
      if (d === 'mempool') return ok(listBody(mempool.slice(0, MAX_MEMPOOL_TXS)));
      // /txs/chain[/:last_seen]: an unparsable last_seen is ignored (first page), an unknown one
      // skips the whole history (electrs skip_while), giving [].
      let start = 0;
      if (e !== undefined && TXID.test(e)) {
        const last = e.toLowerCase();
        const at = chain.findIndex((t) => t.tx.txid === last);
        start = at < 0 ? chain.length : at + 1;
      }
      return ok(listBody(chain.slice(start, start + CHAIN_TXS_PER_PAGE)));
    }
    return notFound;
  }

  private withTx(txid: string, f: (t: Indexed) => Answer): Answer {
    const t = this.txs.get(txid);
    return t ? f(t) : error(404, 'Transaction not found');
  }

  private outspends(tx: EsploraTx): object[] {
    return tx.vout.map((_, vout) => {
      const spend = this.spends.get(`${tx.txid}:${vout}`);
      return spend ? spendJson(spend) : { spent: false };
    });
  }

  /** mempool/electrs GET /txs/outspends?txids=a,b: unknown or invalid txids get []. */
  private bulkOutspends(query: URLSearchParams): Answer {
    const list = query.get('txids');
    if (list === null) return error(400, 'No txids specified');
    const txids = list.split(',');
    if (txids.length > MAX_BULK_TXIDS) return error(400, 'Too many txids requested');
    return ok(
      JSON.stringify(
        txids.map((id) => {
          const t = TXID.test(id) ? this.txs.get(id.toLowerCase()) : undefined;
          return t ? this.outspends(t.tx) : [];
        }),
      ),
    );
  }

  /** The script of an address of this chain's network, or the 400 answer Esplora gives. */
  private scriptOf(address: string): string | Answer {
    try {
      return Buffer.from(addressLib.toOutputScript(address, this.network)).toString('hex');
    } catch {
      for (const other of [networks.bitcoin, networks.testnet, networks.regtest]) {
        if (other === this.network) continue;
        try {
          addressLib.toOutputScript(address, other);
          return error(400, 'Address on invalid network');
        } catch {
          // not this one either
        }
      }
      return error(400, 'Invalid Bitcoin address');
    }
  }

  private history(script: string): { mempool: Indexed[]; chain: Indexed[] } {
    const cached = this.historyCache.get(script);
    if (cached) return cached;
    const items = [...(this.byScript.get(script) ?? [])].map((id) => this.txs.get(id)!);
    const chain = items
      .filter((t) => isStatusConfirmed(t.tx.status))
      .sort((x, y) => y.tx.status.block_height! - x.tx.status.block_height! || y.order - x.order);
    const mempool = items.filter((t) => !isStatusConfirmed(t.tx.status)).sort((x, y) => y.order - x.order);
    const result = { mempool, chain };
    this.historyCache.set(script, result);
    return result;
  }

  private addressStats(address: string, script: string): object {
    const { mempool, chain } = this.history(script);
    return { address, chain_stats: totals(chain, script), mempool_stats: totals(mempool, script) };
  }

  private utxos(script: string, history: Indexed[]): object[] {
    const list: object[] = [];
    for (const t of history) {
      for (const [vout, out] of t.tx.vout.entries()) {
        if (out.scriptpubkey !== script || this.spends.has(`${t.tx.txid}:${vout}`)) continue;
        list.push({ txid: t.tx.txid, vout, status: statusJson(t.tx.status), value: out.value });
      }
    }
    return list;
  }
}

function spendJson(s: Spend): object {
  return { spent: true, txid: s.txid, vin: s.vin, status: statusJson(s.status) };
}

function listBody(items: Indexed[]): string {
  return `[${items.map((t) => t.body).join(',')}]`;
}

/** Esplora chain_stats / mempool_stats over the given transactions for one script. */
function totals(items: Indexed[], script: string): object {
  let fundedCount = 0;
  let fundedSum = 0;
  let spentCount = 0;
  let spentSum = 0;
  for (const { tx } of items) {
    for (const out of tx.vout) {
      if (out.scriptpubkey !== script) continue;
      fundedCount++;
      fundedSum += out.value;
    }
    for (const input of tx.vin) {
      if (input.prevout?.scriptpubkey !== script) continue;
      spentCount++;
      spentSum += input.prevout.value;
    }
  }
  return {
    funded_txo_count: fundedCount,
    funded_txo_sum: fundedSum,
    spent_txo_count: spentCount,
    spent_txo_sum: spentSum,
    tx_count: items.length,
  };
}
