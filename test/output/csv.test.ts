import { describe, expect, it } from 'vitest';
import { guardText, traceCsv } from '../../src/output/csv.js';
import { loadTrace, readFixture, shuffled } from './load.js';

const HEADER =
  'hop,txid,vout,address,value_sat,tainted_sat,status,value_btc,tainted_btc,block_height,block_time,label,category,script_type,spent_by,flags,note,abuse,label_confidence,label_source';

describe('traceCsv', () => {
  const result = loadTrace('forward-haircut.json');

  it('writes the exact expected text (header, sorted rows, rounded taint, guards)', () => {
    expect(traceCsv(result)).toBe(readFixture('forward-haircut.csv'));
  });

  it('is byte-identical when rows and transactions come in another order', () => {
    const expected = traceCsv(result);
    for (const seed of [1, 7, 99, 12345]) expect(traceCsv(shuffled(result, seed))).toBe(expected);
  });

  it('uses "\\n" line endings, no BOM, a final newline, and one line per row plus the header', () => {
    const csv = traceCsv(result);
    expect(csv.includes('\r')).toBe(false);
    expect(csv.charCodeAt(0)).toBe('h'.charCodeAt(0));
    expect(csv.endsWith('\n')).toBe(true);
    expect(csv.split('\n')).toHaveLength(result.rows.length + 2);
  });

  it('rounds haircut fractions half up and sums like the seed total', () => {
    const lines = traceCsv(result).trimEnd().split('\n').slice(1);
    const tainted = lines.map((l) => Number(l.split(',')[5]));
    expect(tainted).toEqual([
      300000000, 50000, 66666667, 133333333, 99996667, 40000, 500, 50000000, 83330000,
    ]);
  });

  it('writes the header alone for an empty trace', () => {
    expect(traceCsv({ ...result, rows: [], txs: [] })).toBe(`${HEADER}\n`);
  });

  it('adds a cluster column at the end when asked, empty when a row has none', () => {
    const clustered = loadTrace('forward-haircut.json');
    clustered.rows.forEach((r) => {
      if (r.label === 'ExchangeX') r.cluster = 'c-exchangex';
    });
    clustered.rows[0]!.cluster = '@evil';
    const lines = traceCsv(clustered, { cluster: true }).trimEnd().split('\n');
    expect(lines[0]).toBe(`${HEADER},cluster`);
    const ends = lines
      .slice(1)
      .map(
        (l) =>
          `${l.split(',')[0]}:${l.split(',')[1]!.slice(0, 4)}:${l.split(',')[2]}` +
          ` -> ${l.slice(l.lastIndexOf(','))}`,
      );
    expect(ends).toEqual([
      '0:fafa:0 -> ,',
      '0:0e0e:3 -> ,',
      '1:b0b0:0 -> ,c-exchangex',
      '1:b0b0:1 -> ,',
      '1:b0b0:2 -> ,',
      '1:0f0f:0 -> ,',
      '1:0f0f:1 -> ,',
      '2:c0c0:0 -> ,c-exchangex',
      "2:c0c0:1 -> ,'@evil", // rows[0] of the fixture; a text cell, so guarded
    ]);
  });

  it('quotes cells holding commas or quotes (RFC 4180); a line break is written as \\x0a', () => {
    const r = loadTrace('forward-haircut.json');
    r.rows = [{ ...r.rows[0]!, label: 'Shop "A", Ltd', note: 'line one\nline two' }];
    const row = traceCsv(r).split('\n').slice(1).join('\n');
    expect(row).toContain(',"Shop ""A"", Ltd",');
    expect(row.endsWith(',line one\\x0aline two,,,\n')).toBe(true);
  });

  it('refuses a row more tainted than its value, naming the outpoint', () => {
    const r = loadTrace('forward-haircut.json');
    r.rows = [{ ...r.rows[0]!, taintedSat: r.rows[0]!.valueSat + 0.6 }];
    expect(() => traceCsv(r)).toThrow(
      `row ${'c0'.repeat(32)}:1: tainted_sat 249990000.6 exceeds value_sat 249990000`,
    );
  });
});

describe('guardText (formula injection)', () => {
  it.each([
    ['=1+2', "'=1+2"],
    ['+31 6 1234', "'+31 6 1234"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    // controls are escaped first: a leading tab or CR is then visible text, not a formula
    ['\tx', '\\x09x'],
    ['\rx', '\\x0dx'],
    ['ExchangeX', 'ExchangeX'],
    ['', ''],
    [' =x', ' =x'],
    ['a=b', 'a=b'],
  ])('%j -> %j', (input, output) => {
    expect(guardText(input)).toBe(output);
  });
});
