import { describe, expect, it } from 'vitest';
import { compareRows, sortRows, sortTxs } from '../../src/trace/order.js';
import { loadTrace, shuffled } from '../output/load.js';

const outpoints = (rows: { txid: string; vout: number; hop: number }[]): string[] =>
  rows.map((r) => `${r.hop}:${r.txid.slice(0, 4)}:${r.vout}`);

describe('row order: hop, block height (unconfirmed last), txid, vout', () => {
  const result = loadTrace('forward-haircut.json');
  const expected = [
    '0:fafa:0', // height 680000 before 680100, although its txid sorts after
    '0:0e0e:3',
    '1:b0b0:0', // height 680010
    '1:b0b0:1',
    '1:b0b0:2',
    '1:0f0f:0', // height 680200
    '1:0f0f:1',
    '2:c0c0:0', // unconfirmed
    '2:c0c0:1',
  ];

  it('sorts the fixture', () => {
    expect(outpoints(sortRows(result.rows))).toEqual(expected);
  });

  it.each([1, 2, 3, 42, 1000])('gives the same order from shuffle %i', (seed) => {
    expect(outpoints(sortRows(shuffled(result, seed).rows))).toEqual(expected);
  });

  it('leaves its input alone', () => {
    const before = outpoints(result.rows);
    sortRows(result.rows);
    expect(outpoints(result.rows)).toEqual(before);
  });

  it('puts unconfirmed after every confirmed height within a hop', () => {
    const [a, b] = [result.rows[0]!, result.rows[1]!];
    const confirmed = { ...a, hop: 5, blockHeight: 900000 };
    const unconfirmed = { ...b, hop: 5, blockHeight: null };
    expect(compareRows(confirmed, unconfirmed)).toBeLessThan(0);
    expect(compareRows(unconfirmed, confirmed)).toBeGreaterThan(0);
  });

  it('orders two rows of one outpoint by content, whatever the input order', () => {
    const base = result.rows[0]!;
    const x = { ...base, taintedSat: 1 };
    const y = { ...base, taintedSat: 2 };
    expect(sortRows([y, x]).map((r) => r.taintedSat)).toEqual([1, 2]);
    expect(sortRows([x, y]).map((r) => r.taintedSat)).toEqual([1, 2]);
  });

  it('sorts transactions by hop then txid', () => {
    expect(sortTxs(result.txs).map((t) => `${t.hop}:${t.txid.slice(0, 4)}`)).toEqual([
      '1:0f0f',
      '1:b0b0',
      '2:c0c0',
    ]);
  });
});
