// Test helpers for txid verification: raw hex rebuilt from Esplora JSON fields, self-made
// transactions with their Esplora JSON, and a fake ChainSource answering from both.

import { payments, Transaction } from 'bitcoinjs-lib';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressStats, Outspend, Tx } from '../../src/model/tx.js';
import { NotFoundError } from '../../src/sources/errors.js';
import { parseTx } from '../../src/sources/parse.js';
import { esploraPath } from '../../src/sources/resources.js';
import type { AddressHistory, ChainSource, SourceStats } from '../../src/sources/source.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const REALDATA = resolve(repoRoot, '../shared/realdata');
export const ESPLORA = join(REALDATA, 'esplora');
export const hasRealdata = existsSync(ESPLORA);

/** Esplora transaction JSON, as far as these tests read and edit it. */
export interface EsploraOut {
  scriptpubkey: string;
  scriptpubkey_asm?: string;
  scriptpubkey_type: string;
  scriptpubkey_address?: string | null;
  value: number;
}
export interface EsploraIn {
  txid: string;
  vout: number;
  prevout: EsploraOut | null;
  scriptsig?: string;
  scriptsig_asm?: string;
  witness?: string[];
  is_coinbase: boolean;
  sequence: number;
}
export interface Json {
  txid: string;
  version: number;
  locktime: number;
  vin: EsploraIn[];
  vout: EsploraOut[];
  size: number;
  weight: number;
  fee: number;
  status: { confirmed: boolean; block_height?: number; block_hash?: string; block_time?: number };
}

const bytes = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Serializes an Esplora tx JSON back into raw bytes (the fields the txid commits to, plus witness). */
export function rawHexOf(json: Json): string {
  const tx = new Transaction();
  tx.version = json.version;
  tx.locktime = json.locktime;
  json.vin.forEach((i, k) => {
    tx.addInput(bytes(i.txid).reverse(), i.vout, i.sequence, bytes(i.scriptsig ?? ''));
    if (Array.isArray(i.witness) && i.witness.length > 0) tx.setWitness(k, i.witness.map(bytes));
  });
  for (const o of json.vout) tx.addOutput(bytes(o.scriptpubkey), BigInt(o.value));
  return tx.toHex();
}

/** Every distinct transaction JSON in the real-data folder (tx files, address pages, test data). */
export function realTransactions(): Json[] {
  const seen = new Map<string, Json>();
  const add = (t: unknown) => {
    const tx = t as Partial<Json> | null;
    if (tx && typeof tx.txid === 'string' && Array.isArray(tx.vin) && !seen.has(tx.txid))
      seen.set(tx.txid, tx as Json);
  };
  const walk = (dir: string) => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, name.name);
      if (name.isDirectory()) walk(p);
      else if (name.name.endsWith('.json')) {
        const data = JSON.parse(readFileSync(p, 'utf8')) as unknown;
        // Recorded exchanges (paging_*) wrap the answer as {call, url, status, body}.
        const body =
          data && !Array.isArray(data) && typeof data === 'object' && 'body' in data ? data.body : data;
        if (Array.isArray(body)) body.forEach(add);
        else add(body);
      }
    }
  };
  walk(ESPLORA);
  return [...seen.values()].sort((a, b) => (a.txid < b.txid ? -1 : 1));
}

export function readRealTx(rel: string, txid: string): Json {
  const data = JSON.parse(readFileSync(join(ESPLORA, rel), 'utf8')) as Json | Json[];
  const list = Array.isArray(data) ? data : [data];
  const tx = list.find((t) => t.txid === txid);
  if (!tx) throw new Error(`${txid} not in ${rel}`);
  return tx;
}

// ---------------------------------------------------------------------------------------------
// Self-made transactions (no real data needed).

function hash(seed: string, n: number): Uint8Array {
  return Uint8Array.from(createHash('sha256').update(seed).digest()).slice(0, n);
}

export interface Pay {
  script: string;
  type: string;
  address: string | null;
  value: number;
}

/** An output paying a deterministic key/script hash, built with bitcoinjs payments. */
export function pay(
  kind: 'p2wpkh' | 'p2pkh' | 'p2sh' | 'p2wsh' | 'op_return',
  seed: string,
  value: number,
): Pay {
  switch (kind) {
    case 'p2wpkh': {
      const p = payments.p2wpkh({ hash: hash(seed, 20) });
      return { script: toHex(p.output!), type: 'v0_p2wpkh', address: p.address!, value };
    }
    case 'p2pkh': {
      const p = payments.p2pkh({ hash: hash(seed, 20) });
      return { script: toHex(p.output!), type: 'p2pkh', address: p.address!, value };
    }
    case 'p2sh': {
      const p = payments.p2sh({ hash: hash(seed, 20) });
      return { script: toHex(p.output!), type: 'p2sh', address: p.address!, value };
    }
    case 'p2wsh': {
      const p = payments.p2wsh({ hash: hash(seed, 32) });
      return { script: toHex(p.output!), type: 'v0_p2wsh', address: p.address!, value };
    }
    case 'op_return': {
      const p = payments.embed({ data: [hash(seed, 8)] });
      return { script: toHex(p.output!), type: 'op_return', address: null, value };
    }
  }
}

export interface Spend {
  txid: string;
  vout: number;
  prevout: Pay;
}

export interface Made {
  txid: string;
  hex: string;
  json: Json;
}

/** A segwit transaction spending `ins` into `outs`, with its Esplora JSON (confirmed at `height`). */
export function makeTx(ins: Spend[], outs: Pay[], height = 850_000, locktime = 0): Made {
  const tx = new Transaction();
  tx.version = 2;
  tx.locktime = locktime;
  ins.forEach((i, k) => {
    tx.addInput(bytes(i.txid).reverse(), i.vout, 0xfffffffd);
    tx.setWitness(k, [hash(`sig ${i.txid}:${i.vout}`, 71), hash(`key ${k}`, 33)]);
  });
  for (const o of outs) tx.addOutput(bytes(o.script), BigInt(o.value));
  const txid = tx.getId();
  const out = (p: Pay) => ({
    scriptpubkey: p.script,
    scriptpubkey_asm: '…',
    scriptpubkey_type: p.type,
    ...(p.address !== null && { scriptpubkey_address: p.address }),
    value: p.value,
  });
  const inSum = ins.reduce((s, i) => s + i.prevout.value, 0);
  const outSum = outs.reduce((s, o) => s + o.value, 0);
  const json: Json = {
    txid,
    version: 2,
    locktime,
    vin: ins.map((i, k) => ({
      txid: i.txid,
      vout: i.vout,
      prevout: out(i.prevout),
      scriptsig: '',
      scriptsig_asm: '',
      witness: tx.ins[k]!.witness.map(toHex),
      is_coinbase: false,
      sequence: 0xfffffffd,
    })),
    vout: outs.map(out),
    size: tx.byteLength(),
    weight: tx.weight(),
    fee: inSum - outSum,
    status: {
      confirmed: true,
      block_height: height,
      block_hash: toHex(hash(`block ${height}`, 32)),
      block_time: 1_700_000_000 + height,
    },
  };
  return { txid, hex: tx.toHex(), json };
}

/** A coinbase transaction paying one output, with its Esplora JSON. */
export function makeCoinbase(height: number, out: Pay): Made {
  const tx = new Transaction();
  tx.version = 1;
  const scriptsig = Uint8Array.from([0x03, height & 0xff, (height >> 8) & 0xff, (height >> 16) & 0xff]);
  tx.addInput(new Uint8Array(32), 0xffffffff, 0xffffffff, scriptsig);
  tx.addOutput(bytes(out.script), BigInt(out.value));
  const json: Json = {
    txid: tx.getId(),
    version: 1,
    locktime: 0,
    vin: [
      {
        txid: '0'.repeat(64),
        vout: 0xffffffff,
        prevout: null,
        scriptsig: toHex(scriptsig),
        is_coinbase: true,
        sequence: 0xffffffff,
      },
    ],
    vout: [
      {
        scriptpubkey: out.script,
        scriptpubkey_type: out.type,
        ...(out.address !== null && { scriptpubkey_address: out.address }),
        value: out.value,
      },
    ],
    size: tx.byteLength(),
    weight: tx.weight(),
    fee: 0,
    status: {
      confirmed: true,
      block_height: height,
      block_hash: toHex(hash(`block ${height}`, 32)),
      block_time: 1,
    },
  };
  return { txid: json.txid, hex: tx.toHex(), json };
}

/** A parent paying two outputs and a child spending the parent's output 0. */
export function family() {
  const fundingTxid = toHex(hash('funding', 32));
  const a = pay('p2wpkh', 'alice', 50_000);
  const b = pay('p2pkh', 'bob', 30_000);
  const parent = makeTx([{ txid: fundingTxid, vout: 3, prevout: pay('p2wpkh', 'funder', 81_000) }], [a, b]);
  const child = makeTx(
    [{ txid: parent.txid, vout: 0, prevout: a }],
    [pay('p2sh', 'carol', 44_000), pay('p2wsh', 'dave', 5_000), pay('op_return', 'memo', 0)],
    850_001,
    849_999,
  );
  return { parent, child };
}

export const clone = (j: Json): Json => structuredClone(j);

// ---------------------------------------------------------------------------------------------

/** A ChainSource answering from maps of Esplora JSON and raw hex; counts calls. */
export class FakeSource implements ChainSource {
  readonly description = 'fake';
  readonly txs = new Map<string, Json>();
  readonly hexes = new Map<string, string>();
  readonly outspends = new Map<string, Outspend[]>();
  readonly histories = new Map<string, Json[]>();
  readonly calls = { tx: 0, hex: 0, outspends: 0, history: 0 };

  add(...made: Made[]): this {
    for (const m of made) {
      this.txs.set(m.txid, m.json);
      this.hexes.set(m.txid, m.hex);
    }
    return this;
  }

  stats(): SourceStats {
    return {
      requests: this.calls.tx + this.calls.hex + this.calls.outspends + this.calls.history,
      retries: 0,
      memoHits: 0,
      repeated: 0,
    };
  }

  getTx(txid: string): Promise<Tx> {
    this.calls.tx++;
    const j = this.txs.get(txid);
    if (!j) return Promise.reject(new NotFoundError(`${txid}: Transaction not found`, esploraPath.tx(txid)));
    return Promise.resolve(parseTx(clone(j), esploraPath.tx(txid)));
  }

  getTxHex(txid: string): Promise<string> {
    this.calls.hex++;
    const h = this.hexes.get(txid);
    if (!h)
      return Promise.reject(new NotFoundError(`${txid}: Transaction not found`, esploraPath.txHex(txid)));
    return Promise.resolve(h);
  }

  getOutspends(txid: string): Promise<Outspend[]> {
    this.calls.outspends++;
    const o = this.outspends.get(txid);
    if (!o)
      return Promise.reject(new NotFoundError(`${txid}: Transaction not found`, esploraPath.outspends(txid)));
    return Promise.resolve(o);
  }

  getOutspendsMany(txids: string[]): Promise<Outspend[][]> {
    return Promise.all(txids.map((t) => this.getOutspends(t)));
  }

  getAddressHistory(address: string): Promise<AddressHistory> {
    this.calls.history++;
    const list = this.histories.get(address) ?? [];
    return Promise.resolve({
      txs: list.map((j, k) => parseTx(clone(j), esploraPath.addressTxs(address), `txs[${k}]`)),
      complete: true,
    });
  }

  getAddressStats(a: string): Promise<AddressStats> {
    return Promise.reject(new NotFoundError(`${a}: not in the fake`, esploraPath.address(a)));
  }

  getTipHeight(): Promise<number> {
    return Promise.resolve(900_000);
  }
}
