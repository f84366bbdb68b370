// The benchmark cases: deterministic (seeded) chains shaped like the flows investigators trace.
//
//  peel      a peel chain: each step pays a small amount out and sends the change on; every
//            tenth payment goes to a labelled exchange (the walk stops there). Depth = steps.
//  fanout    one transaction pays `width` outputs, each spent onward two more hops.
//  coinjoin  a tx0 creating Whirlpool premix coins, then rounds of Whirlpool-shaped 5x5 mixes
//            and Wasabi-2-shaped rounds (15+ inputs, standard denominations) along the path;
//            coins leaving a round are spent once more and rest.
//  batch     `count` seed addresses with short flows of their own (3 hops); every tenth flow
//            merges into its neighbour's, so traces share transactions. Run as one trace per
//            seed over one shared explorer client.
//
// Sizes: "full" is what `npm run bench` measures; "short" is for CI and the tests.

import { mulberry32 } from '../support/prng.js';
import { ChainBuilder } from './chain-builder.js';

export type CaseName = 'peel' | 'fanout' | 'coinjoin' | 'batch';
export const CASE_NAMES: readonly CaseName[] = ['peel', 'fanout', 'coinjoin', 'batch'];

export interface BenchCase {
  name: CaseName;
  /** One line for the report, with the case's size. */
  description: string;
  builder: ChainBuilder;
  /** One trace per seed address (peel, fanout, coinjoin have one seed). */
  seeds: string[];
  /** Run the seeds as a batch (runBatch) instead of one trace. */
  batch: boolean;
  hops: number;
  /** Labels the case writes into a --tags CSV. */
  tags: TagBook;
  /** Set by benchCase(): lets another process rebuild the same case (server-process.ts). */
  size?: CaseSize;
}

export type CaseSize = 'full' | 'short';

type TagBook = ReadonlyMap<string, { label: string; category: string }>;
const NO_TAGS: TagBook = new Map();

/** A value in [lo, hi], integer, from the case's PRNG. */
function between(random: () => number, lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo + 1));
}

export function peelChain(steps: number, seed = 1): BenchCase {
  const b = new ChainBuilder(`peel-${steps}-${seed}`);
  const random = mulberry32(seed);
  const exchange = b.address('exchange-x');
  const fund = b.tx([], [{ to: 'seed', value: 5_000_000_000 }]);
  let coin = `${fund}:0`;
  let value = 5_000_000_000;
  for (let k = 1; k <= steps; k++) {
    b.block();
    const pay = Math.floor(value * (0.01 + 0.03 * random()));
    const fee = between(random, 500, 3000);
    const change = value - pay - fee;
    const payTo = k % 10 === 0 ? 'exchange-x' : `pay-${k}`;
    // The change sits at a random position, as wallets randomise output order.
    const changeFirst = random() < 0.5;
    const outs = [
      { to: payTo, value: pay },
      { to: `change-${k}`, value: change },
    ];
    if (changeFirst) outs.reverse();
    const txid = b.tx([coin], outs);
    coin = `${txid}:${changeFirst ? 0 : 1}`;
    value = change;
  }
  return {
    name: 'peel',
    description: `peel chain, ${steps} steps`,
    builder: b,
    seeds: [b.address('seed')],
    batch: false,
    hops: steps,
    tags: new Map([[exchange, { label: 'ExchangeX', category: 'exchange' }]]),
  };
}

export function fanOut(width: number, seed = 2): BenchCase {
  const b = new ChainBuilder(`fanout-${width}-${seed}`);
  const random = mulberry32(seed);
  const values = Array.from({ length: width }, () => between(random, 200_000, 5_000_000));
  const total = values.reduce((s, v) => s + v, 0);
  const fund = b.tx([], [{ to: 'seed', value: total + 50_000 }]);
  b.block();
  const spread = b.tx(
    [`${fund}:0`],
    values.map((v, j) => ({ to: `a-${j}`, value: v })),
  );
  b.block();
  const second = values.map((v, j) => b.tx([`${spread}:${j}`], [{ to: `b-${j}`, value: v - 1000 }]));
  b.block();
  second.forEach((t, j) => b.tx([`${t}:0`], [{ to: `c-${j}`, value: values[j]! - 2000 }]));
  return {
    name: 'fanout',
    description: `fan-out, 1 tx with ${width} outputs, each spent 2 hops on`,
    builder: b,
    seeds: [b.address('seed')],
    batch: false,
    hops: 3,
    tags: NO_TAGS,
  };
}

const POOL = 1_000_000; // Whirlpool 0.01 BTC pool
const PREMIX = 1_005_000; // pool + miner fee share, within Whirlpool's 0.0011 BTC margin
const DENOMINATIONS = [1_000_000, 500_000, 200_000, 100_000, 50_000, 20_000, 10_000, 5_000];

/** Greedy split into standard denominations; what is left below 5,000 sat goes to the fee. */
function denominate(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  for (const d of DENOMINATIONS) {
    while (rest >= d) {
      out.push(d);
      rest -= d;
    }
  }
  return out;
}

export function coinJoinHeavy(rounds: number, seed = 3): BenchCase {
  const b = new ChainBuilder(`coinjoin-${rounds}-${seed}`);
  const random = mulberry32(seed);
  let outside = 0;
  /** A coin from a stranger: a coinbase paying `value` to a fresh address. */
  const stranger = (value: number): string => `${b.tx([], [{ to: `stranger-${outside++}`, value }])}:0`;
  let exits = 0;
  /** A coin leaving the mixes: spent once more, to an address where it rests. */
  const leave = (coin: string, value: number): void => {
    b.tx([coin], [{ to: `rest-${exits++}`, value: value - 500 }]);
  };

  const fund = b.tx([], [{ to: 'seed', value: 20_000_000 }]);
  b.block();
  // tx0: four premix coins and change.
  const tx0 = b.tx(
    [`${fund}:0`],
    [
      ...Array.from({ length: 4 }, (_, i) => ({ to: `premix-${i}`, value: PREMIX })),
      { to: 'tx0-change', value: 20_000_000 - 4 * PREMIX - 3000 },
    ],
  );
  let live: { coin: string; value: number }[] = Array.from({ length: 4 }, (_, i) => ({
    coin: `${tx0}:${i}`,
    value: PREMIX,
  }));
  let mixCount = 0;
  for (let r = 0; r < rounds; r++) {
    b.block();
    if (r % 3 === 2) {
      // Wasabi 2 round: every live coin plus strangers, inputs and outputs by value descending.
      const ins = [...live];
      while (ins.length < 16) {
        const v = between(random, 300_000, 3_000_000);
        ins.push({ coin: stranger(v), value: v });
      }
      ins.sort((x, y) => y.value - x.value);
      const outs = ins
        .flatMap((i) => denominate(i.value - 2000))
        .sort((x, y) => y - x)
        .map((value, j) => ({ to: `wasabi-${r}-${j}`, value }));
      const round = b.tx(
        ins.map((i) => i.coin),
        outs,
      );
      b.block();
      live = [];
      outs.forEach((o, j) => {
        if (o.value === POOL && live.length < 2) live.push({ coin: `${round}:${j}`, value: POOL });
        else if (o.value >= 100_000) leave(`${round}:${j}`, o.value);
      });
      continue;
    }
    // Whirlpool 5x5: two live coins (premix or remix) and strangers' remixes of exactly the pool.
    const take = live.splice(0, 2);
    const ins = [...take.map((t) => t.coin)];
    while (ins.length < 5) ins.push(stranger(POOL));
    const mix = b.tx(
      ins,
      Array.from({ length: 5 }, (_, j) => ({ to: `mix-${mixCount}-${j}`, value: POOL })),
    );
    mixCount++;
    b.block();
    live.push({ coin: `${mix}:0`, value: POOL }, { coin: `${mix}:1`, value: POOL });
    for (let j = 2; j < 5; j++) leave(`${mix}:${j}`, POOL);
  }
  b.block();
  for (const l of live) leave(l.coin, l.value);
  return {
    name: 'coinjoin',
    description: `CoinJoin-heavy, ${rounds} rounds (${mixCount} Whirlpool 5x5, ${rounds - mixCount} Wasabi 2)`,
    builder: b,
    seeds: [b.address('seed')],
    batch: false,
    hops: rounds + 3,
    tags: NO_TAGS,
  };
}

export function addressBatch(count: number, seed = 4): BenchCase {
  const b = new ChainBuilder(`batch-${count}-${seed}`);
  const random = mulberry32(seed);
  const funded = Array.from({ length: count }, (_, i) => {
    const value = between(random, 1_000_000, 50_000_000);
    return { coin: `${b.tx([], [{ to: `seed-${i}`, value }])}:0`, value };
  });
  b.block();
  const first = funded.map((f, i) => {
    const pay = Math.floor(f.value * (0.2 + 0.6 * random()));
    const txid = b.tx(
      [f.coin],
      [
        { to: `pay-${i}`, value: pay },
        { to: `change-${i}`, value: f.value - pay - 1000 },
      ],
    );
    return { txid, pay, change: f.value - pay - 1000 };
  });
  b.block();
  const second = first.map((t, i) => {
    // Every tenth flow also takes its neighbour's change: two traces meet here.
    const merge = i % 10 === 0 && i + 1 < count;
    const ins = [`${t.txid}:0`, ...(merge ? [`${first[i + 1]!.txid}:1`] : [])];
    const value = t.pay + (merge ? first[i + 1]!.change : 0) - 1000;
    return { txid: b.tx(ins, [{ to: `onward-${i}`, value }]), value };
  });
  b.block();
  second.forEach((t, i) => b.tx([`${t.txid}:0`], [{ to: `rest-${i}`, value: t.value - 1000 }]));
  return {
    name: 'batch',
    description: `${count}-address batch, 3-hop flows, one trace per seed`,
    builder: b,
    seeds: Array.from({ length: count }, (_, i) => b.address(`seed-${i}`)),
    batch: true,
    hops: 3,
    tags: NO_TAGS,
  };
}

export function benchCase(name: CaseName, size: CaseSize): BenchCase {
  return { ...buildCase(name, size), size };
}

function buildCase(name: CaseName, size: CaseSize): BenchCase {
  const full = size === 'full';
  switch (name) {
    case 'peel':
      return peelChain(full ? 200 : 30);
    case 'fanout':
      return fanOut(full ? 200 : 30);
    case 'coinjoin':
      return coinJoinHeavy(full ? 9 : 3);
    case 'batch':
      return addressBatch(full ? 200 : 20);
  }
}
