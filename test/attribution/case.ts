// A small case with hand-computable figures (every ratio is 1/4, so haircut is exact):
//   cb   : coinbase -> S (seed) 100,000
//   zsrc : coinbase -> Z (ExchangeZ) 300,000
//   B    : S 100,000 + Z 300,000 -> X1 (ExchangeX) 200,000, U 195,000; fee 5,000
//   C    : U 195,000 -> X2 (ExchangeX) 150,000, G (Hydra, market, sanction) 44,000; fee 1,000
// Forward haircut from S: B's taint ratio 100,000/400,000 = 1/4 -> X1 50,000, U 48,750;
// C's ratio 48,750/195,000 = 1/4 -> X2 37,500, G 11,000.
// Backward haircut from G: 44,000 back through U (all of it), then B splits it by input value:
// S 11,000, Z 33,000 (hop 2).
import { parseSeeds } from '../../src/model/seed.js';
import type { Label, LabelBook } from '../../src/labels/label.js';
import { MODELS } from '../../src/trace/models/index.js';
import type { TraceResult } from '../../src/trace/result.js';
import type { ModelName } from '../../src/trace/taint.js';
import { trace } from '../../src/trace/walk.js';
import { FakeChain } from '../trace/fake-chain.js';
import { bookOf } from '../support/labels.js';

export const S = 'bc1qq2euq8pw950klpjcawuy4uj39ym43hs6cfsegq';
export const Z = 'exchz-Z';
export const X1 = 'exchx-1';
export const X2 = 'exchx-2';
export const U = 'plain-U';
export const G = 'bc1qpx7vyv5tp7dm0g475ev527krg764t73dh77gls';

export function caseChain(): FakeChain {
  const c = new FakeChain();
  c.add('cb', ['coinbase'], [{ address: S, value: 100_000 }]);
  c.add('zsrc', ['coinbase'], [{ address: Z, value: 300_000 }]);
  c.add(
    'B',
    ['cb:0', 'zsrc:0'],
    [
      { address: X1, value: 200_000 },
      { address: U, value: 195_000 },
    ],
  );
  c.add(
    'C',
    ['B:1'],
    [
      { address: X2, value: 150_000 },
      { address: G, value: 44_000 },
    ],
  );
  return c;
}

export function caseBook(): LabelBook {
  return bookOf([
    [Z, { label: 'ExchangeZ', category: 'exchange', confidence: 50 }],
    [X1, { label: 'ExchangeX', category: 'exchange', confidence: 50, source: 'https://example.org/x' }],
    [X2, { label: 'ExchangeX', category: 'exchange', confidence: 50 }],
    [G, { label: 'Hydra', category: 'market', abuse: 'sanction', confidence: 60, source: 'OFAC' }],
  ]);
}

/** Counts the book's lookups: calls and addresses per call. */
export function countingBook(book: LabelBook): LabelBook & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    lookup(addresses: readonly string[]): ReadonlyMap<string, readonly Label[]> {
      calls.push([...addresses]);
      return book.lookup(addresses);
    },
    vocabulary: () => book.vocabulary(),
    lists: () => book.lists(),
  };
}

export function runCase(
  direction: 'forward' | 'backward',
  model: ModelName,
  opts: { stopAt?: string[]; stopAtLabels?: string[]; book?: LabelBook } = {},
): Promise<TraceResult> {
  const seed = direction === 'forward' ? S : G;
  return trace(
    direction,
    parseSeeds([seed], 'mainnet'),
    {
      model: MODELS[model],
      hops: 3,
      minSat: 1000,
      maxTxs: 100,
      maxAddressTxs: 100,
      stopAt: opts.stopAt ?? ['exchange'],
      stopAtLabels: opts.stopAtLabels ?? [],
    },
    { source: caseChain(), labels: opts.book ?? caseBook() },
  );
}
