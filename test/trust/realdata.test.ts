// The free checks on real explorer answers (../shared/realdata): every recorded transaction
// JSON, from single /tx answers and address pages, must pass txid_hash and address_script, or
// the checks would refuse honest data. Skips when the folder is absent.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NetworkName } from '../../src/model/address.js';
import { checkTxFields } from '../../src/sources/tx-fields.js';
import { parseTx } from '../../src/sources/parse.js';
import { ESPLORA, hasRealdata } from '../sources/helpers.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.json') ? [p] : [];
  });
}

/** Every object that looks like an Esplora transaction, anywhere in a JSON value. */
function txsIn(v: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(v)) for (const x of v) txsIn(x, out);
  else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.txid === 'string' && Array.isArray(o.vin) && Array.isArray(o.vout)) out.push(o);
    else for (const x of Object.values(o)) txsIn(x, out);
  }
  return out;
}

describe.skipIf(!hasRealdata || !existsSync(ESPLORA))('free checks on recorded real answers', () => {
  it('every recorded transaction hashes to its txid and its addresses are its scripts', () => {
    let checked = 0;
    for (const f of files(ESPLORA)) {
      const network: NetworkName = /testnet|signet/.test(f) ? 'testnet' : 'mainnet';
      for (const raw of txsIn(JSON.parse(readFileSync(f, 'utf8')))) {
        const tx = parseTx(raw, f);
        expect(() => checkTxFields(tx, network), `${f} ${tx.txid}`).not.toThrow();
        checked++;
      }
    }
    expect(checked).toBe(79);
  });
});
