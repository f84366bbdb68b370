// Boundaries of every CoinJoin rule, confidence and reason: each limit is tested on both sides.
import { describe, expect, it } from 'vitest';
import {
  assessCoinJoin,
  DETECTORS,
  detectCoinJoin,
  equalOutput,
  isWhirlpoolTx0,
  joinmarket,
  parseVetoThreshold,
  postMixFindings,
  vetoFindings,
  wasabi2,
  whirlpool,
  WASABI2_DENOMINATIONS,
} from '../../src/cluster/coinjoin/index.js';
import { equalOutputWeakness } from '../../src/cluster/coinjoin/anonymity.js';
import { buildClusters } from '../../src/cluster/common-input.js';
import type { Tx } from '../../src/model/tx.js';
import { buildTx, type IoSpec } from './build.js';

const POOL = 1_000_000;

/** A Whirlpool mix of n inputs: `exact` of them exactly the pool amount, the others pool + premix fee. */
function mix(n: number, exact: number, premix = POOL + 170, id = `mix-${n}-${exact}-${premix}`): Tx {
  const ins = Array.from({ length: n }, (_, k) => (k < exact ? POOL : premix));
  return buildTx({ id, height: 800_000, in: ins, out: Array<number>(n).fill(POOL) });
}

describe('whirlpool: 5 to 10 inputs, one output each at the pool amount', () => {
  it('the classic 5 in / 5 out is definite, with the pool named in the reason', () => {
    const f = assessCoinJoin(mix(5, 2));
    expect(f.map((x) => [x.name, x.kind, x.confidence])).toEqual([['whirlpool', 'coinjoin', 'definite']]);
    expect(f[0]!.reason).toBe(
      'Whirlpool 1000000 sat pool: 5 P2WPKH inputs and 5 outputs all exactly the pool amount; 2 remix input(s) exactly 1000000 sat, 3 premix input(s) within 110000 sat of it',
    );
  });
  it('4 inputs is below the limit, 10 is the top of it, 11 is above', () => {
    expect(whirlpool.assess(mix(4, 1))).toBeNull();
    expect(whirlpool.assess(mix(5, 1))?.confidence).toBe('definite');
    expect(whirlpool.assess(mix(10, 1))?.confidence).toBe('definite');
    expect(detectCoinJoin(mix(10, 3))).toEqual(['whirlpool']);
    expect(whirlpool.assess(mix(11, 1))).toBeNull();
  });
  it('needs at least one input exactly at the pool amount', () => {
    expect(whirlpool.assess(mix(5, 0))).toBeNull();
    expect(detectCoinJoin(mix(5, 0))).toEqual([]);
    expect(whirlpool.assess(mix(5, 1))).not.toBeNull();
  });
  it('premix inputs may be 110,000 sat off the pool amount, not 110,001', () => {
    expect(whirlpool.assess(mix(5, 1, POOL + 110_000))).not.toBeNull();
    expect(whirlpool.assess(mix(5, 1, POOL + 110_001))).toBeNull();
  });
  it('five inputs from one address are never a CoinJoin', () => {
    const ins: IoSpec[] = Array.from({ length: 5 }, (_, k) => ({
      value: k === 0 ? POOL : POOL + 170,
      address: 'bc1-one',
    }));
    const tx = buildTx({ id: 'one-owner-mix', in: ins, out: Array<number>(5).fill(POOL) });
    expect(whirlpool.assess(tx)).not.toBeNull(); // the shape alone matches
    expect(assessCoinJoin(tx)).toEqual([]);
  });
});

/** A Wasabi 2 shaped tx: `inputs` inputs from `owners` addresses, 20 outputs of which `standard` are denominations. */
function w2(inputs: number, owners: number, standard: number): Tx {
  const ins: IoSpec[] = Array.from({ length: inputs }, (_, k) => ({
    value: 50_000_000 - k * 100_000,
    address: `bc1-w2-owner${k % owners}`,
  }));
  const denoms = [...WASABI2_DENOMINATIONS]
    .filter((v) => v >= 1_000_000 && v <= 20_000_000)
    .sort((a, b) => b - a);
  const out: number[] = [];
  for (let k = 0; k < 20; k++) out.push(k < standard ? denoms[k % denoms.length]! : 0);
  // non-standard outputs: odd amounts below the smallest standard one used, kept descending
  let odd = 999_999;
  for (let k = standard; k < 20; k++) out[k] = odd--;
  out.sort((a, b) => b - a);
  if (new Set(out).size === out.length) out[out.length - 1] = out[out.length - 2]!; // a repeated value (Dumplings gate)
  return buildTx({ id: `w2-${inputs}-${owners}-${standard}`, height: 850_000, in: ins, out });
}

describe('wasabi2: more than 80% of outputs at standard denominations', () => {
  it('17 of 20 standard (85%) fires, exactly 16 of 20 (80%) does not', () => {
    const hit = wasabi2.assess(w2(20, 20, 17));
    expect(hit?.confidence).toBe('likely');
    expect(hit?.reason).toMatch(
      /^Wasabi 2 shape: 20 P2WPKH\/P2TR inputs from 20 addresses, .* 17 of 20 outputs/,
    );
    expect(wasabi2.assess(w2(20, 20, 16))).toBeNull();
  });
  it('needs 15 inputs, not 14', () => {
    expect(wasabi2.assess(w2(15, 15, 18))).not.toBeNull();
    expect(wasabi2.assess(w2(14, 14, 18))).toBeNull();
  });
  it('distinct input addresses must be at least half the inputs: 10 of 20 fires, 9 of 20 does not', () => {
    expect(wasabi2.assess(w2(20, 10, 18))).not.toBeNull();
    expect(wasabi2.assess(w2(20, 9, 18))).toBeNull();
  });
  it('dozens of inputs from one address are never a CoinJoin', () => {
    const tx = w2(60, 1, 18);
    expect(wasabi2.assess(tx)).toBeNull();
    expect(assessCoinJoin(tx)).toEqual([]);
    expect(buildClusters([tx]).clusters.map((c) => c.addresses)).toEqual([['bc1-w2-owner0']]);
  });
});

/** BlockSci-shaped: 3 inputs from distinct addresses, 3 equal outputs of v and two changes. */
function equal3(v: number, id = `eq3-${v}`, extra: { reuse?: number } = {}): Tx {
  const out: (number | IoSpec)[] = [v, v, v, 30_001, 30_002];
  for (let k = 0; k < (extra.reuse ?? 0); k++) out[k] = { value: v, address: `${id}-in${k}` };
  return buildTx({ id, in: [v + 40_000, v + 40_000, v + 40_000], out });
}

describe('equal outputs without anonymity', () => {
  it('546 sat (dust) is no finding, 547 only possible, 5,000 likely', () => {
    expect(assessCoinJoin(equal3(546))).toEqual([]);
    const small = assessCoinJoin(equal3(547));
    expect(small.map((f) => [f.name, f.confidence])).toEqual([['equal-output', 'possible']]);
    expect(small[0]!.reason).toMatch(
      /but equal outputs of 547 sat are below the smallest mixed amount \(5000 sat\)$/,
    );
    expect(equalOutput.assess(equal3(4_999))?.confidence).toBe('possible');
    expect(equalOutput.assess(equal3(5_000))?.confidence).toBe('likely');
    expect(detectCoinJoin(equal3(547))).toEqual([]);
    expect(detectCoinJoin(equal3(547), DETECTORS, 'possible')).toEqual(['equal-output']);
  });
  it('a Runes OP_RETURN (6a5d...) transfer is no finding; another OP_RETURN makes it possible', () => {
    const plain = equal3(100_000, 'eq3-plain');
    const runes: Tx = {
      ...plain,
      vout: [
        ...plain.vout,
        { value: 0, script: '6a5d0814c0a23314b7010a', scriptType: 'op_return', address: null },
      ],
    };
    const other: Tx = {
      ...plain,
      vout: [...plain.vout, { value: 0, script: '6a0401020304', scriptType: 'op_return', address: null }],
    };
    // 6 outputs -> 3 participants: the rule still matches; only the OP_RETURN decides
    expect(equalOutput.assess(runes)).toBeNull();
    expect(equalOutput.assess(other)?.confidence).toBe('possible');
    expect(equalOutput.assess(other)?.reason).toMatch(/has an OP_RETURN output/);
  });
  it('equal outputs paid back to input addresses: 2 of 3 reused is none, 1 of 3 reused is possible', () => {
    expect(equalOutput.assess(equal3(100_000, 'r2', { reuse: 2 }))).toBeNull();
    const one = equalOutput.assess(equal3(100_000, 'r1', { reuse: 1 }));
    expect(one?.confidence).toBe('possible');
    expect(one?.reason).toMatch(/only two anonymous equal outputs/);
    expect(equalOutput.assess(equal3(100_000, 'r0'))?.confidence).toBe('likely');
  });
  it('two equal outputs are only possible (a one-wallet Stonewall has that shape)', () => {
    const tx = buildTx({ id: 'two', in: [200_000, 300_000], out: [150_000, 150_000, 190_000] });
    expect(equalOutput.assess(tx)).toEqual({
      confidence: 'possible',
      reason:
        '2 outputs of 150000 sat, one per participant of 3 outputs, from 2 input addresses (BlockSci equal-output rule); but only two anonymous equal outputs: a one-wallet Stonewall has the same shape',
    });
    expect(vetoFindings(assessCoinJoin(tx))).toEqual([]);
  });
});

/** CJ4 of the reference: JoinMarket, 3 equal outputs; makers earn 500 and 400 sat. */
function cj4(makerFee = 500): Tx {
  return buildTx({
    id: `cj4-${makerFee}`,
    in: [
      { value: 8_000_000, address: 'maker-a' },
      { value: 2_500_000, address: 'maker-b' },
      { value: 4_000_000, address: 'maker-b2' },
      { value: 7_000_000, address: 'taker' },
      { value: 5_000_000, address: 'taker2' },
    ],
    out: [5_000_000, 5_000_000, 5_000_000, 3_000_000 + makerFee, 1_500_400, 6_997_600 - makerFee],
  });
}

describe('joinmarket', () => {
  it('a maker ending 500 sat richer (its fee) is still a likely JoinMarket round', () => {
    const a = joinmarket.assess(cj4(500));
    expect(a?.confidence).toBe('likely');
    expect(a?.reason).toMatch(/^3 equal outputs of 5000000 sat and 3 others/);
    expect(detectCoinJoin(cj4(500))).toEqual(['equal-output', 'joinmarket']);
    expect(detectCoinJoin(cj4(900))).toEqual(['equal-output', 'joinmarket']);
  });
});

/** A Tx0: one input, OP_RETURN, coordinator fee, change, k premix outputs of pool + 4,235. */
function tx0(k: number, others = 2, premix = POOL + 4_235, opReturns = 1): Tx {
  const out: (number | IoSpec)[] = [];
  for (let n = 0; n < opReturns; n++) out.push({ value: 0, type: 'op_return' });
  const fees = [42_500, 1_234_567, 2_345_678, 3_456_789];
  for (let n = 0; n < others; n++) out.push(fees[n]!);
  for (let n = 0; n < k; n++) out.push(premix);
  return buildTx({ id: `tx0-${k}-${others}-${premix}-${opReturns}`, in: [20_000_000, 4_000_000], out });
}

describe('tx0:whirlpool', () => {
  it('is its own finding, and common-input clustering applies (no veto)', () => {
    const tx = tx0(4);
    const f = assessCoinJoin(tx);
    expect(f).toEqual([
      {
        name: 'tx0:whirlpool',
        kind: 'tx0',
        confidence: 'likely',
        reason:
          'Whirlpool Tx0 shape: one OP_RETURN, 4 premix output(s) of 1004235 sat (pool 1000000 + 4235 sat miner fee), 2 other (coordinator fee, change); one wallet',
      },
    ]);
    expect(detectCoinJoin(tx, DETECTORS, 'possible')).toEqual([]);
    expect(buildClusters([tx]).clusters.map((c) => c.addresses.length)).toEqual([2]);
  });
  it('premix value: above the pool by 1..110,000 sat', () => {
    expect(isWhirlpoolTx0(tx0(3, 2, POOL + 110_000))).not.toBeNull();
    expect(isWhirlpoolTx0(tx0(3, 2, POOL + 110_001))).toBeNull();
    expect(isWhirlpoolTx0(tx0(3, 2, POOL))).toBeNull();
  });
  it('1 to 3 other outputs, exactly one OP_RETURN', () => {
    expect(isWhirlpoolTx0(tx0(3, 1))).not.toBeNull();
    expect(isWhirlpoolTx0(tx0(3, 3))).not.toBeNull();
    expect(isWhirlpoolTx0(tx0(3, 4))).toBeNull();
    expect(isWhirlpoolTx0(tx0(3, 0))).toBeNull();
    expect(isWhirlpoolTx0(tx0(3, 2, POOL + 4_235, 0))).toBeNull();
    expect(isWhirlpoolTx0(tx0(3, 2, POOL + 4_235, 2))).toBeNull();
  });
});

describe('post-mix findings', () => {
  it('name the CoinJoin parent spent, with its confidence; unknown parents are not judged', () => {
    const parent = mix(5, 1);
    const child = buildTx({
      id: 'child',
      in: [{ value: POOL, spends: 'mix-5-1-1000170:2' }, 50_000],
      out: [1_040_000],
    });
    expect(child.vin[0]!.txid).toBe(parent.txid);
    const f = postMixFindings(child, new Map([[parent.txid, parent]]), assessCoinJoin);
    expect(f).toEqual([
      {
        name: 'post-mix:whirlpool',
        kind: 'post-mix',
        confidence: 'definite',
        reason: `1 input(s) spend outputs of 1 whirlpool CoinJoin(s) (${parent.txid})`,
      },
    ]);
    expect(postMixFindings(child, new Map(), assessCoinJoin)).toEqual([]);
    // below the threshold the parent is no CoinJoin, so the child is no post-mix spend
    expect(postMixFindings(child, new Map([[parent.txid, parent]]), () => [], 'likely')).toEqual([]);
  });
});

describe('veto threshold', () => {
  it('definite keeps only coordinator fingerprints; possible takes every finding', () => {
    expect(detectCoinJoin(cj4(), DETECTORS, 'definite')).toEqual([]);
    expect(detectCoinJoin(mix(5, 1), DETECTORS, 'definite')).toEqual(['whirlpool']);
    expect(buildClusters([cj4()], { veto: 'definite' }).clusters.map((c) => c.addresses.length)).toEqual([5]);
    expect(buildClusters([cj4()]).skipped.map((s) => s.confidence)).toEqual(['likely']);
  });
  it('--coinjoin-veto accepts the three names and refuses others in one line', () => {
    expect(parseVetoThreshold('Definite')).toBe('definite');
    expect(() => parseVetoThreshold('sure')).toThrow(
      '--coinjoin-veto: "sure" is not one of definite, likely, possible',
    );
  });
});

describe('equalOutputWeakness limits', () => {
  /** 3 equal outputs of 100,000 sat and `others` changes; `reusedChanges` of them pay input addresses. */
  function shaped(inputs: number, others: number, reusedChanges: number, v = 100_000): Tx {
    const id = `weak-${inputs}-${others}-${reusedChanges}-${v}`;
    const out: (number | IoSpec)[] = [v, v, v];
    for (let k = 0; k < others; k++) {
      out.push(k < reusedChanges ? { value: 30_001 + k, address: `${id}-in${k}` } : 30_001 + k);
    }
    return buildTx({ id, in: Array<number>(inputs).fill(200_000), out });
  }
  it('546 sat equal outputs are none, 547 possible', () => {
    expect(equalOutputWeakness(shaped(3, 2, 0, 546), 546, 3)?.verdict).toBe('none');
    expect(equalOutputWeakness(shaped(3, 2, 0, 547), 547, 3)?.verdict).toBe('possible');
  });
  it('outputs paying input addresses: 2 of 6 (a third) is fine, 3 of 6 is possible', () => {
    expect(equalOutputWeakness(shaped(3, 3, 2), 100_000, 3)).toBeNull();
    expect(equalOutputWeakness(shaped(3, 3, 3), 100_000, 3)).toEqual({
      verdict: 'possible',
      reason: '3 of 6 outputs pay input addresses (over a third)',
    });
  });
  it('inputs per output: 20 for 5 outputs is fine, 21 is possible', () => {
    expect(equalOutputWeakness(shaped(20, 2, 0), 100_000, 3)).toBeNull();
    expect(equalOutputWeakness(shaped(21, 2, 0), 100_000, 3)).toEqual({
      verdict: 'possible',
      reason: '21 inputs for 5 outputs (over 4 per output)',
    });
  });
});

describe('a Tx0 shaped like a BlockSci CoinJoin', () => {
  it('3 inputs, 3 premixes, fee, change, OP_RETURN: only the tx0 finding, no equal-output at any confidence', () => {
    const tx = buildTx({
      id: 'tx0-blocksci',
      in: [2_000_000, 1_500_000, 1_000_000],
      out: [{ value: 0, type: 'op_return' }, 42_500, 1_400_000, 1_004_235, 1_004_235, 1_004_235],
    });
    expect(isWhirlpoolTx0(tx)).not.toBeNull();
    expect(assessCoinJoin(tx).map((f) => f.name)).toEqual(['tx0:whirlpool']);
  });
});
