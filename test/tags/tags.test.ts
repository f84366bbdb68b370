import { describe, expect, it } from 'vitest';
import { parseLabelCsv } from '../../src/labels/memory-book.js';

const A = 'bc1qpx7vyv5tp7dm0g475ev527krg764t73dh77gls';
const B = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa';

describe('parseLabelCsv (--tags)', () => {
  it('reads address,label,category in any column order, lower-cases categories and bech32', () => {
    const t = parseLabelCsv(
      `category,address,label,note\nExchange,${A.toUpperCase()},"ExchangeX, Inc.",x\nmixer,${B},Mixer\n\n`,
      't.csv',
      'mainnet',
    );
    expect(t.size).toBe(2);
    const found = t.lookup([A, B, '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2']);
    expect(found.size).toBe(2);
    expect(found.get(A)![0]).toMatchObject({
      label: 'ExchangeX, Inc.',
      category: 'exchange',
      source: 't.csv',
    });
    expect(found.get(B)![0]).toMatchObject({ label: 'Mixer', category: 'mixer', list: 't.csv' });
  });
  it.each([
    ['address,label\n', /must have a column named "category"/],
    [
      `address,label,category\nbc1qnotanaddress,X,exchange\n`,
      /t.csv line 2: bc1qnotanaddress: not a valid Bitcoin address/,
    ],
    [`address,label,category\n${A},,exchange\n`, /line 2: .* has an empty label/],
    [`address,label,category\n${A},X,exchange\n${A},X,gambling\n`, /line 3: .* is tagged twice/],
    [`address,label,category,confidence\n${A},X,exchange,101\n`, /line 2: confidence "101"/],
    [
      `address,label,category,is_cluster_definer\n${A},X,exchange,maybe\n`,
      /line 2: is_cluster_definer "maybe"/,
    ],
  ])('rejects bad files with the line and value (%#)', (text, why) => {
    expect(() => parseLabelCsv(text, 't.csv', 'mainnet')).toThrow(why);
  });
});
