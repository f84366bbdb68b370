// MemoryChain over real recorded Esplora responses (../shared/realdata, never copied here):
// derived outspends and address answers agree with what the explorer really said.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EsploraTx } from '../support/memory.js';
import { chainFromRealdata, REALDATA_DIR } from '../support/load-chain.js';

const colonial = join(REALDATA_DIR, 'esplora/colonial_pipeline');
const present = existsSync(colonial);
if (!present) console.warn(`skipping realdata tests: ${colonial} is absent`);

describe.skipIf(!present)('Colonial Pipeline recordings', () => {
  const chain = present ? chainFromRealdata(colonial) : null!;
  const FBI = 'bc1qpx7vyv5tp7dm0g475ev527krg764t73dh77gls';
  const AFFILIATE = 'bc1qq2euq8pw950klpjcawuy4uj39ym43hs6cfsegq';
  const RANSOM = '15JFh88FcE4WL6qeMLgX5VEAFCbRXjc9fr';
  const full = (prefix: string): string => chain.txids().find((t) => t.startsWith(prefix))!;

  it('collects 10 distinct transactions (943f2d57 appears in two lists) and the recorded tip', () => {
    expect(chain.txids().length).toBe(10);
    expect(chain.tipHeight).toBe(955_873);
    expect(chain.answer('/blocks/tip/height').body).toBe('955873');
  });

  it('/tx/943f2d57…/outspends: the seized 63.69996546 BTC (output 1) was spent by 6f8fcc22…', () => {
    const seizure = full('943f2d57');
    expect(seizure).toBe('943f2d576ed8d9f388ba75eb82fe35cce29479b84121827ac368a5a94f44cf7a');
    const tx = chain.getTx(seizure)!;
    expect(tx.vout.map((o) => [o.value, o.scriptpubkey_address])).toEqual([
      [590_422_177, AFFILIATE],
      [6_369_996_546, FBI],
    ]);
    const outspends = JSON.parse(chain.answer(`/tx/${seizure}/outspends`).body) as {
      spent: boolean;
      txid: string;
      vin: number;
      status: { block_height: number };
    }[];
    expect(outspends.map((o) => [o.spent, o.txid, o.vin, o.status.block_height])).toEqual([
      [true, '280c5f96397b9502b99703842712b78fda84f1a0faabf826f683448082f46369', 0, 686_684],
      [true, '6f8fcc22e2167b39f4dd5f47971a0f4e688c64064c2feaec2dae69f079c20c74', 0, 696_400],
    ]);
  });

  it('the ransom payment 6a798026…:3 (75.0003 BTC) is spent by 915fb4f0… at input 1', () => {
    const ransomTx = full('6a798026');
    const outspends = JSON.parse(chain.answer(`/tx/${ransomTx}/outspends`).body) as {
      spent: boolean;
      txid?: string;
      vin?: number;
    }[];
    expect(chain.getTx(ransomTx)!.vout[3]!.value).toBe(7_500_030_000);
    expect([outspends[3]!.txid, outspends[3]!.vin]).toEqual([full('915fb4f0'), 1]);
  });

  it.each([RANSOM, AFFILIATE, FBI])(
    '/address/%s: derived stats and history equal the recorded ones',
    (address) => {
      const recordedStats = JSON.stringify(
        JSON.parse(readFileSync(join(colonial, `address_${address}.json`), 'utf8')),
      );
      expect(chain.answer(`/address/${address}`).body).toBe(recordedStats);
      const recordedTxs = JSON.parse(
        readFileSync(join(colonial, `address_${address}_txs.json`), 'utf8'),
      ) as EsploraTx[];
      expect(JSON.parse(chain.answer(`/address/${address}/txs`).body)).toEqual(recordedTxs);
    },
  );

  it('hex is rebuilt from the JSON and hashes to each txid', () => {
    // The constructor already refuses a mismatch; check the answer route too.
    const hex = chain.answer(`/tx/${full('6f8fcc22')}/hex`);
    expect(hex.contentType).toBe('text/plain');
    expect(hex.body).toMatch(/^02000000/);
  });
});

// Folders of plain Esplora files (tx_*.json, address_*_txs.json): transactions and tip each gives.
const realEsplora = join(REALDATA_DIR, 'esplora');
describe.skipIf(!existsSync(realEsplora))('every realdata Esplora folder loads and verifies', () => {
  it.each([
    ['bitfinex_2016', 2, 955_874],
    ['breez_35kRn3', 1, 764_153],
    ['breez_bc1qvhyke', 2, 674_358],
    ['colonial_pipeline', 10, 955_873],
    ['early_p2pk_f4184fc5', 1, 170],
    ['hydra_ofac', 2, 955_912],
    ['whirlpool_coinjoin', 2, 955_918],
  ])('%s: %i txs hashing to their txids, tip %i', (folder, count, tip) => {
    const dir = join(realEsplora, folder);
    if (!existsSync(dir)) return console.warn(`skipping ${dir}: absent`);
    const chain = chainFromRealdata(dir);
    expect(chain.txids().length).toBe(count);
    expect(chain.tipHeight).toBe(tip);
  });

  it('the Whirlpool mix spends Tx0 output 8 at input 0 (bitfinex: 5c7134d4…:0 at input 182)', () => {
    const whirlpool = chainFromRealdata(join(realEsplora, 'whirlpool_coinjoin'));
    const tx0 = '333f45431e47b9543772013ac83a9b33cc58dc3245ccfd48b972107bb8405c13';
    const spends = JSON.parse(whirlpool.answer(`/tx/${tx0}/outspends`).body) as {
      spent: boolean;
      txid?: string;
      vin?: number;
    }[];
    expect(spends.length).toBe(19);
    expect(spends.filter((o) => o.spent).map((o) => [spends.indexOf(o), o.txid, o.vin])).toEqual([
      [8, '323df21f0b0756f98336437aa3d2fb87e02b59f1946b714a7b09df04d429dec2', 0],
    ]);
    const bitfinex = chainFromRealdata(join(realEsplora, 'bitfinex_2016'));
    const theft = '5c7134d4dd030402a9d1315e2f34f46a7e6ace6bbfb572974a83359e3b8fa700';
    const out = JSON.parse(bitfinex.answer(`/tx/${theft}/outspends`).body) as {
      txid?: string;
      vin?: number;
    }[];
    expect([out[0]!.txid, out[0]!.vin]).toEqual([
      'c49ff6bd054fb386cd02fc94ca34b8773229ed8a5538e023ef7bea772d70c17a',
      182,
    ]);
  });
});
