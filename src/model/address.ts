// Address checks for user input. We decode with bitcoinjs-lib's bech32/bech32m decoders and our
// base58check one (base58.ts: the same checks as bitcoinjs-lib's, faster on a cold start); all
// verify checksums. We check versions, prefixes and program lengths ourselves, instead of
// address.toOutputScript: that one rejects BIP350-valid taproot addresses whose program is not a
// valid curve point, and such outputs exist on chain.
import { address as btcAddress, networks, type Network } from 'bitcoinjs-lib';
import { fromBase58Check } from './base58.js';
import { InputError } from './errors.js';

export type NetworkName = 'mainnet' | 'testnet' | 'signet';
export const NETWORK_NAMES: readonly NetworkName[] = ['mainnet', 'testnet', 'signet'];

export type AddressType = 'p2pkh' | 'p2sh' | 'p2wpkh' | 'p2wsh' | 'p2tr' | 'witness-unknown';

const PARAMS: Record<NetworkName, Network> = {
  mainnet: networks.bitcoin,
  testnet: networks.testnet,
  signet: networks.testnet, // signet shares testnet's prefixes (tb1, m/n, 2)
};

/** Which network a syntactically valid address belongs to (testnet and signet look alike). */
function networkOfBase58(version: number): NetworkName | null {
  if (version === networks.bitcoin.pubKeyHash || version === networks.bitcoin.scriptHash) return 'mainnet';
  if (version === networks.testnet.pubKeyHash || version === networks.testnet.scriptHash) return 'testnet';
  return null;
}

function networkOfHrp(prefix: string): NetworkName | null {
  if (prefix === networks.bitcoin.bech32) return 'mainnet';
  if (prefix === networks.testnet.bech32) return 'testnet';
  return null;
}

function sameNetwork(found: NetworkName, wanted: NetworkName): boolean {
  const norm = (n: NetworkName) => (n === 'signet' ? 'testnet' : n);
  return norm(found) === norm(wanted);
}

function wrongNetwork(addr: string, found: NetworkName, wanted: NetworkName): InputError {
  const hint = found === 'mainnet' ? '--network mainnet' : '--network testnet or --network signet';
  return new InputError(`${addr}: a ${found} address, but the network is ${wanted} (use ${hint})`);
}

/**
 * Returns the address type, or throws InputError naming the address and what is wrong.
 * Bech32 addresses are accepted in lower or upper case (not mixed), as BIP173 says.
 */
export function checkAddress(addr: string, network: NetworkName): AddressType {
  if (/^(bc|tb)1/i.test(addr)) return checkBech32(addr, network);
  let decoded: { version: number; hash: Uint8Array };
  try {
    decoded = fromBase58Check(addr);
  } catch {
    if (/^[13mn2][1-9A-HJ-NP-Za-km-z]{25,34}$/.test(addr)) {
      throw new InputError(`${addr}: not a valid Bitcoin address (bad base58 checksum or length)`);
    }
    throw new InputError(`${addr}: not a Bitcoin address, txid or txid:vout outpoint`);
  }
  const found = networkOfBase58(decoded.version);
  if (found === null)
    throw new InputError(`${addr}: not a Bitcoin address (unknown version byte ${decoded.version})`);
  if (!sameNetwork(found, network)) throw wrongNetwork(addr, found, network);
  const params = PARAMS[network];
  return decoded.version === params.pubKeyHash ? 'p2pkh' : 'p2sh';
}

function checkBech32(addr: string, network: NetworkName): AddressType {
  if (addr !== addr.toLowerCase() && addr !== addr.toUpperCase()) {
    throw new InputError(`${addr}: not a valid Bitcoin address (bech32 must not mix upper and lower case)`);
  }
  let decoded: { version: number; prefix: string; data: Uint8Array };
  try {
    decoded = btcAddress.fromBech32(addr.toLowerCase());
  } catch (e) {
    const why =
      e instanceof Error && /wrong encoding/.test(e.message)
        ? 'wrong bech32/bech32m encoding for its witness version'
        : 'bad bech32 checksum';
    throw new InputError(`${addr}: not a valid Bitcoin address (${why})`);
  }
  const found = networkOfHrp(decoded.prefix);
  if (found === null)
    throw new InputError(`${addr}: not a Bitcoin address (unknown prefix ${decoded.prefix})`);
  if (!sameNetwork(found, network)) throw wrongNetwork(addr, found, network);
  const len = decoded.data.length;
  if (decoded.version === 0) {
    if (len === 20) return 'p2wpkh';
    if (len === 32) return 'p2wsh';
    throw new InputError(
      `${addr}: not a valid Bitcoin address (witness v0 program of ${len} bytes; must be 20 or 32)`,
    );
  }
  if (len < 2 || len > 40) {
    throw new InputError(`${addr}: not a valid Bitcoin address (witness program of ${len} bytes)`);
  }
  if (decoded.version === 1 && len === 32) return 'p2tr';
  return 'witness-unknown';
}

/** Canonical form used as a map key and in output: bech32 in lower case, base58 as given. */
export function normalizeAddress(addr: string): string {
  return /^(bc|tb)1/i.test(addr) ? addr.toLowerCase() : addr;
}
