// The demo's exposure figures computed by hand from the recorded transactions, not by the walk:
// the shop's peel chain has one input per step, so every output downstream of the hop-1 sweep
// bb1b8f8f carries that sweep's taint ratio T/V (seed inputs over all inputs); haircut is then
// value * T / V rounded half up, poison the full value. The exposure command must agree.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_DIR, DEMO_TAGS, runBin, SHOP_A } from '../cli/helpers.js';

interface RawTx {
  vin: { txid: string; vout: number; prevout: { value: number; scriptpubkey_address?: string } }[];
  vout: { value: number; scriptpubkey_address?: string }[];
}
const tx = (id: string) => JSON.parse(readFileSync(path.join(DEMO_DIR, `tx_${id}.json`), 'utf8')) as RawTx;

/** round(value * num / den), half up, in integers. */
const share = (value: number, num: bigint, den: bigint) =>
  Number((2n * BigInt(value) * num + den) / (2n * den));

const SWEEP = 'bb1b8f8f9efc9e1ebb1582427938a9dcfdc32322ce424d91518bfbce23d02e31';
const MIX = '67ce07d13c38188af7ad23478417c2239ac600c809efd6ed16f85b80118cbdd7';

function ratio(id: string): [bigint, bigint] {
  const t = tx(id);
  const seedIn = t.vin
    .filter((i) => i.prevout.scriptpubkey_address === SHOP_A)
    .reduce((s, i) => s + i.prevout.value, 0);
  const all = t.vin.reduce((s, i) => s + i.prevout.value, 0);
  return [BigInt(seedIn), BigInt(all)];
}

describe('demo exposure by hand', () => {
  const [t, v] = ratio(SWEEP); // 81,500,000 of 192,400,000
  const [tm, vm] = ratio(MIX); // 26,600,000 of 56,600,000
  const deposits = {
    ExchangeX: [30_000_000, 25_000_000].map((x) => share(x, t, v)),
    ExchangeY: [share(20_000_000, tm, vm), share(39_999_010, t, v)],
    LuckyDice: [share(15_000_000, t, v)],
  };

  it('the hand figures', () => {
    expect([t, v, tm, vm]).toEqual([81_500_000n, 192_400_000n, 26_600_000n, 56_600_000n]);
    expect(deposits).toEqual({
      ExchangeX: [12_707_900, 10_589_917],
      ExchangeY: [9_399_293, 16_943_448],
      LuckyDice: [6_353_950],
    });
    // backward: the seed output 48ffc54d:1 (21,000,000) has one input, all ExchangeZ's
    const b = tx('48ffc54d50dc6dbb7bdce9bf394177727d2129b9460627a1d7d50f78500b27b4');
    expect(b.vin.map((i) => i.prevout.scriptpubkey_address)).toEqual([
      'bc1qdghlu0jkyuxtrhxd45arnwe5y3twgxt7m06c3h',
    ]);
    expect(share(21_000_000, BigInt(b.vin[0]!.prevout.value), BigInt(b.vin[0]!.prevout.value))).toBe(
      21_000_000,
    );
  });

  it('the exposure command gives the same totals, haircut and poison', () => {
    const run = (model: string) =>
      runBin([
        'exposure',
        SHOP_A,
        '--offline',
        DEMO_DIR,
        '--tags',
        DEMO_TAGS,
        '--hops',
        '6',
        '--model',
        model,
        '--format',
        'csv',
      ])
        .stdout.trimEnd()
        .split('\n')
        .map((l) => l.split(','))
        .filter((c) => c[1] === 'entity')
        .map((c) => `${c[0]} ${c[2]} ${c[10]}`);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(run('haircut')).toEqual([
      `forward ExchangeY ${sum(deposits.ExchangeY)}`,
      `forward ExchangeX ${sum(deposits.ExchangeX)}`,
      `forward LuckyDice ${sum(deposits.LuckyDice)}`,
      'backward ExchangeZ 21000000',
    ]);
    expect(run('poison')).toEqual([
      'forward ExchangeY 59999010',
      'forward ExchangeX 55000000',
      'forward LuckyDice 15000000',
      'backward ExchangeZ 196886568',
    ]);
  });
});
