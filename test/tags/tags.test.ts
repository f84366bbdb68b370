import { describe, expect, it } from 'vitest';
import { parseTags } from '../../src/tags/tags.js';

const A = 'bc1qpx7vyv5tp7dm0g475ev527krg764t73dh77gls';
const B = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa';

describe('parseTags', () => {
  it('reads address,label,category in any column order, lower-cases categories and bech32', () => {
    const t = parseTags(
      `category,address,label,note\nExchange,${A.toUpperCase()},"ExchangeX, Inc.",x\nmixer,${B},Mixer\n\n`,
      't.csv',
      'mainnet',
    );
    expect(t.size).toBe(2);
    expect(t.get(A)).toEqual({ label: 'ExchangeX, Inc.', category: 'exchange' });
    expect(t.get(B)).toEqual({ label: 'Mixer', category: 'mixer' });
  });
  it.each([
    ['address,label\n', /must have a column named "category"/],
    [
      `address,label,category\nbc1qnotanaddress,X,exchange\n`,
      /t.csv line 2: bc1qnotanaddress: not a valid Bitcoin address/,
    ],
    [`address,label,category\n${A},,exchange\n`, /line 2: .* has an empty label/],
    [`address,label,category\n${A},X,exchange\n${A},Y,exchange\n`, /line 3: .* is tagged twice/],
  ])('rejects bad files with the line and value (%#)', (text, why) => {
    expect(() => parseTags(text, 't.csv', 'mainnet')).toThrow(why);
  });
});
