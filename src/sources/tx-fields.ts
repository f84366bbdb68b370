// The checks of one transaction on its own fields, which cost nothing: its fields hash to its
// txid (txid_hash), each address and script type is its script's (address_script), and whether
// a transaction involves an address (history_involves). src/sources/checks.ts applies them.
import { hash } from 'node:crypto';
import type { NetworkName } from '../model/address.js';
import type { Tx } from '../model/tx.js';
import { IntegrityError } from './errors.js';
import { esploraPath } from './resources.js';
import { checkDerived } from './raw-tx.js';

function varint(n: number): Buffer {
  if (n < 0xfd) return Buffer.from([n]);
  if (n <= 0xffff) {
    const b = Buffer.alloc(3);
    b[0] = 0xfd;
    b.writeUInt16LE(n, 1);
    return b;
  }
  const b = Buffer.alloc(5);
  b[0] = 0xfe;
  b.writeUInt32LE(n, 1);
  return b;
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0, 0);
  return b;
}

/**
 * The txid the transaction's fields commit to: double SHA-256 of the legacy serialization (no
 * witness), byte-reversed. Throws IntegrityError when an input has no scriptSig to hash.
 */
export function txidOfFields(tx: Tx): string {
  const parts: Buffer[] = [uint32(tx.version), varint(tx.vin.length)];
  for (let k = 0; k < tx.vin.length; k++) {
    const i = tx.vin[k]!;
    if (i.scriptsig === undefined) {
      throw new IntegrityError(
        `transaction ${tx.txid}: vin[${k}] has no scriptsig, so its txid cannot be checked`,
        esploraPath.tx(tx.txid),
      );
    }
    const sig = Buffer.from(i.scriptsig, 'hex');
    parts.push(
      Buffer.from(i.txid, 'hex').reverse(),
      uint32(i.vout),
      varint(sig.length),
      sig,
      uint32(i.sequence),
    );
  }
  parts.push(varint(tx.vout.length));
  for (const o of tx.vout) {
    const value = Buffer.alloc(8);
    value.writeBigUInt64LE(BigInt(o.value), 0);
    const script = Buffer.from(o.script, 'hex');
    parts.push(value, varint(script.length), script);
  }
  parts.push(uint32(tx.locktime));
  const once = hash('sha256', Buffer.concat(parts), 'buffer');
  return hash('sha256', once, 'buffer').reverse().toString('hex');
}

/** The per-transaction checks (txid_hash, address_script); throws the first disagreement. */
export function checkTxFields(tx: Tx, network: NetworkName): void {
  const id = txidOfFields(tx);
  if (id !== tx.txid) {
    throw new IntegrityError(
      `transaction ${tx.txid}: its fields hash to ${id}, not to its txid (the explorer's JSON is not that transaction)`,
      esploraPath.tx(tx.txid),
    );
  }
  tx.vin.forEach((i, k) => {
    if (i.prevout) checkDerived(tx.txid, `vin[${k}].prevout`, i.prevout, network);
  });
  tx.vout.forEach((o, k) => checkDerived(tx.txid, `vout[${k}]`, o, network));
}

function canonical(address: string): string {
  return /^(bc|tb)1/i.test(address) ? address.toLowerCase() : address;
}

/** True when the address is an output's or a joined prevout's of the transaction. */
export function involves(tx: Tx, address: string): boolean {
  const a = canonical(address);
  for (const o of tx.vout) if (o.address !== null && canonical(o.address) === a) return true;
  for (const i of tx.vin) if (i.prevout?.address && canonical(i.prevout.address) === a) return true;
  return false;
}
