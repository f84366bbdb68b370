// The explorer-side check of what goes into a request path: a txid is 64 hex digits and an
// address plain alphanumerics, so no value can change the path or the query (any source's URLs).
import { BadRequestError } from './errors.js';

const TXID = /^[0-9a-fA-F]{64}$/;
const ADDRESS = /^[A-Za-z0-9]{1,100}$/;

export function checkTxid(txid: string): string {
  if (typeof txid !== 'string' || !TXID.test(txid)) {
    throw new BadRequestError(
      `${JSON.stringify(txid)} is not a transaction id (64 hex digits)`,
      String(txid),
    );
  }
  return txid.toLowerCase();
}

export function checkAddress(address: string): string {
  if (typeof address !== 'string' || !ADDRESS.test(address)) {
    throw new BadRequestError(`${JSON.stringify(address)} is not a Bitcoin address`, String(address));
  }
  return address;
}
