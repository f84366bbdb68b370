// Shared helpers for the source tests: the real-data folder, a virtual clock, and synthetic
// Esplora transactions that pass every parse check (txids, fee balance, statuses).

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const REALDATA = resolve(repoRoot, '../shared/realdata');
export const ESPLORA = join(REALDATA, 'esplora');
export const hasRealdata = existsSync(ESPLORA);
if (!hasRealdata) console.warn(`skipping real-data source tests: ${ESPLORA} is absent`);

export function readReal(rel: string): string {
  return readFileSync(join(REALDATA, rel), 'utf8');
}

/** A recording of the paging_bc1qvszz folder: {call, url, status, body}. */
export interface Recorded {
  call: number;
  url: string;
  status: number;
  body: unknown;
}

export function readRecorded(rel: string): Recorded {
  return JSON.parse(readReal(rel)) as Recorded;
}

/** Virtual time: sleep() advances the clock at once and logs each delay. */
export function virtualClock(start = Date.parse('2026-01-01T00:00:00Z')) {
  const clock = {
    t: start,
    delays: [] as number[],
    now: () => clock.t,
    sleep: (ms: number) => {
      clock.delays.push(ms);
      clock.t += ms;
      return Promise.resolve();
    },
  };
  return clock;
}

export function hex64(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

export interface FakeTxOptions {
  confirmed?: boolean;
  height?: number;
  outputs?: number;
  address?: string;
}

/** A valid Esplora tx JSON (one input, `outputs` outputs, fee 1000 sat), named by a seed string. */
export function fakeTx(name: string, o: FakeTxOptions = {}): Record<string, unknown> {
  const outputs = o.outputs ?? 2;
  const vout = Array.from({ length: outputs }, (_, k) => ({
    scriptpubkey: '0014' + hex64(`${name}:${k}`).slice(0, 40),
    scriptpubkey_asm: 'OP_0 OP_PUSHBYTES_20 …',
    scriptpubkey_type: 'v0_p2wpkh',
    scriptpubkey_address: k === 0 && o.address ? o.address : `bc1qfake${k}`,
    value: 10_000 * (k + 1),
  }));
  const outSum = vout.reduce((s, x) => s + x.value, 0);
  const confirmed = o.confirmed ?? true;
  const height = o.height ?? 800_000;
  return {
    txid: txidOf(name),
    version: 2,
    locktime: 0,
    vin: [
      {
        txid: hex64(`parent of ${name}`),
        vout: 0,
        prevout: {
          scriptpubkey: '0014' + '11'.repeat(20),
          scriptpubkey_asm: 'OP_0 …',
          scriptpubkey_type: 'v0_p2wpkh',
          scriptpubkey_address: o.address ?? 'bc1qsender',
          value: outSum + 1000,
        },
        scriptsig: '',
        scriptsig_asm: '',
        witness: ['00'],
        is_coinbase: false,
        sequence: 4294967293,
      },
    ],
    vout,
    size: 222,
    weight: 561,
    fee: 1000,
    status: confirmed
      ? {
          confirmed: true,
          block_height: height,
          block_hash: hex64(`block ${height}`),
          block_time: 1_700_000_000 + height,
        }
      : { confirmed: false },
  };
}

export function txidOf(name: string): string {
  return hex64(`tx ${name}`);
}

/** Outspends JSON for n outputs: output k spent when k is even. */
export function fakeOutspends(name: string, n: number): unknown[] {
  return Array.from({ length: n }, (_, k) =>
    k % 2 === 0
      ? {
          spent: true,
          txid: txidOf(`${name} spender ${k}`),
          vin: k,
          status: {
            confirmed: true,
            block_height: 800_100,
            block_hash: hex64('b'),
            block_time: 1_700_800_100,
          },
        }
      : { spent: false },
  );
}
