import { checkAddress, normalizeAddress, type NetworkName } from './address.js';
import { InputError } from './errors.js';

/** What the user asked to trace: an address, a whole transaction, or one output. */
export type Seed =
  | { kind: 'address'; address: string; input: string }
  | { kind: 'tx'; txid: string; input: string }
  | { kind: 'outpoint'; txid: string; vout: number; input: string };

const TXID = /^[0-9a-fA-F]{64}$/;

export function isTxid(s: string): boolean {
  return TXID.test(s);
}

/** Parses one seed, or throws InputError naming it and what is wrong. */
export function parseSeed(raw: string, network: NetworkName): Seed {
  const input = raw.trim();
  if (input === '') throw new InputError('empty seed: give an address, a txid or a txid:vout outpoint');
  const colon = input.indexOf(':');
  if (colon >= 0) {
    const txid = input.slice(0, colon);
    const vout = input.slice(colon + 1);
    if (!TXID.test(txid))
      throw new InputError(`${input}: not an outpoint (the txid must be 64 hex characters)`);
    if (!/^\d{1,7}$/.test(vout))
      throw new InputError(`${input}: not an outpoint (the output index must be a whole number)`);
    return { kind: 'outpoint', txid: txid.toLowerCase(), vout: Number(vout), input };
  }
  if (TXID.test(input)) return { kind: 'tx', txid: input.toLowerCase(), input };
  if (/^[0-9a-fA-F]+$/.test(input) && input.length > 40) {
    throw new InputError(`${input}: not a txid (${input.length} hex characters; a txid has 64)`);
  }
  checkAddress(input, network);
  return { kind: 'address', address: normalizeAddress(input), input };
}

/** Parses all seeds and drops exact duplicates, keeping the first occurrence's order. */
export function parseSeeds(raw: readonly string[], network: NetworkName): Seed[] {
  const seen = new Set<string>();
  const out: Seed[] = [];
  for (const r of raw) {
    const s = parseSeed(r, network);
    const key = seedKey(s);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out;
}

export function seedKey(s: Seed): string {
  if (s.kind === 'address') return s.address;
  if (s.kind === 'tx') return s.txid;
  return `${s.txid}:${s.vout}`;
}
