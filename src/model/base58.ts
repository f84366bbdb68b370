// Base58check decoding of legacy addresses (version byte, 20-byte hash, 4-byte checksum), as
// bitcoinjs-lib's address.fromBase58Check does, but into a fixed 25-byte buffer and with the
// double SHA-256 of node:crypto: over the 374 base58 addresses of the bundled OFAC list, which
// every mainnet run reads, that is some 10 ms instead of 30-45 ms with bitcoinjs-lib's cold
// pure-JS hash.
import { hash } from 'node:crypto';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charCodeAt(i)] = i;

/** An address's 25 bytes; null when it has a non-base58 character or encodes another length. */
export function decode25(text: string): Uint8Array | null {
  const out = new Uint8Array(25);
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    let carry = c < 128 ? DIGIT[c]! : -1;
    if (carry < 0) return null;
    for (let i = 24; i >= 0; i--) {
      carry += out[i]! * 58;
      out[i] = carry & 0xff;
      carry >>= 8;
    }
    if (carry !== 0) return null; // more than 25 bytes
  }
  // base58 writes each leading zero byte as a "1": fewer "1"s than zero bytes is a shorter payload
  let ones = 0;
  while (ones < text.length && text[ones] === '1') ones++;
  let zeros = 0;
  while (zeros < 25 && out[zeros] === 0) zeros++;
  return ones === zeros ? out : null;
}

// crypto.hash, one call per digest: about half the time of createHash().update().digest() here
const sha256 = (b: Uint8Array): Buffer => hash('sha256', b, 'buffer');

/** The 4 checksum bytes of a 21-byte payload (version byte and hash): its double SHA-256's first. */
const checksum = (payload: Uint8Array): Buffer => sha256(sha256(payload)).subarray(0, 4);

/** Version byte and hash of a base58check address; throws when its checksum or length is wrong. */
export function fromBase58Check(addr: string): { version: number; hash: Uint8Array } {
  const bytes = decode25(addr);
  if (bytes === null) throw new Error(`${addr}: not 25 bytes of base58`);
  const sum = checksum(bytes.subarray(0, 21));
  for (let i = 0; i < 4; i++) if (sum[i] !== bytes[21 + i]) throw new Error(`${addr}: bad base58 checksum`);
  return { version: bytes[0]!, hash: bytes.slice(1, 21) };
}

/**
 * The base58check address of a 20-byte hash under a version byte, as bitcoinjs-lib's
 * address.toBase58Check writes it (the source checks derive one for every legacy output they
 * read, so its cold pure-JS hash cost a demo trace some 5 ms).
 */
export function toBase58Check(hash: Uint8Array, version: number): string {
  const bytes = new Uint8Array(25);
  bytes[0] = version;
  bytes.set(hash, 1);
  bytes.set(checksum(bytes.subarray(0, 21)), 21);
  // repeated division by 58, most significant digit first; each leading zero byte is a "1"
  const digits: number[] = [];
  for (const byte of bytes) {
    let carry = byte;
    for (let i = 0; i < digits.length; i++) {
      carry += digits[i]! << 8;
      digits[i] = carry % 58;
      carry = (carry / 58) | 0;
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = (carry / 58) | 0;
    }
  }
  let out = '';
  for (let k = 0; k < 25 && bytes[k] === 0; k++) out += '1';
  for (let i = digits.length - 1; i >= 0; i--) out += ALPHABET[digits[i]!];
  return out;
}
