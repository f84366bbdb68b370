// How an input or output is named for clustering. Most scripts have an address; those that do
// not (P2PK, bare multisig, non-standard) are still signed by whoever holds the key, so they
// are keyed by their script ("script:<hex>") instead of being dropped. A P2PK key and the
// P2PKH address of the same public key stay two members: the link is real but not derived here.
import type { TxIn, TxOut } from '../model/tx.js';

export const SCRIPT_KEY_PREFIX = 'script:';

/** Key of an output: its address, or "script:<hex>"; null for OP_RETURN (unspendable). */
export function outputKey(out: TxOut): string | null {
  if (out.address !== null) return out.address;
  if (out.scriptType === 'op_return') return null;
  // No address and no script known (GraphSense's address-less outputs): nothing to key it by, and
  // a shared empty key would merge strangers.
  if (out.script === '') return null;
  return SCRIPT_KEY_PREFIX + out.script;
}

/** Key of the output an input spends; null for coinbase inputs. */
export function inputKey(input: TxIn): string | null {
  return input.prevout ? outputKey(input.prevout) : null;
}

/** True for keys that are a script rather than an address (no address history to fetch). */
export function isScriptKey(key: string): boolean {
  return key.startsWith(SCRIPT_KEY_PREFIX);
}
