// A chain of real (hashable) transactions for call-count tests: one funding transaction pays N
// seed addresses, and each seed's coins then move `hops` times along their own path (one
// payment and no change, a fee of 1,000 sat a hop). Txids are the double SHA-256 of the
// rebuilt serialization, so the free checks (txid_hash, address_script) hold.

import { createHash } from 'node:crypto';
import { payments } from 'bitcoinjs-lib';
import { MemoryChain, rebuildHex, txidOfHex, type EsploraOut, type EsploraTx } from './memory.js';

const START_HEIGHT = 850_000;
const START_TIME = 1_719_390_000;

function out(label: string, value: number): EsploraOut {
  const hash = createHash('sha256').update(label).digest().subarray(0, 20);
  const p = payments.p2wpkh({ hash });
  return {
    scriptpubkey: Buffer.from(p.output!).toString('hex'),
    scriptpubkey_asm: '',
    scriptpubkey_type: 'v0_p2wpkh',
    scriptpubkey_address: p.address!,
    value,
  };
}

function make(
  inputs: { txid: string; vout: number; prevout: EsploraOut }[],
  outs: EsploraOut[],
  height: number,
): EsploraTx {
  const tx: EsploraTx = {
    txid: '',
    version: 2,
    locktime: 0,
    vin: inputs.map((i) => ({
      txid: i.txid,
      vout: i.vout,
      prevout: i.prevout,
      scriptsig: '',
      scriptsig_asm: '',
      is_coinbase: false,
      sequence: 0xfffffffd,
    })),
    vout: outs,
    size: 100,
    weight: 400,
    fee: inputs.reduce((s, i) => s + i.prevout.value, 0) - outs.reduce((s, o) => s + o.value, 0),
    status: {
      confirmed: true,
      block_height: height,
      block_hash: createHash('sha256').update(`block ${height}`).digest('hex'),
      // A block a day, so the paths cross month boundaries (partition pruning is exercised).
      block_time: START_TIME + (height - START_HEIGHT) * 86_400,
    },
  };
  tx.txid = txidOfHex(rebuildHex(tx));
  return tx;
}

export interface SeedChains {
  chain: MemoryChain;
  seeds: string[];
}

export function seedChains(n: number, hops: number): SeedChains {
  const outside = out('outside', 0);
  const value = 10_000_000;
  const funding = make(
    [{ txid: 'ab'.repeat(32), vout: 0, prevout: { ...outside, value: n * value + 1000 } }],
    Array.from({ length: n }, (_, i) => out(`seed ${i}`, value)),
    START_HEIGHT,
  );
  const txs = [funding];
  const seeds = funding.vout.map((o) => o.scriptpubkey_address!);
  for (let i = 0; i < n; i++) {
    let prev = { txid: funding.txid, vout: i, prevout: funding.vout[i]! };
    for (let h = 1; h <= hops; h++) {
      const tx = make([prev], [out(`path ${i} hop ${h}`, prev.prevout.value - 1000)], START_HEIGHT + h * 15);
      txs.push(tx);
      prev = { txid: tx.txid, vout: 0, prevout: tx.vout[0]! };
    }
  }
  return {
    chain: new MemoryChain(
      txs.map((tx) => ({ tx })),
      { tipHeight: START_HEIGHT + hops * 15 + 5 },
    ),
    seeds,
  };
}
