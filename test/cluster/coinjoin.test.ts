import { describe, expect, it } from 'vitest';
import {
  createJoinMarketDetector,
  createWasabi2Detector,
  createWhirlpoolDetector,
  DETECTORS,
  detectCoinJoin,
  esplora,
  INFORMATIONAL_DETECTORS,
  selectDetectors,
  WASABI2_DENOMINATIONS,
  type CoinJoinDetector,
} from '../../src/cluster/coinjoin/index.js';
import { InputError } from '../../src/model/errors.js';
import { buildTx, coinbaseTx, type TxSpec } from './build.js';
import fixtures from './fixtures/coinjoin.json' with { type: 'json' };

interface CoinJoinCase extends TxSpec {
  description: string;
  expect: Record<string, boolean>;
  default: string[];
}

const cases = fixtures.valid as unknown as CoinJoinCase[];

const byName: Record<string, CoinJoinDetector> = {
  ...Object.fromEntries(DETECTORS.map((d) => [d.name, d])),
  esplora,
  'joinmarket-standalone': createJoinMarketDetector({ precededBy: [] }),
  'wasabi2-min50': createWasabi2Detector({ minInputs: 50 }),
};

describe('CoinJoin detectors on fixture vectors', () => {
  it('has every vector of the reference table', () => {
    expect(cases.map((c) => c.id).filter((id) => /^CJ\d$/.test(id))).toEqual([
      'CJ1',
      'CJ2',
      'CJ3',
      'CJ4',
      'CJ5',
      'CJ6',
    ]);
  });

  for (const c of cases) {
    describe(`${c.id}: ${c.description}`, () => {
      const tx = buildTx(c);
      for (const [name, want] of Object.entries(c.expect)) {
        it(`${name} -> ${want}`, () => {
          expect(byName[name]!.detect(tx)).toBe(want);
        });
      }
      it(`default set names ${JSON.stringify(c.default)}`, () => {
        expect(detectCoinJoin(tx)).toEqual(c.default);
      });
    });
  }
});

describe('fixture arithmetic', () => {
  const fee = (id: string): number => buildTx(cases.find((c) => c.id === id)!).fee;
  it('fees match the reference vectors', () => {
    expect([fee('CJ1'), fee('CJ2'), fee('CJ3'), fee('CJ4'), fee('CJ5'), fee('CJ6')]).toEqual([
      30_000, 720, 10_000, 2_000, 10_000, 20_000,
    ]);
  });
});

describe('detector configuration', () => {
  const cj2 = cases.find((c) => c.id === 'CJ2-pool-2M')!;
  it('a custom Whirlpool pool list is honoured', () => {
    const tx = buildTx(cj2);
    expect(createWhirlpoolDetector().detect(tx)).toBe(false);
    expect(createWhirlpoolDetector({ pools: [2_000_000] }).detect(tx)).toBe(true);
  });

  it('rejects a pool that is not a positive integer', () => {
    expect(() => createWhirlpoolDetector({ pools: [0.5] })).toThrow(/pool 0.5 is not a positive integer/);
  });

  it('Wasabi 2 denominations: 78 values from 5,000 to 100,000,000,000 sat', () => {
    const values = [...WASABI2_DENOMINATIONS].sort((a, b) => a - b);
    expect(values.length).toBe(78);
    expect(values[0]).toBe(5_000);
    expect(values.at(-1)).toBe(100_000_000_000);
    expect(values.slice(0, 6)).toEqual([5_000, 6_561, 8_192, 10_000, 13_122, 16_384]);
    expect(WASABI2_DENOMINATIONS.has(94_143_178_827)).toBe(true);
    expect(WASABI2_DENOMINATIONS.has(3_000_000)).toBe(false);
  });

  it('the default set excludes the informational Esplora rule', () => {
    expect(DETECTORS.map((d) => d.name)).toEqual([
      'equal-output',
      'whirlpool',
      'wasabi1',
      'wasabi2',
      'joinmarket',
    ]);
    expect(INFORMATIONAL_DETECTORS.map((d) => d.name)).toEqual(['esplora']);
  });

  it('selectDetectors keeps the fixed order and rejects unknown names', () => {
    expect(selectDetectors(['esplora', 'whirlpool', 'equal-output']).map((d) => d.name)).toEqual([
      'equal-output',
      'whirlpool',
      'esplora',
    ]);
    expect(() => selectDetectors(['blocksci'])).toThrow(InputError);
    expect(() => selectDetectors(['blocksci'])).toThrow(/unknown CoinJoin detector "blocksci"/);
  });

  it('a coinbase transaction is never a CoinJoin', () => {
    const cb = coinbaseTx('cb', '1Miner', 625_000_000, 700_000);
    expect(detectCoinJoin(cb, [...DETECTORS, esplora])).toEqual([]);
  });
});
