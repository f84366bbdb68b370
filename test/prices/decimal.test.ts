// Rounding vectors for fiat amounts: sat x price / 1e8, exact, half up to cents once.
// Each expected value is worked by hand in the comment (exact product, then the cent rounding).
import { describe, expect, it } from 'vitest';
import {
  centsText,
  decimalText,
  fiatAmount,
  parseDecimal,
  sumAmounts,
  type Decimal,
} from '../../src/prices/decimal.js';

const d = (text: string): Decimal => {
  const v = parseDecimal(text);
  if (v === null) throw new Error(`test vector ${text} does not parse`);
  return v;
};

// [sat, price, rates..., expected]
const VECTORS: [bigint | number, string, string[], string, string][] = [
  [1, '500000', [], '0.01', '1 sat x 500000 = 0.005 exactly: half up -> 0.01'],
  [1, '499999.99', [], '0.00', '0.0049999999 just below the half cent -> 0.00'],
  [1, '500000.01', [], '0.01', '0.0050000001 just above -> 0.01'],
  [1, '1500000', [], '0.02', '0.015 -> 0.02 (half up, not half even)'],
  [1, '2500000', [], '0.03', '0.025 -> 0.03 (half even would give 0.02)'],
  [1, '64123.45', [], '0.00', '0.0006412345 -> 0.00'],
  [1, '100000.00', [], '0.00', '1 sat at 100,000.00 = 0.001 -> 0.00'],
  [100_000_000, '64123.45', [], '64123.45', '1 BTC is the price'],
  [12_500_000, '60864.44', [], '7608.06', '0.125 x 60864.44 = 7608.055 -> 7608.06'],
  [12_500_000, '60864.43', [], '7608.05', '0.125 x 60864.43 = 7608.05375 -> 7608.05'],
  [12_500_001, '60864.43', [], '7608.05', '7608.05375 + 0.0006086443 = 7608.0543586443 -> 7608.05'],
  [
    2_100_000_000_000_000n,
    '100000.00',
    [],
    '2100000000000.00',
    '21,000,000 BTC x 100,000.00 = 2.1e12 exactly (the product sat x price units, 2.1e22, is far beyond 2^53)',
  ],
  [2_100_000_000_000_000, '99999.99', [], '2099999790000.00', '21e6 x 99999.99'],
  [0, '60864.44', [], '0.00', 'zero'],
  [100_000_000, '60864.44', ['86.804'], '5283276.85', '60864.44 x 86.804 = 5283276.84976 -> 5283276.85'],
  [1_000, '0.5', ['0.01'], '0.00', '1e-5 BTC x 0.005 = 5e-8 -> 0.00 (FX multiplies before rounding)'],
  [100_000_000, '0.005', [], '0.01', '1 BTC at 0.005 -> 0.01'],
  [100_000_000, '0.004999999999999999', [], '0.00', '18 decimals kept exactly'],
];

describe('fiatAmount', () => {
  it.each(VECTORS)('%s sat x %s x %j = %s (%s)', (sat, price, rates, expected) => {
    expect(fiatAmount(sat, d(price), ...rates.map(d))).toBe(expected);
  });

  it('never goes through a float: 0.1 + 0.2 style prices stay exact', () => {
    // 30,000,000 sat x 0.3 = 0.09 exactly (0.3 * 0.3 in floats is 0.09 but 0.1*3 is not 0.3)
    expect(fiatAmount(30_000_000, d('0.3'))).toBe('0.09');
    expect(fiatAmount(10_000_000, d('0.1'), d('3'))).toBe('0.03');
  });

  it('refuses fractions of a satoshi and negatives', () => {
    expect(() => fiatAmount(1.5, d('1'))).toThrow(/whole number/);
    expect(() => fiatAmount(-1n, d('1'))).toThrow(/negative/);
  });
});

describe('parseDecimal / decimalText', () => {
  it.each([
    ['64123.45', '64123.45'],
    ['0.50', '0.5'],
    ['007', '7'],
    ['86.8040', '86.804'],
    ['0', '0'],
  ])('%s reads as %s', (text, shown) => {
    expect(decimalText(d(text))).toBe(shown);
  });

  it.each([
    '1e5',
    '-1',
    '1,000',
    '.5',
    '5.',
    '',
    ' 5',
    '5 ',
    '0x10',
    'NaN',
    '1.0000000000000000001',
    '1234567890123456789',
  ])('refuses %j', (text) => {
    expect(parseDecimal(text)).toBeNull();
  });

  it('accepts 18 decimals and 18 integer digits, not 19', () => {
    expect(parseDecimal('0.000000000000000001')).not.toBeNull();
    expect(parseDecimal('123456789012345678')).not.toBeNull();
  });
});

describe('sums of printed amounts', () => {
  it('adds exactly in cents', () => {
    expect(sumAmounts(['7608.06', '12781.53', '29214.93', '16189.94', '8521.02'])).toBe('74315.48');
    expect(sumAmounts(['0.10', '0.20'])).toBe('0.30');
    expect(sumAmounts([])).toBe('0.00');
    expect(centsText(5n)).toBe('0.05');
  });
});
