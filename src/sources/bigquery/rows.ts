// The rows of a frontier query (sql.ts) turned into the normalized model, checked as strictly
// as an explorer's JSON: every amount is an integer string within the money supply (NUMERIC is
// cast to STRING in SQL, never read through a float), every hash 64 hex digits, inputs and
// outputs numbered 0..n-1 and as many as the transaction's counts say. The dataset keeps no
// previous-output script on an input, only its address and type; the script of an address is
// its standard encoding, and for address-less prevouts (P2PK, bare multisig) the parent's output
// script is filled in when the parent has been read (scripts.ts of the backend holds them).

import { address as addressLib, networks } from 'bitcoinjs-lib';
import type { AddressStats, BlockStatus, Outspend, Tx, TxIn, TxOut } from '../../model/tx.js';
import type { BulkAnswer, BulkRequest } from '../batching.js';
import type { AddressHistory } from '../source.js';
import { MalformedBodyError, MAX_MONEY } from '../parse.js';
import { scriptAddress, templateType } from '../raw-tx.js';

type Obj = Record<string, unknown>;
const HEX64 = /^[0-9a-f]{64}$/;
const HEX = /^(?:[0-9a-f]{2})*$/;
const UINT32_MAX = 0xffffffff;
const ZERO_TXID = '0'.repeat(64);

/** One result row: kind, key and a JSON body, as sql.ts selects them. */
export interface FrontierRow {
  kind: string;
  key: string;
  body: string;
}

function fail(where: string, field: string, what: string, got: unknown): never {
  const shown =
    typeof got === 'string' ? JSON.stringify(got.slice(0, 40)) : (JSON.stringify(got) ?? 'nothing');
  throw new MalformedBodyError(`bigquery ${where}: ${field}: expected ${what}, got ${shown}`, where);
}

function int(o: Obj, k: string, where: string, min: number, max: number): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)
    fail(where, k, `an integer in ${min}..${max}`, v);
  return v;
}

/** A satoshi amount sent as a decimal integer string. */
function sat(o: Obj, k: string, where: string): number {
  const v = o[k];
  if (typeof v !== 'string' || !/^(0|[1-9]\d{0,15})$/.test(v) || Number(v) > MAX_MONEY)
    fail(where, k, 'an integer satoshi string', v);
  return Number(v);
}

function hash(o: Obj, k: string, where: string): string {
  const v = o[k];
  if (typeof v !== 'string' || !HEX64.test(v)) fail(where, k, '64 lowercase hex digits', v);
  return v;
}

function hex(o: Obj, k: string, where: string): string {
  const v = o[k] ?? '';
  if (typeof v !== 'string' || !HEX.test(v)) fail(where, k, 'lowercase hex', v);
  return v;
}

function json(text: string, where: string): Obj {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    fail(where, 'body', 'JSON', text);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(where, 'body', 'an object', v);
  return v as Obj;
}

function list(o: Obj, k: string, where: string): Obj[] {
  const v = o[k];
  if (!Array.isArray(v) || v.some((x) => x === null || typeof x !== 'object'))
    fail(where, k, 'an array of objects', v);
  return v as Obj[];
}

/** Esplora's type name for a script the fixed templates do not cover (raw-tx.ts templateType). */
function otherType(script: string, etlType: unknown): string {
  if (script.startsWith('6a')) return 'op_return';
  const n = script.length / 2;
  if ((n === 35 && script.startsWith('21')) || (n === 67 && script.startsWith('41')))
    if (script.endsWith('ac')) return 'p2pk';
  if (etlType === 'multisig') return 'multisig';
  if (etlType === 'pubkey') return 'p2pk';
  return 'unknown';
}

function output(o: Obj, where: string): TxOut {
  const script = hex(o, 'script', where);
  return {
    value: sat(o, 'value', where),
    script,
    scriptType: templateType(script) ?? otherType(script, o.type),
    address: scriptAddress(script),
  };
}

/** A prevout from an input's address and type; the script of an address is its encoding. */
function prevout(i: Obj, where: string, scripts: ReadonlyMap<string, string>, key: string): TxOut {
  const value = sat(i, 'value', where);
  const addresses = Array.isArray(i.addresses) ? i.addresses : [];
  let script = scripts.get(key) ?? null;
  if (script === null && addresses.length === 1 && typeof addresses[0] === 'string') {
    try {
      script = Buffer.from(addressLib.toOutputScript(addresses[0], networks.bitcoin)).toString('hex');
    } catch {
      script = null; // blockchain-etl's "nonstandard..." pseudo-addresses have no script
    }
  }
  if (script === null) return { value, script: '', scriptType: otherType('', i.type), address: null };
  return {
    value,
    script,
    scriptType: templateType(script) ?? otherType(script, i.type),
    address: scriptAddress(script),
  };
}

function status(o: Obj, where: string): BlockStatus {
  return {
    confirmed: true,
    height: int(o, 'height', where, 0, 100_000_000),
    hash: hash(o, 'block_hash', where),
    time: int(o, 'time', where, 0, 2 ** 40),
  };
}

/** One transaction body row. */
export function parseTxRow(text: string, scripts: ReadonlyMap<string, string>): Tx {
  const o = json(text, 'tx');
  const txid = hash(o, 'hash', 'tx');
  const where = `tx ${txid}`;
  const coinbase = o.coinbase === true;
  const vinRows = list(o, 'vin', where);
  const voutRows = list(o, 'vout', where);
  const nout = int(o, 'nout', where, 0, 1_000_000);
  if (voutRows.length !== nout) fail(where, 'vout', `${nout} outputs`, voutRows.length);
  voutRows.forEach((r, k) => int(r, 'n', `${where} vout[${k}]`, k, k));
  const vin: TxIn[] = [];
  if (coinbase) {
    // blockchain-etl lists no coinbase input: it is rebuilt from the block's coinbase_param, with
    // the usual final sequence (a miner that set another fails the txid check, loudly).
    const script = o.coinbase_script;
    vin.push({
      txid: ZERO_TXID,
      vout: UINT32_MAX,
      coinbase: true,
      prevout: null,
      sequence: UINT32_MAX,
      ...(typeof script === 'string' && { scriptsig: hex(o, 'coinbase_script', where) }),
    });
  } else {
    const nin = int(o, 'nin', where, 1, 1_000_000);
    if (vinRows.length !== nin) fail(where, 'vin', `${nin} inputs`, vinRows.length);
    vinRows.forEach((r, k) => {
      const at = `${where} vin[${k}]`;
      int(r, 'n', at, k, k);
      const parent = hash(r, 'txid', at);
      const n = int(r, 'vout', at, 0, UINT32_MAX);
      vin.push({
        txid: parent,
        vout: n,
        coinbase: false,
        prevout: prevout(r, at, scripts, `${parent}:${n}`),
        sequence: int(r, 'sequence', at, 0, UINT32_MAX),
        scriptsig: hex(r, 'scriptsig', at),
      });
    });
  }
  return {
    txid,
    version: int(o, 'version', where, -(2 ** 31), UINT32_MAX),
    locktime: int(o, 'locktime', where, 0, UINT32_MAX),
    size: int(o, 'size', where, 0, 4_000_000),
    // The export keeps size and virtual size, not weight; 4 x vsize is within 3 of it.
    weight: int(o, 'vsize', where, 0, 1_000_000) * 4,
    fee: coinbase ? 0 : sat(o, 'fee', where),
    vin,
    vout: voutRows.map((r, k) => output(r, `${where} vout[${k}]`)),
    status: status(o, where),
  };
}

interface SpendRow {
  vout: number;
  spend: Outspend;
}

function parseSpendRow(text: string, spent: string): SpendRow {
  const where = `spender of ${spent}`;
  const o = json(text, where);
  return {
    vout: int(o, 'vout', where, 0, UINT32_MAX),
    spend: {
      spent: true,
      txid: hash(o, 'txid', where),
      vin: int(o, 'vin', where, 0, UINT32_MAX),
      status: status(o, where),
    },
  };
}

/** Every row of a frontier query assembled into the answers the request asked for. */
export function assemble(
  rows: readonly FrontierRow[],
  request: BulkRequest,
  scripts: Map<string, string>,
): BulkAnswer {
  const txs = new Map<string, Tx>();
  const spends = new Map<string, SpendRow[]>();
  const hist = new Map<string, { hash: string; height: number }[]>();
  let tip: number | null = null;
  // Bodies first, so their output scripts fill the prevouts of the children in the same answer.
  // The two body parts may both name a transaction (asked, and in a history): read it once.
  const seen = new Set<string>();
  const bodyRows = rows.filter((r) => r.kind === 'tx' && !seen.has(r.key) && seen.add(r.key));
  for (const r of bodyRows) {
    const o = json(r.body, 'tx');
    const id = hash(o, 'hash', 'tx');
    list(o, 'vout', id).forEach((v, k) => scripts.set(`${id}:${k}`, hex(v, 'script', id)));
  }
  for (const r of bodyRows) {
    const tx = parseTxRow(r.body, scripts);
    if (tx.txid !== r.key) fail(`tx ${r.key}`, 'hash', r.key, tx.txid);
    txs.set(tx.txid, tx);
  }
  for (const r of rows) {
    if (r.kind === 'spend') {
      let l = spends.get(r.key);
      if (!l) spends.set(r.key, (l = []));
      l.push(parseSpendRow(r.body, r.key));
    } else if (r.kind === 'hist') {
      const o = json(r.body, `history of ${r.key}`);
      let l = hist.get(r.key);
      if (!l) hist.set(r.key, (l = []));
      l.push({ hash: hash(o, 'hash', r.key), height: int(o, 'height', r.key, 0, 100_000_000) });
    } else if (r.kind === 'tip') {
      if (!/^\d{1,9}$/.test(r.body)) fail('tip', 'height', 'a block height', r.body);
      tip = Number(r.body);
    } else if (r.kind !== 'tx') fail('row', 'kind', 'tx, spend, hist or tip', r.kind);
  }
  const outspends = new Map<string, Outspend[]>();
  for (const txid of request.outspends) {
    const tx = txs.get(txid);
    if (!tx) continue;
    const os: Outspend[] = tx.vout.map(() => ({ spent: false, txid: null, vin: null, status: null }));
    for (const s of spends.get(txid) ?? []) {
      if (s.vout >= os.length)
        fail(`spender of ${txid}`, 'vout', `an output index below ${os.length}`, s.vout);
      // The dataset holds confirmed spends only; of two rows for one output the lower txid wins.
      const known = os[s.vout]!;
      if (!known.spent || (known.txid !== null && s.spend.txid !== null && s.spend.txid < known.txid))
        os[s.vout] = s.spend;
    }
    outspends.set(txid, os);
  }
  const histories = new Map<string, AddressHistory>();
  for (const { address, maxTxs } of request.histories) {
    const items = (hist.get(address) ?? []).sort((a, b) => b.height - a.height || (a.hash < b.hash ? 1 : -1));
    const found = items.map((i) => txs.get(i.hash)).filter((t): t is Tx => t !== undefined);
    if (found.length !== items.length)
      fail(`history of ${address}`, 'tx', 'a body for every listed transaction', items.length - found.length);
    histories.set(address, { txs: found.slice(0, maxTxs), complete: found.length <= maxTxs });
  }
  return { txs, outspends, histories, tip };
}

/** A non-negative integer string within the safe range (an address's lifetime sums). */
function total(o: Obj, k: string, where: string): number {
  const v = o[k];
  if (typeof v !== 'string' || !/^(0|[1-9]\d{0,15})$/.test(v) || !Number.isSafeInteger(Number(v)))
    fail(where, k, 'an integer string below 2^53', v);
  return Number(v);
}

/** The row of addressStatsQuery; the dataset has no mempool, so its totals are zero. */
export function parseAddressStatsRows(rows: readonly FrontierRow[], address: string): AddressStats {
  const where = `address stats of ${address}`;
  if (rows.length !== 1 || rows[0]!.kind !== 'stats' || rows[0]!.key !== address)
    fail(where, 'rows', 'one stats row for the address', rows.length);
  const o = json(rows[0]!.body, where);
  const max = Number.MAX_SAFE_INTEGER;
  return {
    address,
    chain: {
      fundedTxoCount: int(o, 'funded_count', where, 0, max),
      fundedTxoSum: total(o, 'funded_sum', where),
      spentTxoCount: int(o, 'spent_count', where, 0, max),
      spentTxoSum: total(o, 'spent_sum', where),
      txCount: int(o, 'tx_count', where, 0, max),
    },
    mempool: { fundedTxoCount: 0, fundedTxoSum: 0, spentTxoCount: 0, spentTxoSum: 0, txCount: 0 },
  };
}
