// A hand-checked handful of real labelled transactions (fixtures/coinjoin-real.json, copied from
// ../shared/realdata/coinjoin): per class, the findings, confidence and reason btctrace gives.
// The whole set is measured by test/bench/coinjoin-bench.ts, outside the unit tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assessCoinJoin,
  detectCoinJoin,
  postMixFindings,
  type CoinJoinFinding,
} from '../../src/cluster/coinjoin/index.js';
import type { Tx } from '../../src/model/tx.js';
import { parseTx } from '../../src/sources/parse.js';

interface RealCase {
  label: string;
  findings: CoinJoinFinding[];
  tx: Record<string, unknown> & { txid: string; vin: Record<string, unknown>[] };
}

const file = path.join(import.meta.dirname, 'fixtures/coinjoin-real.json');
const cases = (JSON.parse(readFileSync(file, 'utf8')) as { txs: RealCase[] }).txs;

/** The rebuilt transactions lack version, locktime, size, weight, sequences and scriptsigs: neutral placeholders (detectors read none of them). */
function toTx(j: RealCase['tx']): Tx {
  const filled = { version: 2, locktime: 0, size: 1, weight: 4, ...j };
  filled.vin = j.vin.map((i) => ({ sequence: 0xffffffff, scriptsig: '', ...i }));
  return parseTx(filled, `fixture ${j.txid}`);
}

const txs = new Map(cases.map((c) => [c.tx.txid, toTx(c.tx)]));
const byId = (prefix: string): Tx => [...txs.values()].find((t) => t.txid.startsWith(prefix))!;

describe('real labelled transactions: findings with confidence and reason', () => {
  it('has 16 fixtures', () => expect(cases.length).toBe(16));
  for (const c of cases) {
    it(`${c.tx.txid.slice(0, 12)}... (${c.label.slice(0, 60)})`, () => {
      const tx = txs.get(c.tx.txid)!;
      expect([...assessCoinJoin(tx), ...postMixFindings(tx, txs, assessCoinJoin)]).toEqual(c.findings);
    });
  }
});

describe('real transactions, checked by hand', () => {
  it('Whirlpool 0.001 BTC mix 093db108...: 5 outputs of 100,000 sat, 3 remixes; definite', () => {
    const tx = byId('093db108');
    expect(tx.vout.map((o) => o.value)).toEqual(Array<number>(5).fill(100_000));
    expect(tx.vin.filter((i) => i.prevout!.value === 100_000).length).toBe(3);
    expect(detectCoinJoin(tx, undefined, 'definite')).toEqual(['whirlpool']);
  });
  it('Tx0 38292218...: OP_RETURN, one premix of 104,235 sat; a tx0 finding, no veto at any threshold', () => {
    const tx = byId('38292218');
    expect(tx.vout.map((o) => [o.scriptType, o.value])).toContainEqual(['op_return', 0]);
    expect(tx.vout.some((o) => o.value === 104_235)).toBe(true);
    expect(detectCoinJoin(tx, undefined, 'possible')).toEqual([]);
  });
  it('Runes transfer 1682b8b8...: OP_RETURN 6a5d + 2 x 546 sat to one address; no finding', () => {
    const tx = byId('1682b8b8');
    expect(tx.vout[0]!.script.startsWith('6a5d')).toBe(true);
    expect(tx.vout.filter((o) => o.value === 546).map((o) => o.address)).toEqual([
      tx.vout[1]!.address,
      tx.vout[1]!.address,
    ]);
    expect(assessCoinJoin(tx)).toEqual([]);
  });
  it('JoinMarket 7c575ed7...: 3 equal outputs of 125,517,325 sat from 6 input addresses; likely, vetoes', () => {
    const tx = byId('7c575ed7');
    expect(tx.vout.filter((o) => o.value === 125_517_325).length).toBe(3);
    expect(detectCoinJoin(tx)).toEqual(['equal-output', 'joinmarket']);
  });
  it('Wasabi 1 f250e997... (2018) pays the zkSNACKs fee address: definite', () => {
    const tx = byId('f250e997');
    expect(tx.vout.some((o) => o.address === 'bc1qs604c7jv6amk4cxqlnvuxv26hv3e48cds4m0ew')).toBe(true);
    expect(detectCoinJoin(tx, undefined, 'definite')).toEqual(['wasabi1']);
  });
  it('post-mix 6151876e... spends an output of Whirlpool mix bd26caba...', () => {
    const tx = byId('6151876e');
    expect(tx.vin.some((i) => i.txid === byId('bd26caba').txid)).toBe(true);
    expect(detectCoinJoin(tx)).toEqual([]);
    expect(postMixFindings(tx, new Map(), assessCoinJoin)).toEqual([]);
  });
});
