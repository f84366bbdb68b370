// Parsing and validation of Esplora JSON into the normalized model (src/model/tx.ts).
// Hand-written checks rather than a schema library: a 562-input transaction must parse in a
// few milliseconds, and every error names the resource and the exact field
// ("/tx/<txid>: vin[12].prevout.value: expected a safe non-negative integer, got -5").
// Anything malformed — a truncated body, an HTML error page served with status 200, a missing
// field — throws MalformedBodyError, which the HTTP transport retries: a bad body is an error to
// retry, never data.

import type { AddressStats, AddressTotals, BlockStatus, Outspend, Tx, TxIn, TxOut } from '../model/tx.js';
import { IntegrityError, UnavailableError } from './errors.js';

/**
 * The body could not be read as the expected Esplora answer. A subclass of UnavailableError
 * (callers that do not know it treat it as "the explorer did not answer properly"); the HTTP
 * transport recognises it and retries the request.
 */
export class MalformedBodyError extends UnavailableError {}

/** 21 million BTC in satoshis: no amount can exceed it. */
export const MAX_MONEY = 2_100_000_000_000_000;
const UINT32_MAX = 0xffffffff;
const HEX64 = /^[0-9a-f]{64}$/;
const HEX = /^(?:[0-9a-f]{2})*$/;

type Obj = Record<string, unknown>;

function fail(resource: string, field: string, what: string, got: unknown): never {
  throw new MalformedBodyError(`${resource}: ${field}: expected ${what}, got ${show(got)}`, resource);
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing (field missing)';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (typeof v !== 'object') return typeof v;
  return Array.isArray(v) ? 'an array' : 'an object';
}

function obj(v: unknown, resource: string, field: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(resource, field, 'an object', v);
  return v as Obj;
}

function arr(v: unknown, resource: string, field: string): unknown[] {
  if (!Array.isArray(v)) fail(resource, field, 'an array', v);
  return v;
}

function bool(v: unknown, resource: string, field: string): boolean {
  if (typeof v !== 'boolean') fail(resource, field, 'true or false', v);
  return v;
}

function int(v: unknown, resource: string, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    fail(resource, field, `an integer in ${min}..${max}`, v);
  }
  return v;
}

/** Satoshi amounts: safe non-negative integers not above the money supply. */
function sat(v: unknown, resource: string, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > MAX_MONEY) {
    fail(resource, field, 'a satoshi amount (safe non-negative integer)', v);
  }
  return v;
}

/** Counters: safe non-negative integers. */
function count(v: unknown, resource: string, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    fail(resource, field, 'a safe non-negative integer', v);
  }
  return v;
}

function txid(v: unknown, resource: string, field: string): string {
  if (typeof v !== 'string' || !HEX64.test(v)) fail(resource, field, '64 lowercase hex digits', v);
  return v;
}

function hex(v: unknown, resource: string, field: string): string {
  if (typeof v !== 'string' || !HEX.test(v)) fail(resource, field, 'lowercase hex of whole bytes', v);
  return v;
}

function str(v: unknown, resource: string, field: string): string {
  if (typeof v !== 'string' || v.length === 0) fail(resource, field, 'a non-empty string', v);
  return v;
}

/** JSON.parse that turns a syntax error (truncated body, HTML page) into MalformedBodyError. */
export function parseJson(text: string, resource: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const start = text.trimStart().slice(0, 30);
    throw new MalformedBodyError(
      `${resource}: body is not valid JSON (${(e as Error).message}; ${text.length} chars starting ${JSON.stringify(start)})`,
      resource,
    );
  }
}

/** Esplora's `status`; block fields are absent (not null) when unconfirmed. */
function parseStatus(v: unknown, resource: string, field: string): BlockStatus {
  const s = obj(v, resource, field);
  const confirmed = bool(s.confirmed, resource, `${field}.confirmed`);
  if (!confirmed) return { confirmed, height: null, hash: null, time: null };
  return {
    confirmed,
    height: int(s.block_height, resource, `${field}.block_height`, 0, UINT32_MAX),
    hash: txid(s.block_hash, resource, `${field}.block_hash`),
    time: int(s.block_time, resource, `${field}.block_time`, 0, Number.MAX_SAFE_INTEGER),
  };
}

function parseTxOut(v: unknown, resource: string, field: string): TxOut {
  const o = obj(v, resource, field);
  // Esplora omits the key for outputs without an address; mempool's backend sends "" instead.
  const raw = o.scriptpubkey_address;
  let address: string | null = null;
  if (raw !== undefined && raw !== null && raw !== '')
    address = str(raw, resource, `${field}.scriptpubkey_address`);
  return {
    value: sat(o.value, resource, `${field}.value`),
    script: hex(o.scriptpubkey, resource, `${field}.scriptpubkey`),
    scriptType: str(o.scriptpubkey_type, resource, `${field}.scriptpubkey_type`),
    address,
  };
}

function parseTxIn(v: unknown, resource: string, field: string): TxIn {
  const i = obj(v, resource, field);
  const coinbase = bool(i.is_coinbase, resource, `${field}.is_coinbase`);
  let prevout: TxOut | null = null;
  if (coinbase) {
    // A coinbase spends nothing; an explorer that joins a prevout to it contradicts itself.
    if (i.prevout !== null && i.prevout !== undefined)
      fail(resource, `${field}.prevout`, 'null for a coinbase input', i.prevout);
  } else {
    if (i.prevout === null || i.prevout === undefined) {
      fail(resource, `${field}.prevout`, 'the spent output (null only for coinbase inputs)', i.prevout);
    }
    prevout = parseTxOut(i.prevout, resource, `${field}.prevout`);
  }
  return {
    txid: txid(i.txid, resource, `${field}.txid`),
    vout: int(i.vout, resource, `${field}.vout`, 0, UINT32_MAX),
    coinbase,
    prevout,
    sequence: int(i.sequence, resource, `${field}.sequence`, 0, UINT32_MAX),
    scriptsig: hex(i.scriptsig, resource, `${field}.scriptsig`),
  };
}

function overSupply(resource: string, field: string, id: unknown, what: string, k: number): never {
  throw new IntegrityError(
    `${resource}: ${typeof id === 'string' && HEX64.test(id) ? id : field}: ${what} 0..${k} sum past the money supply ` +
      `(${MAX_MONEY} sat): the explorer's values cannot be real`,
    resource,
  );
}

/** Parses one Esplora transaction (`GET /tx/:txid`, or one element of an address page). */
export function parseTx(json: unknown, resource: string, field = 'tx'): Tx {
  const t = obj(json, resource, field);
  const vinJson = arr(t.vin, resource, `${field}.vin`);
  const voutJson = arr(t.vout, resource, `${field}.vout`);
  if (vinJson.length === 0) fail(resource, `${field}.vin`, 'at least one input', vinJson);
  if (voutJson.length === 0) fail(resource, `${field}.vout`, 'at least one output', voutJson);
  const vin = new Array<TxIn>(vinJson.length);
  let inSum = 0;
  for (let k = 0; k < vinJson.length; k++) {
    const input = parseTxIn(vinJson[k], resource, `${field}.vin[${k}]`);
    vin[k] = input;
    if (input.prevout) inSum += input.prevout.value;
    // Each value is <= MAX_MONEY and the running sum is kept <= MAX_MONEY, so no partial sum
    // passes 2 * 2.1e15 < 2^53: Number arithmetic stays exact (no bigint needed), and a
    // transaction moving more than the money supply is refused as the data error it is.
    if (inSum > MAX_MONEY) overSupply(resource, field, t.txid, 'inputs', k);
  }
  const vout = new Array<TxOut>(voutJson.length);
  let outSum = 0;
  for (let k = 0; k < voutJson.length; k++) {
    const output = parseTxOut(voutJson[k], resource, `${field}.vout[${k}]`);
    vout[k] = output;
    outSum += output.value;
    if (outSum > MAX_MONEY) overSupply(resource, field, t.txid, 'outputs', k);
  }
  const tx: Tx = {
    txid: txid(t.txid, resource, `${field}.txid`),
    version: int(t.version, resource, `${field}.version`, -0x80000000, UINT32_MAX),
    locktime: int(t.locktime, resource, `${field}.locktime`, 0, UINT32_MAX),
    size: int(t.size, resource, `${field}.size`, 1, Number.MAX_SAFE_INTEGER),
    weight: int(t.weight, resource, `${field}.weight`, 1, Number.MAX_SAFE_INTEGER),
    fee: sat(t.fee, resource, `${field}.fee`),
    vin,
    vout,
    status: parseStatus(t.status, resource, `${field}.status`),
  };
  // Amounts must balance exactly: a fee that disagrees with the joined prevouts means the
  // explorer's data contradicts itself, and no total computed from it would hold up.
  const coinbase = vin.length === 1 && vin[0]!.coinbase;
  if (!coinbase && inSum - outSum !== tx.fee) {
    throw new IntegrityError(
      `${resource}: ${tx.txid}: inputs ${inSum} sat - outputs ${outSum} sat = ${inSum - outSum} sat, but fee says ${tx.fee} sat`,
      resource,
    );
  }
  return tx;
}

/** Parses a list of transactions (`GET /address/:a/txs`, `/txs/chain/:last`). */
export function parseTxList(json: unknown, resource: string): Tx[] {
  const list = arr(json, resource, 'txs');
  const txs = new Array<Tx>(list.length);
  for (let k = 0; k < list.length; k++) {
    // A history page's resource does not name the transaction: the field does, when it can.
    const id = (list[k] as Obj | null)?.txid;
    const field = typeof id === 'string' && HEX64.test(id) ? `txs[${k}] (${id})` : `txs[${k}]`;
    txs[k] = parseTx(list[k], resource, field);
  }
  return txs;
}

/**
 * Parses `GET /tx/:txid/outspends` (one entry per vout). Unspent entries are `{"spent":false}`:
 * txid, vin and status are omitted and become null.
 */
export function parseOutspends(json: unknown, resource: string, field = 'outspends'): Outspend[] {
  const list = arr(json, resource, field);
  const out = new Array<Outspend>(list.length);
  for (let k = 0; k < list.length; k++) {
    const f = `${field}[${k}]`;
    const o = obj(list[k], resource, f);
    if (!bool(o.spent, resource, `${f}.spent`)) {
      out[k] = { spent: false, txid: null, vin: null, status: null };
      continue;
    }
    out[k] = {
      spent: true,
      txid: txid(o.txid, resource, `${f}.txid`),
      vin: int(o.vin, resource, `${f}.vin`, 0, UINT32_MAX),
      status:
        o.status === undefined || o.status === null ? null : parseStatus(o.status, resource, `${f}.status`),
    };
  }
  return out;
}

function parseTotals(v: unknown, resource: string, field: string): AddressTotals {
  const s = obj(v, resource, field);
  return {
    fundedTxoCount: count(s.funded_txo_count, resource, `${field}.funded_txo_count`),
    fundedTxoSum: sat(s.funded_txo_sum, resource, `${field}.funded_txo_sum`),
    spentTxoCount: count(s.spent_txo_count, resource, `${field}.spent_txo_count`),
    spentTxoSum: sat(s.spent_txo_sum, resource, `${field}.spent_txo_sum`),
    txCount: count(s.tx_count, resource, `${field}.tx_count`),
  };
}

/** Parses `GET /address/:addr`. */
export function parseAddressStats(json: unknown, resource: string): AddressStats {
  const a = obj(json, resource, 'address stats');
  return {
    address: str(a.address, resource, 'address'),
    chain: parseTotals(a.chain_stats, resource, 'chain_stats'),
    mempool: parseTotals(a.mempool_stats, resource, 'mempool_stats'),
  };
}

/** Parses `GET /blocks/tip/height` (text/plain integer). */
export function parseTipHeight(text: string, resource: string): number {
  const t = text.trim();
  if (!/^\d{1,10}$/.test(t)) fail(resource, 'tip height', 'a decimal block height', t);
  return int(Number(t), resource, 'tip height', 0, UINT32_MAX);
}

/** Parses `GET /tx/:txid/hex` (text/plain raw transaction). */
export function parseTxHex(text: string, resource: string): string {
  const t = text.trim();
  if (t.length === 0 || !HEX.test(t)) fail(resource, 'hex', 'the raw transaction as lowercase hex', t);
  return t;
}
