// Real mainnet transactions from shared/realdata (provenance in its SOURCES.md); skipped with a
// visible reason when that folder is absent.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DETECTORS, detectCoinJoin, esplora } from '../../src/cluster/coinjoin/index.js';
import { buildClusters } from '../../src/cluster/common-input.js';
import type { Tx } from '../../src/model/tx.js';
import { parseTx } from '../../src/sources/parse.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const realdata = path.resolve(repoRoot, '../shared/realdata');
const present = existsSync(path.join(realdata, 'esplora'));
if (!present) console.warn(`test/cluster/realdata: skipped, ${realdata} is absent`);

function load(dir: string, txid: string): Tx {
  const file = path.join(realdata, 'esplora', dir, `tx_${txid}.json`);
  return parseTx(JSON.parse(readFileSync(file, 'utf8')), `/tx/${txid}`);
}

const MIX = '323df21f0b0756f98336437aa3d2fb87e02b59f1946b714a7b09df04d429dec2';
const TX0 = '333f45431e47b9543772013ac83a9b33cc58dc3245ccfd48b972107bb8405c13';
const SEIZURE = 'c49ff6bd054fb386cd02fc94ca34b8773229ed8a5538e023ef7bea772d70c17a';

describe.skipIf(!present)('real data: CoinJoin detection', () => {
  it('the 0.05 BTC Whirlpool mix 323df21f... is flagged by whirlpool only', () => {
    const mix = load('whirlpool_coinjoin', MIX);
    expect([mix.vin.length, mix.vout.length, mix.status.height]).toEqual([5, 5, 574_682]);
    expect(detectCoinJoin(mix)).toEqual(['whirlpool']);
    expect(buildClusters([mix]).skipped).toEqual([
      { txid: MIX, reason: 'coinjoin', detectors: ['whirlpool'], confidence: 'definite' },
    ]);
    expect(buildClusters([mix]).members).toEqual([]);
  });

  it('its Tx0 333f4543... (1 input, 19 outputs) is not flagged by any default detector', () => {
    const tx0 = load('whirlpool_coinjoin', TX0);
    expect([tx0.vin.length, tx0.vout.length]).toEqual([1, 19]);
    expect(detectCoinJoin(tx0)).toEqual([]);
    expect(detectCoinJoin(tx0, [...DETECTORS, esplora])).toEqual([]);
  });
});

describe.skipIf(!present)('real data: Bitfinex seizure consolidation', () => {
  it('c49ff6bd... links its 562 inputs from 166 addresses into one cluster', () => {
    const tx = load('bitfinex_2016', SEIZURE);
    expect(tx.vin.length).toBe(562);
    const distinct = new Set(tx.vin.map((i) => i.prevout!.address));
    expect(distinct.size).toBe(166);
    expect(detectCoinJoin(tx)).toEqual([]);
    const r = buildClusters([tx]);
    expect(r.clusters.length).toBe(1);
    expect(r.clusters[0]!.addresses.length).toBe(166);
    expect(r.members.every((m) => m.linkedByTxid === SEIZURE)).toBe(true);
    expect(r.links).toEqual([{ txid: SEIZURE, height: 721_287, addresses: [...distinct].sort() }]);
  });
});
