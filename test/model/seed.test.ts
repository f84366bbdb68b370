import { describe, expect, it } from 'vitest';
import { checkAddress } from '../../src/model/address.js';
import { InputError } from '../../src/model/errors.js';
import { parseSeed, parseSeeds } from '../../src/model/seed.js';

const valid: [string, 'mainnet' | 'testnet' | 'signet', string][] = [
  ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'mainnet', 'p2pkh'],
  ['3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'mainnet', 'p2sh'],
  ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'mainnet', 'p2wpkh'],
  ['BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 'mainnet', 'p2wpkh'],
  ['bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3', 'mainnet', 'p2wsh'],
  ['bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr', 'mainnet', 'p2tr'],
  // BIP350 test vector: valid address whose program is not a curve point (bitcoinjs toOutputScript rejects it)
  ['bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0', 'mainnet', 'p2tr'],
  ['mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn', 'testnet', 'p2pkh'],
  ['2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc', 'testnet', 'p2sh'],
  ['tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx', 'testnet', 'p2wpkh'],
  ['tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7', 'signet', 'p2wsh'],
  ['tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c', 'signet', 'p2tr'],
];

const invalid: [string, 'mainnet' | 'testnet' | 'signet', RegExp][] = [
  ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', 'mainnet', /bad bech32 checksum/],
  ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb', 'mainnet', /bad base58 checksum/],
  ['tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx', 'mainnet', /a testnet address, but the network is mainnet/],
  ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'testnet', /a mainnet address, but the network is testnet/],
  ['Bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'mainnet', /mix upper and lower case/],
  // v1 program encoded with bech32 instead of bech32m (BIP350 invalid vector)
  [
    'bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqh2xwsz',
    'mainnet',
    /not a valid Bitcoin address/,
  ],
  ['hello', 'mainnet', /not a Bitcoin address, txid or txid:vout outpoint/],
];

describe('checkAddress', () => {
  it.each(valid)('%s on %s is %s', (addr, net, type) => {
    expect(checkAddress(addr, net)).toBe(type);
  });
  it.each(invalid)('%s on %s is rejected', (addr, net, why) => {
    expect(() => checkAddress(addr, net)).toThrow(InputError);
    expect(() => checkAddress(addr, net)).toThrow(why);
    try {
      checkAddress(addr, net);
    } catch (e) {
      expect((e as Error).message.startsWith(addr)).toBe(true); // names the value
    }
  });
});

describe('parseSeed', () => {
  const txid = '943f2d57' + 'a'.repeat(56);
  it('reads txids, outpoints and addresses', () => {
    expect(parseSeed(txid.toUpperCase(), 'mainnet')).toEqual({ kind: 'tx', txid, input: txid.toUpperCase() });
    expect(parseSeed(`${txid}:1`, 'mainnet')).toMatchObject({ kind: 'outpoint', txid, vout: 1 });
    expect(parseSeed('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 'mainnet')).toMatchObject({
      kind: 'address',
      address: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
    });
  });
  it.each([
    [`${txid}:x`, /output index must be a whole number/],
    [`${txid.slice(1)}:0`, /txid must be 64 hex/],
    [txid.slice(2), /62 hex characters; a txid has 64/],
    ['  ', /empty seed/],
  ])('rejects %s', (s, why) => {
    expect(() => parseSeed(s, 'mainnet')).toThrow(why);
  });
  it('drops duplicates, keeping order', () => {
    const s = parseSeeds([txid, '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', txid.toUpperCase()], 'mainnet');
    expect(s.map((x) => x.kind)).toEqual(['tx', 'address']);
  });
});
