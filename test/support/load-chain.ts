// MemoryChains for tests: the demo case (fixtures/demo/chain.json) and chains built from the real
// recorded Esplora responses in ../shared/realdata/esplora/<case>.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryChain, type ChainEntry, type EsploraTx } from './memory.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_DIR = join(REPO_ROOT, 'fixtures/demo');
/** Real recorded data, beside the project (never copied into it). */
export const REALDATA_DIR = resolve(REPO_ROOT, '../shared/realdata');

interface ChainFile {
  network: string;
  tip_height: number;
  txs: { hex: string; tx: EsploraTx }[];
}

export function readDemoChainFile(dir = DEMO_DIR): ChainFile {
  return JSON.parse(readFileSync(join(dir, 'chain.json'), 'utf8')) as ChainFile;
}

export function loadDemoChain(dir = DEMO_DIR): MemoryChain {
  const file = readDemoChainFile(dir);
  if (file.network !== 'bitcoin')
    throw new Error(`${dir}/chain.json: network ${file.network} is not supported`);
  return new MemoryChain(
    file.txs.map((t) => ({ tx: t.tx, hex: t.hex })),
    { tipHeight: file.tip_height },
  );
}

function isTx(v: unknown): v is EsploraTx {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as EsploraTx).txid === 'string' &&
    Array.isArray((v as EsploraTx).vin)
  );
}

/**
 * Every transaction object in the Esplora files of one realdata folder (tx_<txid>.json and
 * address_<a>_txs*.json lists), deduplicated by txid in file-name order, with the folder's
 * blocks_tip_height.txt (else the highest block height seen). Hex is rebuilt from the JSON and
 * checked against each txid, so a hand-edited file fails here.
 */
export function chainFromRealdata(dir: string): MemoryChain {
  const entries: ChainEntry[] = [];
  const seen = new Set<string>();
  const add = (v: unknown): void => {
    if (!isTx(v) || seen.has(v.txid)) return;
    seen.add(v.txid);
    entries.push({ tx: v });
  };
  const names = readdirSync(dir).sort();
  for (const name of names) {
    const isTxFile = /^tx_[0-9a-f]{64}\.json$/.test(name);
    const isHistory = /^address_[A-Za-z0-9]+_txs(_chain(_[0-9a-f]{64})?)?\.json$/.test(name);
    if (!isTxFile && !isHistory) continue;
    const json: unknown = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    if (Array.isArray(json)) json.forEach(add);
    else add(json);
  }
  // An address page lists newest first; within one block keep chain order as well as we can:
  // oldest first, so MemoryChain's block-position order matches the recorded order.
  entries.reverse();
  const tipFile = join(dir, 'blocks_tip_height.txt');
  const tipHeight = existsSync(tipFile)
    ? Number(readFileSync(tipFile, 'utf8').trim())
    : Math.max(0, ...entries.map((e) => e.tx.status.block_height ?? 0));
  return new MemoryChain(entries, { tipHeight });
}
