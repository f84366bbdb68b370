// base58.ts must accept and reject exactly what bitcoinjs-lib's address.fromBase58Check does,
// with the same version byte and hash.
import { readFileSync } from 'node:fs';
import { address as btcAddress, crypto as btcCrypto } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { decode25, fromBase58Check, toBase58Check } from '../../src/model/base58.js';
import { mulberry32 } from '../support/prng.js';
import { bundledOfacFile } from '../../src/labels/books.js';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function theirs(a: string): { version: number; hash: string } | 'throws' {
  try {
    const d = btcAddress.fromBase58Check(a);
    return { version: d.version, hash: Buffer.from(d.hash).toString('hex') };
  } catch {
    return 'throws';
  }
}
function ours(a: string): { version: number; hash: string } | 'throws' {
  try {
    const d = fromBase58Check(a);
    return { version: d.version, hash: Buffer.from(d.hash).toString('hex') };
  } catch {
    return 'throws';
  }
}

/** A base58check string of any payload (bitcoinjs-lib's encoder). */
function encode(payload: Uint8Array): string {
  const sum = btcCrypto.hash256(payload).subarray(0, 4);
  // toBase58Check takes a 20-byte hash and a version; other lengths go through bs58check itself
  let n = 0n;
  const bytes = Buffer.concat([payload, sum]);
  for (const b of bytes) n = n * 256n + BigInt(b);
  let s = '';
  for (; n > 0n; n /= 58n) s = ALPHABET[Number(n % 58n)]! + s;
  for (let i = 0; i < bytes.length && bytes[i] === 0; i++) s = `1${s}`;
  return s;
}

describe('base58check decoding', () => {
  it('agrees with bitcoinjs-lib on every base58 address of the bundled OFAC list', () => {
    const list = readFileSync(bundledOfacFile(), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#') && !/^(bc|tb)1/i.test(l));
    expect(list.length).toBe(355);
    // all decode, the Tron address too (version 0x41: checkAddress turns that one down)
    expect(
      list.filter((a) => ours(a) !== 'throws').map((a) => (ours(a) as { version: number }).version),
    ).toEqual(list.map((a) => (a.startsWith('T') ? 0x41 : a.startsWith('3') ? 5 : 0)));
    for (const a of list) expect(ours(a)).toEqual(theirs(a));
  });

  it('agrees on changed characters, wrong lengths, leading zero bytes and foreign characters', () => {
    const base = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa';
    const cases = [base, '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn'];
    for (let i = 0; i < base.length; i++)
      cases.push(base.slice(0, i) + (base[i] === 'z' ? 'y' : 'z') + base.slice(i + 1));
    cases.push(
      base.slice(1),
      `1${base}`,
      `${base}1`,
      base.replace('P', '0'),
      base.replace('P', 'é'),
      '',
      '1',
    );
    // payloads of 20, 21 and 22 bytes, and 21 bytes with 1, 2 and 3 leading zero bytes
    for (const p of [Buffer.alloc(20, 7), Buffer.alloc(21, 7), Buffer.alloc(22, 7)]) cases.push(encode(p));
    for (const z of [1, 2, 3]) cases.push(encode(Buffer.concat([Buffer.alloc(z), Buffer.alloc(21 - z, 9)])));
    // a 21-byte payload written with one "1" too few: the same number, so 24 bytes to bs58
    cases.push(encode(Buffer.concat([Buffer.alloc(2), Buffer.alloc(19, 9)])).slice(1));
    const results = cases.map((a) => [a, ours(a)]);
    expect(results).toEqual(cases.map((a) => [a, theirs(a)]));
    expect(results.filter(([, r]) => r !== 'throws').length).toBe(7);
  });

  it('decode25 gives the 25 bytes, leading "1"s as zero bytes', () => {
    expect(Buffer.from(decode25('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')!).toString('hex')).toBe(
      '0062e907b15cbf27d5425399ebf6f0fb50ebb88f18c29b7d93',
    );
    expect(decode25('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa0')).toBeNull();
    expect(decode25('11A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')).toBeNull();
  });
});

describe('toBase58Check writes what bitcoinjs-lib writes', () => {
  it('random hashes under the four address version bytes, and hashes with leading zero bytes', () => {
    const rand = mulberry32(58);
    const hashes: Uint8Array[] = [new Uint8Array(20), new Uint8Array(20).fill(0xff)];
    for (let zeros = 1; zeros <= 3; zeros++) {
      const h = new Uint8Array(20).fill(7);
      h.fill(0, 0, zeros);
      hashes.push(h);
    }
    for (let k = 0; k < 2_000; k++)
      hashes.push(Uint8Array.from({ length: 20 }, () => Math.floor(rand() * 256)));
    let checked = 0;
    for (const version of [0x00, 0x05, 0x6f, 0xc4]) {
      for (const h of hashes) {
        expect(toBase58Check(h, version)).toBe(btcAddress.toBase58Check(Buffer.from(h), version));
        checked++;
      }
    }
    expect(checked).toBe(4 * 2_005);
  });

  it('version 0 and an all-zero hash: 21 leading zero bytes are 21 "1"s, as in the burn address', () => {
    const a = toBase58Check(new Uint8Array(20), 0);
    expect(a).toBe('1111111111111111111114oLvT2');
    expect(fromBase58Check(a)).toEqual({ version: 0, hash: new Uint8Array(20) });
  });
});
