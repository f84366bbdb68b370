import { describe, expect, it } from 'vitest';
import { formatBtc, formatSat, roundSat } from '../../src/output/amount.js';
import { formatTime } from '../../src/output/time.js';
import { readFixture } from './load.js';

interface AmountCases {
  formatBtc: [number, string][];
  formatBtcInvalid: (number | string)[];
  roundSat: [number, number][];
  roundSatInvalid: (number | string)[];
  formatSat: [number, string][];
  formatTime: [number, string][];
  formatTimeInvalid: number[];
}

const cases = JSON.parse(readFixture('amounts.json')) as AmountCases;
const num = (v: number | string): number => (typeof v === 'string' ? Number(v) : v);

describe('formatBtc', () => {
  it.each(cases.formatBtc)('%s sat -> %s', (sat, btc) => {
    expect(formatBtc(sat)).toBe(btc);
  });
  it.each(cases.formatBtcInvalid)('rejects %s', (v) => {
    expect(() => formatBtc(num(v))).toThrow(/not a whole number of satoshis/);
  });
});

describe('roundSat (half up on the exact float)', () => {
  it.each(cases.roundSat)('%s -> %s', (x, sat) => {
    expect(roundSat(x)).toBe(sat);
  });
  it.each(cases.roundSatInvalid)('rejects %s', (v) => {
    expect(() => roundSat(num(v))).toThrow(/roundSat/);
  });
  it('200000000/3 rounds to 66666667 and formats as 0.66666667 BTC', () => {
    expect(formatBtc(roundSat(200000000 / 3))).toBe('0.66666667');
  });
});

describe('formatSat', () => {
  it.each(cases.formatSat)('%s -> %s', (sat, text) => {
    expect(formatSat(sat)).toBe(text);
  });
});

describe('formatTime', () => {
  it.each(cases.formatTime)('%s -> %s', (t, text) => {
    expect(formatTime(t)).toBe(text);
  });
  it.each(cases.formatTimeInvalid)('rejects %s', (t) => {
    expect(() => formatTime(t)).toThrow(/is not a block time/);
  });
});
