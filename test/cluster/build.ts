// Builds normalized Tx objects from compact test specs (JSON fixtures), with fake but distinct
// addresses and scripts, so a test vector is a line of data.
import { createHash } from 'node:crypto';
import type { Tx, TxIn, TxOut } from '../../src/model/tx.js';

export interface IoSpec {
  value: number;
  /** Esplora script type; defaults to the spec's inType/outType. */
  type?: string;
  /** Fake address; null for an address-less script. Defaults to "<id>-in<n>" / "<id>-out<n>". */
  address?: string | null;
  /** For inputs: "<spec id>:<vout>" of the output spent (defaults to a fake outpoint). */
  spends?: string;
}

export interface TxSpec {
  id: string;
  /** Block height; null = unconfirmed. Default 800,000. */
  height?: number | null;
  locktime?: number;
  inType?: string;
  outType?: string;
  in: (number | IoSpec)[];
  out: (number | IoSpec)[];
}

export function fakeTxid(name: string): string {
  return createHash('sha256').update(`tx:${name}`).digest('hex');
}

function hash20(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 40);
}

/** A script of the right template for its type, derived from the address so equal addresses share it. */
export function fakeScript(type: string, address: string): string {
  const h = hash20(address);
  switch (type) {
    case 'p2pkh':
      return `76a914${h}88ac`;
    case 'p2sh':
      return `a914${h}87`;
    case 'v0_p2wpkh':
      return `0014${h}`;
    case 'v0_p2wsh':
    case 'v1_p2tr':
      return `${type === 'v1_p2tr' ? '5120' : '0020'}${h}${hash20(address + '/2').slice(0, 24)}`;
    case 'op_return':
      return '6a04' + h.slice(0, 8);
    case 'p2pk':
      return `21${'02' + h + h.slice(0, 24)}ac`;
    default:
      return `51${h}`;
  }
}

function io(spec: number | IoSpec): IoSpec {
  return typeof spec === 'number' ? { value: spec } : spec;
}

function makeOut(s: IoSpec, defType: string, defAddress: string): TxOut {
  const type = s.type ?? defType;
  const addressLess = type === 'op_return' || type === 'p2pk' || s.address === null;
  const address = addressLess ? null : (s.address ?? defAddress);
  return { value: s.value, script: fakeScript(type, address ?? defAddress), scriptType: type, address };
}

/** One Tx from a spec; `resolve` maps "<id>:<vout>" references to real outpoints. */
export function buildTx(
  spec: TxSpec,
  resolve: (ref: string) => { txid: string; vout: number } = parseRef,
): Tx {
  const inType = spec.inType ?? 'v0_p2wpkh';
  const outType = spec.outType ?? 'v0_p2wpkh';
  const vin: TxIn[] = spec.in.map((raw, n) => {
    const s = io(raw);
    const prev = s.spends ? resolve(s.spends) : { txid: fakeTxid(`${spec.id}-prev${n}`), vout: 0 };
    return {
      txid: prev.txid,
      vout: prev.vout,
      coinbase: false,
      prevout: makeOut(s, inType, `${spec.id}-in${n}`),
      sequence: 0xffffffff,
    };
  });
  const vout = spec.out.map((raw, n) => makeOut(io(raw), outType, `${spec.id}-out${n}`));
  const fee = vin.reduce((a, i) => a + i.prevout!.value, 0) - vout.reduce((a, o) => a + o.value, 0);
  if (fee < 0) throw new Error(`spec ${spec.id}: outputs exceed inputs by ${-fee} sat`);
  const height = spec.height === undefined ? 800_000 : spec.height;
  return {
    txid: fakeTxid(spec.id),
    version: 2,
    locktime: spec.locktime ?? 0,
    size: 200,
    weight: 800,
    fee,
    vin,
    vout,
    status: { confirmed: height !== null, height, hash: null, time: null },
  };
}

function parseRef(ref: string): { txid: string; vout: number } {
  const [id, vout] = ref.split(':');
  return { txid: fakeTxid(id!), vout: Number(vout) };
}

/** Builds several specs; "spends" references resolve to the txids of specs by id. */
export function buildTxs(specs: TxSpec[]): Map<string, Tx> {
  const out = new Map<string, Tx>();
  for (const s of specs) out.set(s.id, buildTx(s));
  return out;
}

/** A coinbase transaction paying `address`. */
export function coinbaseTx(id: string, address: string, value: number, height: number): Tx {
  return {
    txid: fakeTxid(id),
    version: 1,
    locktime: 0,
    size: 100,
    weight: 400,
    fee: 0,
    vin: [{ txid: '0'.repeat(64), vout: 0xffffffff, coinbase: true, prevout: null, sequence: 0xffffffff }],
    vout: [{ value, script: fakeScript('p2pkh', address), scriptType: 'p2pkh', address }],
    status: { confirmed: true, height, hash: null, time: null },
  };
}
