import { describe, expect, it } from 'vitest';
import {
  CHANGE_HEURISTICS,
  createRoundNumber,
  evaluateChange,
  followPeelChain,
  isPeelingChain,
  likelyChange,
  looksLikePeelStep,
  parseChangeHeuristicNames,
  peelChain,
  type ChangeContext,
} from '../../src/cluster/change/index.js';
import { InputError } from '../../src/model/errors.js';
import type { Tx } from '../../src/model/tx.js';
import { buildTx, coinbaseTx, fakeTxid, type TxSpec } from './build.js';
import fixtures from './fixtures/change.json' with { type: 'json' };

interface ChangeCase extends TxSpec {
  description: string;
  fresh?: string[];
  spentBy?: ({ locktime: number } | null)[];
  expect: Record<string, number[]>;
  missing?: Record<string, string[]>;
  likely: { vout: number; heuristics: string[] }[];
}

const cases = fixtures.valid as unknown as ChangeCase[];
const ALL = CHANGE_HEURISTICS.map((h) => h.name);

function contextFor(c: ChangeCase, tx: Tx): ChangeContext {
  const ctx: ChangeContext = {};
  if (c.fresh) {
    const fresh = new Set(c.fresh);
    ctx.isFreshAddress = (address, txid) => (txid === tx.txid ? fresh.has(address) : undefined);
  }
  if (c.spentBy) {
    const spenders = c.spentBy.map((s, n) =>
      s === null
        ? null
        : buildTx(
            {
              id: `${c.id}-spender${n}`,
              locktime: s.locktime,
              in: [{ value: tx.vout[n]!.value, spends: `${c.id}:${n}` }],
              out: [tx.vout[n]!.value - 1_000],
            },
            () => ({ txid: tx.txid, vout: n }),
          ),
    );
    ctx.spenderOf = (txid, vout) => (txid === tx.txid ? spenders[vout] : undefined);
  }
  return ctx;
}

describe('change heuristics on fixture vectors', () => {
  it('covers CH1..CH7', () => {
    const ids = new Set(cases.map((c) => c.id.split('-')[0]));
    for (const id of ['CH1', 'CH2', 'CH3', 'CH4', 'CH5', 'CH6', 'CH7']) expect(ids.has(id)).toBe(true);
  });

  for (const c of cases) {
    describe(`${c.id}: ${c.description}`, () => {
      const tx = buildTx(c);
      const ctx = contextFor(c, tx);
      const verdicts = evaluateChange(tx, ctx, ALL);
      for (const [name, want] of Object.entries(c.expect)) {
        it(`${name} candidates ${JSON.stringify(want)}`, () => {
          expect(verdicts.find((v) => v.name === name)!.candidates).toEqual(want);
        });
      }
      if (c.missing) {
        it(`missing context ${JSON.stringify(c.missing)}`, () => {
          const missing = Object.fromEntries(
            verdicts.filter((v) => v.missing.length > 0).map((v) => [v.name, v.missing]),
          );
          expect(missing).toEqual(c.missing);
        });
      }
      it(`likely change ${JSON.stringify(c.likely)}`, () => {
        expect(likelyChange(tx, ctx, ALL)).toEqual(c.likely);
      });
    });
  }
});

describe('change heuristic selection', () => {
  it('parses a comma list, keeps it unique, rejects unknown names', () => {
    expect(parseChangeHeuristicNames('optimal-change, address-reuse,optimal-change')).toEqual([
      'optimal-change',
      'address-reuse',
    ]);
    expect(() => parseChangeHeuristicNames('optimal,address-reuse')).toThrow(InputError);
    expect(() => parseChangeHeuristicNames('optimal')).toThrow(/unknown change heuristic "optimal"/);
  });

  it('only the named heuristics vote', () => {
    const ch1 = cases.find((c) => c.id === 'CH1')!;
    const tx = buildTx(ch1);
    expect(likelyChange(tx, {}, ['round-number'])).toEqual([{ vout: 1, heuristics: ['round-number'] }]);
    expect(likelyChange(tx, {}, ['address-reuse'])).toEqual([]);
    expect(likelyChange(tx, {}, [])).toEqual([]);
  });

  it('round-number with 8 digits (whole BTC): 123,000,000 is not round', () => {
    const ch3 = buildTx(cases.find((c) => c.id === 'CH3')!);
    expect(createRoundNumber(8).candidates(ch3, {})).toEqual([0, 1]);
    expect(() => createRoundNumber(0)).toThrow(/digits 0/);
  });

  it('a coinbase has no change candidates', () => {
    const cb = coinbaseTx('cb-change', '1Miner', 312_500_000, 850_000);
    expect(
      evaluateChange(cb, {}, ['address-type', 'optimal-change', 'round-number']).map((v) => v.candidates),
    ).toEqual([[], [], []]);
  });
});

// PC1: BlockSci testchain create_peeling_chain. Start 4,200,000,000 sat; tx i (0..9) spends the
// previous change, peels i * 10,000,000 to a dead end, keeps the rest minus 10,000 fee.
describe('PC1 peel chain', () => {
  const FEE = 10_000;
  // BlockSci draws the change position at random; any fixed pattern will do.
  const changePosition = [1, 0, 0, 1, 1, 0, 1, 0, 0, 1];
  const fund = buildTx({ id: 'pc-fund', in: [4_200_010_000, 1_000_000], out: [4_200_000_000, 990_000] });
  const txs: Tx[] = [];
  let prev = { txid: fund.txid, vout: 0, value: 4_200_000_000 };
  for (let i = 0; i < 10; i++) {
    const peel = i * 10_000_000;
    const change = prev.value - FEE - peel;
    const pos = changePosition[i]!;
    const out =
      pos === 1
        ? [{ value: peel, address: `dead-end-${i}` }, change]
        : [change, { value: peel, address: `dead-end-${i}` }];
    const spent = prev;
    const tx = buildTx(
      { id: `pc-${i}`, height: 800_000 + i, in: [{ value: spent.value, spends: 'prev' }], out },
      () => spent,
    );
    txs.push(tx);
    prev = { txid: tx.txid, vout: pos, value: change };
  }
  const byTxid = new Map([fund, ...txs].map((t) => [t.txid, t]));
  const spender = new Map<string, Tx>();
  for (const t of byTxid.values()) for (const i of t.vin) spender.set(`${i.txid}:${i.vout}`, t);
  const ctx: ChangeContext = {
    getTx: (txid) => byTxid.get(txid),
    spenderOf: (txid, vout) => spender.get(`${txid}:${vout}`) ?? null,
  };
  const changeValue = (i: number): number => txs[i]!.vout[changePosition[i]!]!.value;

  it('change values follow 4,200,000,000 - 10,000(i+1) - 10,000,000 i(i+1)/2', () => {
    expect([changeValue(0), changeValue(1), changeValue(2), changeValue(9)]).toEqual([
      4_199_990_000, 4_189_980_000, 4_169_970_000, 3_749_900_000,
    ]);
    expect(txs[0]!.vout[1 - changePosition[0]!]!.value).toBe(0);
  });

  it('isPeelingChain holds for tx 0..8 (BlockSci test) and for tx 9 through its parent', () => {
    expect(txs.map((t) => isPeelingChain(t, ctx))).toEqual(Array(10).fill(true));
    expect(looksLikePeelStep(fund)).toBe(false);
    // tx 0 has a 2-in funding parent, so only its spender proves the chain.
    expect(isPeelingChain(txs[0]!, { getTx: ctx.getTx })).toBe(false);
  });

  it('PeelingChain among spent outputs is exactly the change for tx 3..7', () => {
    for (let i = 3; i <= 7; i++) {
      const t = txs[i]!;
      const spentCandidates = peelChain.candidates(t, ctx).filter((n) => ctx.spenderOf!(t.txid, n) !== null);
      expect(spentCandidates).toEqual([changePosition[i]]);
    }
  });

  it('with the peel unspent both outputs stay candidates; once the peel is paid on, the change is unique', () => {
    const t = txs[4]!;
    const peelVout = 1 - changePosition[4]!;
    expect(peelChain.candidates(t, ctx)).toEqual([0, 1]);
    const paidOn = buildTx({
      id: 'pc-pay',
      in: [{ value: 40_000_000 }, { value: 5_000_000 }],
      out: [44_990_000],
    });
    const ctx2: ChangeContext = {
      ...ctx,
      spenderOf: (txid, vout) => (txid === t.txid && vout === peelVout ? paidOn : ctx.spenderOf!(txid, vout)),
    };
    expect(likelyChange(t, ctx2, ['peel-chain'])).toEqual([
      { vout: changePosition[4], heuristics: ['peel-chain'] },
    ]);
  });

  it('without a spender lookup the heuristic does not run and says so', () => {
    expect(evaluateChange(txs[4]!, { getTx: ctx.getTx }, ['peel-chain'])).toEqual([
      { name: 'peel-chain', candidates: [], missing: ['spenderOf'] },
    ]);
  });

  it('followPeelChain walks all 10 steps from tx 0 and ends at the unspent change', () => {
    const walk = followPeelChain(txs[0]!, ctx);
    expect(walk.steps).toEqual(txs.map((t) => t.txid));
    expect(walk.continuedAt).toEqual(changePosition.slice(0, 9));
    expect(walk.end).toBe('unspent-or-unknown');
    expect(followPeelChain(txs[0]!, ctx, 3).steps.length).toBe(3);
    expect(followPeelChain(txs[0]!, ctx, 3).end).toBe('max-steps');
    expect(followPeelChain(fund, ctx).end).toBe('not-a-peel-step');
    expect(fakeTxid('pc-0')).toBe(txs[0]!.txid);
  });
});
