// Raw transactions: what the serialized bytes say, and the comparison of an explorer's JSON
// against them (used by --verify-txids and by the free checks on every transaction read).

import { address as btcAddress, networks, Transaction, type Network } from 'bitcoinjs-lib';
import type { NetworkName } from '../model/address.js';
import { toBase58Check } from '../model/base58.js';
import type { Tx, TxOut } from '../model/tx.js';
import { IntegrityError } from './errors.js';
import { esploraPath } from './resources.js';

/** What a raw transaction says, reduced to what the JSON is checked against. */
export interface RawTxSummary {
  txid: string;
  version: number;
  locktime: number;
  size: number;
  weight: number;
  coinbase: boolean;
  ins: { txid: string; vout: number; sequence: number }[];
  outs: { value: bigint; script: string }[];
}

const PARAMS: Record<NetworkName, Network> = {
  mainnet: networks.bitcoin,
  testnet: networks.testnet,
  signet: networks.testnet,
};

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function mismatch(txid: string, field: string, json: unknown, raw: unknown): never {
  throw new IntegrityError(
    `transaction ${txid}: ${field}: the explorer's JSON says ${String(json)}, the raw transaction says ${String(raw)}`,
    esploraPath.tx(txid),
  );
}

/**
 * Parses raw transaction hex and checks it hashes to `txid`; IntegrityError naming the txid when
 * it does not parse or is another transaction.
 */
export function rawTxSummary(txid: string, rawHex: string): RawTxSummary {
  let tx: Transaction;
  try {
    tx = Transaction.fromHex(rawHex);
  } catch (e) {
    throw new IntegrityError(
      `transaction ${txid}: the explorer's raw hex is not a transaction (${(e as Error).message})`,
      esploraPath.txHex(txid),
    );
  }
  const id = tx.getId();
  if (id !== txid) {
    throw new IntegrityError(
      `transaction ${txid}: the explorer's raw hex hashes to ${id}, not to the txid asked for`,
      esploraPath.txHex(txid),
    );
  }
  return {
    txid,
    version: tx.version,
    locktime: tx.locktime,
    size: tx.byteLength(),
    weight: tx.weight(),
    coinbase: tx.isCoinbase(),
    ins: tx.ins.map((i) => ({
      txid: hex(Uint8Array.from(i.hash).reverse()),
      vout: i.index,
      sequence: i.sequence,
    })),
    outs: tx.outs.map((o) => ({ value: o.value, script: hex(o.script) })),
  };
}

const SCRIPT_TYPES = new Set(['p2pkh', 'p2sh', 'v0_p2wpkh', 'v0_p2wsh', 'v1_p2tr']);

/** Esplora's type name for scripts of a fixed template; null for every other script. */
export function templateType(script: string): string | null {
  const n = script.length / 2;
  if (n === 25 && script.startsWith('76a914') && script.endsWith('88ac')) return 'p2pkh';
  if (n === 23 && script.startsWith('a914') && script.endsWith('87')) return 'p2sh';
  if (n === 22 && script.startsWith('0014')) return 'v0_p2wpkh';
  if (n === 34 && script.startsWith('0020')) return 'v0_p2wsh';
  if (n === 34 && script.startsWith('5120')) return 'v1_p2tr';
  return null;
}

/**
 * The address of an output script: base58 for P2PKH/P2SH, bech32/bech32m for witness programs
 * (versions 0-16, 2-40 bytes; v0 only 20 or 32); null for scripts without an address form (P2PK,
 * bare multisig, OP_RETURN, non-standard), as Esplora does. Encoded directly, without curve
 * checks: a taproot output whose key is not on the curve still has an address.
 */
export function scriptAddress(script: string, network: NetworkName = 'mainnet'): string | null {
  const net = PARAMS[network];
  const type = templateType(script);
  if (type === 'p2pkh') return toBase58Check(Buffer.from(script.slice(6, 46), 'hex'), net.pubKeyHash);
  if (type === 'p2sh') return toBase58Check(Buffer.from(script.slice(4, 44), 'hex'), net.scriptHash);
  const n = script.length / 2;
  if (n < 4 || n > 42) return null;
  const op = parseInt(script.slice(0, 2), 16);
  const push = parseInt(script.slice(2, 4), 16);
  if (push !== n - 2) return null;
  const version = op === 0 ? 0 : op >= 0x51 && op <= 0x60 ? op - 0x50 : -1;
  if (version < 0 || (version === 0 && push !== 20 && push !== 32)) return null;
  return btcAddress.toBech32(Buffer.from(script.slice(4), 'hex'), version, net.bech32);
}

/** The address and script type the explorer gave for a script must be the script's own. */
export function checkDerived(txid: string, field: string, out: TxOut, network: NetworkName): void {
  const want = scriptAddress(out.script, network);
  const got =
    out.address === null ? null : /^(bc|tb)1/i.test(out.address) ? out.address.toLowerCase() : out.address;
  if (got !== want) {
    throw new IntegrityError(
      `transaction ${txid}: ${field}.address: the explorer says ${out.address ?? 'none'}, but script ${out.script} ` +
        `${want === null ? 'has no address' : `is the address ${want}`}`,
      esploraPath.tx(txid),
    );
  }
  const type = templateType(out.script);
  if (type !== null ? out.scriptType !== type : SCRIPT_TYPES.has(out.scriptType)) {
    throw new IntegrityError(
      `transaction ${txid}: ${field}.scriptType: the explorer says ${out.scriptType}, but script ${out.script} ` +
        `is ${type ?? 'not of that template'}`,
      esploraPath.tx(txid),
    );
  }
}

/**
 * Checks one transaction JSON against its raw summary (see the header for what is covered).
 * Throws IntegrityError naming the txid and the first field that differs.
 */
export function checkTxAgainstRaw(tx: Tx, raw: RawTxSummary, network: NetworkName = 'mainnet'): void {
  const id = tx.txid;
  if (raw.txid !== id) mismatch(id, 'txid', id, raw.txid);
  if (tx.version >>> 0 !== raw.version >>> 0) mismatch(id, 'version', tx.version, raw.version);
  if (tx.locktime !== raw.locktime) mismatch(id, 'locktime', tx.locktime, raw.locktime);
  if (tx.size !== raw.size) mismatch(id, 'size', tx.size, raw.size);
  if (tx.weight !== raw.weight) mismatch(id, 'weight', tx.weight, raw.weight);
  if (tx.vin.length !== raw.ins.length) mismatch(id, 'number of inputs', tx.vin.length, raw.ins.length);
  if (tx.vout.length !== raw.outs.length) mismatch(id, 'number of outputs', tx.vout.length, raw.outs.length);
  for (let k = 0; k < tx.vin.length; k++) {
    const j = tx.vin[k]!;
    const r = raw.ins[k]!;
    if (j.txid !== r.txid) mismatch(id, `vin[${k}].txid`, j.txid, r.txid);
    if (j.vout !== r.vout) mismatch(id, `vin[${k}].vout`, j.vout, r.vout);
    if (j.sequence !== r.sequence) mismatch(id, `vin[${k}].sequence`, j.sequence, r.sequence);
    if (j.coinbase !== raw.coinbase) mismatch(id, `vin[${k}].is_coinbase`, j.coinbase, raw.coinbase);
    if (j.prevout) checkDerived(id, `vin[${k}].prevout`, j.prevout, network);
  }
  let outSum = 0n;
  for (let k = 0; k < tx.vout.length; k++) {
    const j = tx.vout[k]!;
    const r = raw.outs[k]!;
    outSum += r.value;
    if (BigInt(j.value) !== r.value) mismatch(id, `vout[${k}].value`, `${j.value} sat`, `${r.value} sat`);
    if (j.script !== r.script) mismatch(id, `vout[${k}].scriptpubkey`, j.script, r.script);
    checkDerived(id, `vout[${k}]`, j, network);
  }
  if (!raw.coinbase) {
    let inSum = 0n;
    for (const i of tx.vin) inSum += BigInt(i.prevout?.value ?? 0);
    if (BigInt(tx.fee) !== inSum - outSum) {
      mismatch(id, 'fee', `${tx.fee} sat`, `inputs ${inSum} - outputs ${outSum} = ${inSum - outSum} sat`);
    }
  }
}
