// sortRows/sortTxs sort large inputs by integer keys (src/model/radix-order.ts); whatever the
// keys, the order must be exactly that of the comparator, on every boundary of the keys.
import { describe, expect, it } from 'vitest';
import { hexPrefix32, RADIX_MIN, sortByKeys } from '../../src/model/radix-order.js';
import { compareRows, compareTxs, sortRows, sortTxs } from '../../src/trace/order.js';
import type { FlowRow, TxTaintSummary } from '../../src/trace/result.js';
import { mulberry32 } from '../support/prng.js';

function hex(rand: () => number, len: number): string {
  let s = '';
  for (let k = 0; k < len; k++) s += '0123456789abcdef'[Math.floor(rand() * 16)];
  return s;
}

function row(over: Partial<FlowRow>): FlowRow {
  return {
    hop: 0,
    txid: '0'.repeat(64),
    vout: 0,
    address: null,
    valueSat: 1,
    taintedSat: 1,
    status: 'spent',
    blockHeight: 1,
    blockTime: null,
    label: null,
    category: null,
    scriptType: 'v0_p2wpkh',
    spentBy: null,
    flags: [],
    note: null,
    ...over,
  };
}

/** Rows crowded onto the keys' edges: few hops and heights, txids that share their first 8 or
 *  more digits, hops and vouts past 2^16 (the second digit pass), the highest height the keys
 *  hold (2^32-2) and unconfirmed (null). */
function crowdedRows(n: number, seed: number): FlowRow[] {
  const rand = mulberry32(seed);
  const prefixes = [hex(rand, 8), hex(rand, 8), 'ffffffff', '00000000'];
  const heights = [0, 1, 65_535, 65_536, 0xffff_fffe, null];
  const hops = [0, 1, 2, 65_535, 65_536, 70_000];
  const rows: FlowRow[] = [];
  for (let i = 0; i < n; i++) {
    const shared = rand() < 0.5;
    const txid = shared
      ? prefixes[i % prefixes.length]! + hex(rand, rand() < 0.3 ? 0 : 56).padEnd(56, 'a')
      : hex(rand, 64);
    rows.push(
      row({
        hop: hops[Math.floor(rand() * hops.length)]!,
        txid,
        vout: rand() < 0.2 ? 65_536 + Math.floor(rand() * 3) : Math.floor(rand() * 3),
        blockHeight: heights[Math.floor(rand() * heights.length)]!,
        // equal outpoints with different content: only the content fallback orders them
        address: `a${Math.floor(rand() * 4)}`,
        taintedSat: Math.floor(rand() * 3),
      }),
    );
  }
  return rows;
}

describe('sorting by integer keys gives the comparator order', () => {
  it.each([RADIX_MIN - 1, RADIX_MIN, 5_000])('rows: %i crowded rows, 3 seeds', (n) => {
    for (const seed of [1, 2, 3]) {
      const rows = crowdedRows(n, seed);
      const sorted = sortRows(rows);
      expect(sorted).toHaveLength(n);
      expect(sorted).toEqual([...rows].sort(compareRows));
    }
  });

  it('rows whose txids are not lowercase hex fall back to the comparator, in the same order', () => {
    const rows = crowdedRows(3_000, 9);
    rows[2_000] = { ...rows[2_000]!, txid: 'Z'.repeat(64) };
    rows[17] = { ...rows[17]!, txid: 'ABCDEF01' + '0'.repeat(56) };
    expect(sortRows(rows)).toEqual([...rows].sort(compareRows));
  });

  it('a hop past 2^32-1, a height of 2^32-1 (the unconfirmed key) or below 0 falls back to the comparator', () => {
    for (const bad of [{ hop: 2 ** 32 }, { blockHeight: 0xffff_ffff }, { blockHeight: -1 }, { hop: 0.5 }]) {
      const rows = crowdedRows(2_000, 4);
      rows[1_000] = { ...rows[1_000]!, ...bad };
      expect(sortRows(rows)).toEqual([...rows].sort(compareRows));
    }
  });

  it('transactions by hop, then txid, then figures', () => {
    const rand = mulberry32(5);
    const txs: TxTaintSummary[] = [];
    for (let i = 0; i < 4_000; i++) {
      txs.push({
        txid: rand() < 0.3 ? 'abcdef01' + hex(rand, 1) : hex(rand, 64),
        hop: [0, 3, 65_536][Math.floor(rand() * 3)]!,
        taintIn: Math.floor(rand() * 2),
        taintOut: Math.floor(rand() * 2),
        feeTainted: 0,
      });
    }
    expect(sortTxs(txs)).toEqual([...txs].sort(compareTxs));
  });

  it('leaves its input alone', () => {
    const rows = crowdedRows(2_000, 6);
    const before = [...rows];
    sortRows(rows);
    expect(rows).toEqual(before);
  });

  it('sortByKeys is stable among full ties and orders by the most significant column first', () => {
    const n = RADIX_MIN + 10;
    const items = Array.from({ length: n }, (_, i) => i);
    const major = Uint32Array.from(items, (i) => (i % 3 === 0 ? 0x1_0000 : 7)); // high digit only
    const minor = Uint32Array.from(items, (i) => n - i);
    const byMajor = sortByKeys(items, [major], (a, b) => major[a]! - major[b]!);
    expect(byMajor.slice(0, 3)).toEqual([1, 2, 4]); // ties keep the comparator's (stable) order
    const both = sortByKeys(items, [major, minor], (a, b) => major[a]! - major[b]! || minor[a]! - minor[b]!);
    expect(both[0]).toBe(n - 1 - ((n - 1) % 3 === 0 ? 1 : 0));
    expect(both[n - 1]).toBe(0);
  });
});

describe('sortByKeys passes', () => {
  it('a digit all items but one share still orders that one item (low and high halves)', () => {
    for (const [common, odd] of [
      [5, 3],
      [0x5_0000, 0x3_0000],
    ]) {
      const n = RADIX_MIN;
      const items = Array.from({ length: n }, (_, i) => i);
      const key = Uint32Array.from(items, (i) => (i === n - 1 ? odd! : common!));
      const sorted = sortByKeys(items, [key], (a, b) => key[a]! - key[b]!);
      expect(sorted[0]).toBe(n - 1);
      expect(sorted[1]).toBe(0);
    }
  });
});

describe('hexPrefix32', () => {
  it('reads the first 8 lowercase hex digits and refuses anything else', () => {
    expect(hexPrefix32('00000000')).toBe(0);
    expect(hexPrefix32('ffffffff' + 'a'.repeat(56))).toBe(0xffff_ffff);
    expect(hexPrefix32('0123abcd')).toBe(0x0123_abcd);
    expect(hexPrefix32('0123abc')).toBe(-1); // too short
    expect(hexPrefix32('0123abcG')).toBe(-1);
    expect(hexPrefix32('0123ABCD')).toBe(-1); // upper case sorts before digits' successors
    expect(hexPrefix32('/0000000')).toBe(-1); // just below '0'
    expect(hexPrefix32(':0000000')).toBe(-1); // just above '9'
    expect(hexPrefix32('`0000000')).toBe(-1); // just below 'a'
    expect(hexPrefix32('g0000000')).toBe(-1); // just above 'f'
  });
});
