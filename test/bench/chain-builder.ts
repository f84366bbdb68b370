// Builds a small chain as raw Esplora JSON for the benchmark cases. Transactions are not signed
// or serialized: a txid is sha256 of the case name and a counter, which is all the walk needs
// (unique 64-hex ids consistent between vin and vout). The MemoryChain that serves them is
// built with verifyHex off and an empty hex, so nothing tries to hash them.
// Every output pays a P2WPKH address derived from a label, so the CoinJoin detectors (which
// want native SegWit) see real shapes and every address parses.

import { createHash } from 'node:crypto';
import { MemoryChain, type ChainEntry, type EsploraIn, type EsploraOut } from '../support/memory.js';
import { esploraOut } from '../../fixtures/esplora-json.js';

export const START_HEIGHT = 850_000;
const START_TIME = 1_719_390_000;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export interface Pay {
  /** Address label: the same label is the same address. */
  to: string;
  value: number;
}

export class ChainBuilder {
  readonly entries: ChainEntry[] = [];
  height = START_HEIGHT;
  private count = 0;
  private readonly outs = new Map<string, EsploraOut>();
  private readonly addresses = new Map<string, EsploraOut>();

  constructor(private readonly name: string) {}

  /** The P2WPKH address of a label. */
  address(label: string): string {
    return this.template(label).scriptpubkey_address!;
  }

  private template(label: string): EsploraOut {
    let o = this.addresses.get(label);
    if (!o) {
      const hash = sha256(`${this.name}/address/${label}`).subarray(0, 20);
      o = esploraOut(Buffer.concat([Buffer.from([0x00, 0x14]), hash]), 0);
      this.addresses.set(label, o);
    }
    return o;
  }

  /** The output "txid:vout" (must exist). */
  output(outpoint: string): EsploraOut {
    const o = this.outs.get(outpoint);
    if (!o) throw new Error(`${this.name}: no output ${outpoint}`);
    return o;
  }

  /** The next block: later transactions confirm one block higher. */
  block(): void {
    this.height++;
  }

  /**
   * Adds a confirmed transaction spending `inputs` ("txid:vout" of earlier outputs; none makes a
   * coinbase) and paying `outputs`; returns its txid. The fee is what the inputs leave over.
   */
  tx(inputs: readonly string[], outputs: readonly Pay[]): string {
    const txid = sha256(`${this.name}/tx/${this.count++}`).toString('hex');
    const vin: EsploraIn[] =
      inputs.length === 0
        ? [
            {
              txid: '0'.repeat(64),
              vout: 0xffffffff,
              prevout: null,
              scriptsig: '03' + this.height.toString(16).padStart(6, '0'),
              scriptsig_asm: 'OP_PUSHBYTES_3',
              is_coinbase: true,
              sequence: 0xffffffff,
            },
          ]
        : inputs.map((key) => {
            const prevout = this.output(key);
            const [t, v] = key.split(':') as [string, string];
            return {
              txid: t,
              vout: Number(v),
              prevout,
              scriptsig: '',
              scriptsig_asm: '',
              witness: ['30', '02'],
              is_coinbase: false,
              sequence: 0xfffffffd,
            };
          });
    const vout = outputs.map((p) => {
      if (!Number.isSafeInteger(p.value) || p.value <= 0) {
        throw new Error(`${this.name}: output value ${p.value} to ${p.to} is not a positive integer`);
      }
      return { ...this.template(p.to), value: p.value };
    });
    let fee = 0;
    if (inputs.length > 0) {
      for (const i of vin) fee += i.prevout!.value;
      for (const o of vout) fee -= o.value;
      if (fee < 0) throw new Error(`${this.name}: tx ${txid} pays ${-fee} sat more than its inputs`);
    }
    vout.forEach((o, j) => this.outs.set(`${txid}:${j}`, o));
    const size = 11 + 68 * vin.length + 31 * vout.length;
    this.entries.push({
      tx: {
        txid,
        version: 2,
        locktime: 0,
        vin,
        vout,
        size,
        weight: size * 3 + 11 + 41 * vin.length,
        fee,
        status: {
          confirmed: true,
          block_height: this.height,
          block_hash: sha256(`${this.name}/block/${this.height}`).toString('hex'),
          block_time: START_TIME + (this.height - START_HEIGHT) * 600,
        },
      },
      // Never hashed (verifyHex off) and never asked for by a trace.
      hex: '',
    });
    return txid;
  }

  chain(): MemoryChain {
    return new MemoryChain(this.entries, { tipHeight: this.height + 6, verifyHex: false });
  }
}
