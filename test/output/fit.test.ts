import { describe, expect, it } from 'vitest';
import { DEFAULT_WIDTH, fitWidths, terminalWidth, wrapText } from '../../src/output/fit.js';

describe('wrapText', () => {
  it('breaks at spaces and after separators, keeps every character, never a lone separator', () => {
    expect(wrapText('ExchangeY (exchange)', 10)).toBe('ExchangeY\n(exchange)');
    expect(wrapText('coinjoin:whirlpool:definite', 10)).toBe('coinjoin:\nwhirlpool:\ndefinite');
    expect(wrapText('address-reuse, address-type', 13)).toBe('address-reus\ne,\naddress-type');
    expect(wrapText('abcdefghij', 4)).toBe('abcd\nefgh\nij');
    expect(wrapText('short', 10)).toBe('short');
  });
});

describe('fitWidths', () => {
  it('null when the table fits; at the boundary it fits exactly, one column more it wraps', () => {
    const rows = [['abc', 'a long text cell']]; // natural 5 + 18, borders 3 = 26
    expect(fitWidths(rows, [false, true], 26)).toBeNull();
    expect(fitWidths(rows, [false, true], 25)).toEqual([5, 17]);
  });
  it('never narrows a fixed column, nor a wrapped one below 10', () => {
    expect(fitWidths([['x'.repeat(50), 'y'.repeat(40)]], [false, true], 40)).toEqual([52, 10]);
  });
});

describe('terminalWidth', () => {
  it('the terminal when stdout is one, else $COLUMNS (40..9999), else 100', () => {
    expect(terminalWidth({ stdoutIsTTY: true, stdoutColumns: 132, env: { COLUMNS: '80' } })).toBe(132);
    expect(terminalWidth({ stdoutIsTTY: false, stdoutColumns: undefined, env: { COLUMNS: '80' } })).toBe(80);
    expect(terminalWidth({ stdoutIsTTY: false, env: { COLUMNS: '39' } })).toBe(DEFAULT_WIDTH);
    expect(terminalWidth({ stdoutIsTTY: false, env: { COLUMNS: 'wide' } })).toBe(DEFAULT_WIDTH);
    expect(terminalWidth({ stdoutIsTTY: false, env: {} })).toBe(100);
  });
});
