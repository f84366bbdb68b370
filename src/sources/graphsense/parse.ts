// GraphSense JSON (graphsense-REST openapi_spec/graphsense.yaml) read into the normalised model
// (src/model/tx.ts). Every field is checked and named on failure, as for Esplora (../parse.ts):
// a malformed body is MalformedBodyError (retried by the HTTP transport), never data.
//
// What GraphSense does not hold, and what btctrace puts in its place:
// - scripts: an output's script is rebuilt from its one address (P2PKH, P2SH, segwit v0, v1+),
//   and its type is that script's; an output with no address (OP_RETURN, non-standard) or with
//   several (bare multisig) has no address, script "" and type "unknown".
// - version, locktime, sequences, size, weight, scriptSigs, block hash: not in the answer; set
//   to 0 / 0xffffffff / null. Nothing btctrace computes from a trace reads them, but the txid
//   cannot be re-hashed from the fields (src/sources/checks.ts records that check as not run).
// - the outpoints inputs spend come from /spending (one more request per transaction).

import { address as btcAddress } from 'bitcoinjs-lib';
import type { BlockStatus, Tx, TxIn, TxOut } from '../../model/tx.js';
import { IntegrityError } from '../errors.js';
import { MalformedBodyError, MAX_MONEY } from '../parse.js';
import { templateType } from '../raw-tx.js';

type Obj = Record<string, unknown>;
const HEX64 = /^[0-9a-f]{64}$/;
const UINT32_MAX = 0xffffffff;
const ZERO_TXID = '0'.repeat(64);

function show(v: unknown): string {
  if (v === undefined) return 'nothing (field missing)';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
}

function fail(resource: string, field: string, what: string, got: unknown): never {
  throw new MalformedBodyError(`${resource}: ${field}: expected ${what}, got ${show(got)}`, resource);
}

function obj(v: unknown, resource: string, field: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(resource, field, 'an object', v);
  return v as Obj;
}

function arr(v: unknown, resource: string, field: string, max = 1_000_000): unknown[] {
  if (!Array.isArray(v)) fail(resource, field, 'an array', v);
  if (v.length > max) fail(resource, field, `at most ${max} entries`, `${v.length} entries`);
  return v;
}

function int(v: unknown, resource: string, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)
    fail(resource, field, `an integer in ${min}..${max}`, v);
  return v;
}

function hash(v: unknown, resource: string, field: string): string {
  if (typeof v !== 'string' || !HEX64.test(v)) fail(resource, field, '64 lowercase hex digits', v);
  return v;
}

/** GraphSense `values` object: { value: <satoshis>, fiat_values: [...] }. */
function sat(v: unknown, resource: string, field: string): number {
  const o = obj(v, resource, field);
  const n = o.value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || n > MAX_MONEY)
    fail(resource, `${field}.value`, 'a satoshi amount (safe non-negative integer)', n);
  return n;
}

/** The output script an address stands for (hex); null when it is not a Bitcoin address. */
export function scriptOfAddress(address: string): string | null {
  try {
    if (/^(bc|tb|bcrt)1/i.test(address)) {
      const d = btcAddress.fromBech32(address);
      const op = d.version === 0 ? '00' : (0x50 + d.version).toString(16);
      return op + d.data.length.toString(16).padStart(2, '0') + Buffer.from(d.data).toString('hex');
    }
    const d = btcAddress.fromBase58Check(address);
    const h = Buffer.from(d.hash).toString('hex');
    if (d.version === 0x00 || d.version === 0x6f) return `76a914${h}88ac`;
    if (d.version === 0x05 || d.version === 0xc4) return `a914${h}87`;
    return null;
  } catch {
    return null;
  }
}

/** An output as GraphSense lists it: its addresses and value. */
export function txOutOf(addresses: unknown, value: number, resource: string, field: string): TxOut {
  const list = arr(addresses, resource, `${field}.address`, 20);
  if (list.length !== 1) return { value, script: '', scriptType: 'unknown', address: null };
  const a = list[0];
  if (typeof a !== 'string' || a.length === 0 || a.length > 100)
    fail(resource, `${field}.address[0]`, 'an address', a);
  const script = scriptOfAddress(a);
  if (script === null) fail(resource, `${field}.address[0]`, 'a Bitcoin address', a);
  return { value, script, scriptType: templateType(script) ?? 'unknown', address: a };
}

interface Listed {
  index: number;
  addresses: unknown;
  value: number;
}

/** Inputs or outputs in position order; every position 0..n-1 exactly once. */
function listed(v: unknown, resource: string, field: string): Listed[] {
  const items = arr(v, resource, field).map((raw, k): Listed => {
    const o = obj(raw, resource, `${field}[${k}]`);
    return {
      index: int(o.index, resource, `${field}[${k}].index`, 0, UINT32_MAX),
      addresses: o.address,
      value: sat(o.value, resource, `${field}[${k}].value`),
    };
  });
  items.sort((a, b) => a.index - b.index);
  items.forEach((it, k) => {
    if (it.index !== k)
      throw new IntegrityError(
        `${resource}: ${field}: positions are not 0..${items.length - 1} (missing or repeated ${k})`,
        resource,
      );
  });
  return items;
}

/** A tx_utxo answer, before its inputs are joined to the outpoints they spend. */
export interface GraphSenseTxBody {
  txid: string;
  coinbase: boolean;
  status: BlockStatus;
  inputs: TxOut[];
  outputs: TxOut[];
  fee: number;
}

export function parseTxBody(json: unknown, resource: string, asked: string): GraphSenseTxBody {
  const o = obj(json, resource, 'body');
  const txid = hash(o.tx_hash, resource, 'tx_hash');
  if (txid !== asked)
    throw new IntegrityError(`${resource}: asked for ${asked}, GraphSense answered ${txid}`, resource);
  if (o.tx_type !== undefined && o.tx_type !== 'utxo') fail(resource, 'tx_type', '"utxo"', o.tx_type);
  if (typeof o.coinbase !== 'boolean') fail(resource, 'coinbase', 'true or false', o.coinbase);
  const status: BlockStatus = {
    // GraphSense indexes blocks only: everything it answers is confirmed.
    confirmed: true,
    height: int(o.height, resource, 'height', 0, UINT32_MAX),
    hash: null,
    time: int(o.timestamp, resource, 'timestamp', 0, Number.MAX_SAFE_INTEGER),
  };
  // A coinbase spends nothing; whatever GraphSense lists as its inputs is not read.
  const ins = o.coinbase ? [] : listed(o.inputs, resource, 'inputs');
  const outs = listed(o.outputs, resource, 'outputs');
  const outputs = outs.map((x) => txOutOf(x.addresses, x.value, resource, `outputs[${x.index}]`));
  const inputs = ins.map((x) => txOutOf(x.addresses, x.value, resource, `inputs[${x.index}]`));
  if (!o.coinbase && inputs.length === 0) fail(resource, 'inputs', 'at least one input', o.inputs);
  const totalIn = inputs.reduce((s, x) => s + x.value, 0);
  const totalOut = outputs.reduce((s, x) => s + x.value, 0);
  if (totalOut > MAX_MONEY || totalIn > MAX_MONEY)
    throw new IntegrityError(`${resource}: amounts add up past 21 million BTC`, resource);
  if (!o.coinbase) {
    if (o.total_input !== undefined && sat(o.total_input, resource, 'total_input') !== totalIn)
      throw new IntegrityError(
        `${resource}: total_input is not the sum of the inputs (${totalIn} sat)`,
        resource,
      );
    if (totalOut > totalIn)
      throw new IntegrityError(
        `${resource}: outputs (${totalOut} sat) exceed inputs (${totalIn} sat)`,
        resource,
      );
  }
  if (o.total_output !== undefined && sat(o.total_output, resource, 'total_output') !== totalOut)
    throw new IntegrityError(
      `${resource}: total_output is not the sum of the outputs (${totalOut} sat)`,
      resource,
    );
  return { txid, coinbase: o.coinbase, status, inputs, outputs, fee: o.coinbase ? 0 : totalIn - totalOut };
}

/** One tx_ref: { input_index, output_index, tx_hash }. */
export interface TxRef {
  inputIndex: number;
  outputIndex: number;
  txid: string;
}

export function parseTxRefs(json: unknown, resource: string): TxRef[] {
  return arr(json, resource, 'body').map((raw, k) => {
    const o = obj(raw, resource, `[${k}]`);
    return {
      inputIndex: int(o.input_index, resource, `[${k}].input_index`, 0, UINT32_MAX),
      outputIndex: int(o.output_index, resource, `[${k}].output_index`, 0, UINT32_MAX),
      txid: hash(o.tx_hash, resource, `[${k}].tx_hash`),
    };
  });
}

/** The body joined with /spending: each input gets the outpoint it spends (exactly one each). */
export function assembleTx(body: GraphSenseTxBody, spending: TxRef[], resource: string): Tx {
  let vin: TxIn[];
  if (body.coinbase) {
    vin = [{ txid: ZERO_TXID, vout: UINT32_MAX, coinbase: true, prevout: null, sequence: UINT32_MAX }];
  } else {
    const spent = new Map<number, TxRef>();
    for (const r of spending) {
      if (r.inputIndex >= body.inputs.length || spent.has(r.inputIndex))
        throw new IntegrityError(
          `${resource}: input ${r.inputIndex} is listed ${spent.has(r.inputIndex) ? 'twice' : 'but the transaction has ' + body.inputs.length + ' inputs'}`,
          resource,
        );
      spent.set(r.inputIndex, r);
    }
    vin = body.inputs.map((prevout, k) => {
      const r = spent.get(k);
      if (!r) throw new IntegrityError(`${resource}: input ${k} has no spent outpoint`, resource);
      return { txid: r.txid, vout: r.outputIndex, coinbase: false, prevout, sequence: UINT32_MAX };
    });
  }
  return {
    txid: body.txid,
    version: 0,
    locktime: 0,
    size: 0,
    weight: 0,
    fee: body.fee,
    vin,
    vout: body.outputs,
    status: body.status,
  };
}

export interface HistoryPage {
  txs: { txid: string; height: number }[];
  next: string | null;
}

export function parseHistoryPage(json: unknown, resource: string): HistoryPage {
  const o = obj(json, resource, 'body');
  const txs = arr(o.address_txs, resource, 'address_txs', 10_000).map((raw, k) => {
    const t = obj(raw, resource, `address_txs[${k}]`);
    return {
      txid: hash(t.tx_hash, resource, `address_txs[${k}].tx_hash`),
      height: int(t.height, resource, `address_txs[${k}].height`, 0, UINT32_MAX),
    };
  });
  const next = o.next_page;
  if (next !== undefined && next !== null && (typeof next !== 'string' || next.length > 1000))
    fail(resource, 'next_page', 'a page token', next);
  return { txs, next: typeof next === 'string' && next !== '' ? next : null };
}

/** Tip height from /stats: the btc entry's no_blocks - 1. */
export function parseTipHeight(json: unknown, resource: string, currency: string): number {
  const o = obj(json, resource, 'body');
  const list = arr(o.currencies, resource, 'currencies', 1000);
  const k = list.findIndex((c) => obj(c, resource, 'currencies[]').name === currency);
  if (k < 0) fail(resource, 'currencies', `an entry named ${currency}`, o.currencies);
  const c = obj(list[k], resource, `currencies[${k}]`);
  return int(c.no_blocks, resource, `currencies[${k}].no_blocks`, 1, UINT32_MAX) - 1;
}
