// Addresses in label files: checked with the same decoder as user input (src/model/address.ts)
// and normalised, on any Bitcoin network (a list may hold testnet addresses; a lookup on mainnet
// never matches them, as the prefixes differ).
import { checkAddress, normalizeAddress, type NetworkName } from '../model/address.js';

const NETWORKS: NetworkName[] = ['mainnet', 'testnet'];

/** The normalised address, or the reason it is not a Bitcoin address. */
export function labelAddress(raw: unknown): { address: string } | { reason: string } {
  if (typeof raw !== 'string' && typeof raw !== 'number')
    return { reason: raw === undefined || raw === null ? 'no address' : 'address is not text' };
  const text = String(raw).trim();
  if (text === '') return { reason: 'empty address' };
  if (text.length > 100) return { reason: `address of ${text.length} characters` };
  let first = '';
  for (const n of NETWORKS) {
    try {
      checkAddress(text, n);
      return { address: normalizeAddress(text) };
    } catch (e) {
      first ||= e instanceof Error ? e.message : String(e);
      // a wrong-network message means the address itself is fine: try the other network
      if (!/ address, but the network is /.test(first)) return { reason: first };
    }
  }
  return { reason: first };
}
