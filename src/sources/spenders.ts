// An outspends entry "output k is spent by S at input i" is the explorer's claim; the walk only
// believes it once S's own input i spends that output (src/trace/forward.ts). Commands that show
// a transaction's spenders without walking (tx) check the same way here: each named spender is
// read (one request each, memoized) and must spend the output, or the run fails naming both.
// Past `max` spent outputs the spender is not named: the entry says "spent", not by whom.

import type { Outspend } from '../model/tx.js';
import { IntegrityError, NotFoundError } from './errors.js';
import { esploraPath } from './resources.js';
import type { ChainSource } from './source.js';

/** Spenders read per transaction at most: a 2,000-output payout must not cost 2,000 requests. */
export const MAX_SPENDERS_CHECKED = 100;

export interface CheckedOutspends {
  outspends: Outspend[];
  /** Entries whose spender was read and spends the output. */
  checked: number;
  /** Spent entries past `max`: their spender is not named. */
  unnamed: number;
}

export async function checkSpenders(
  source: ChainSource,
  txid: string,
  outspends: readonly Outspend[],
  max = MAX_SPENDERS_CHECKED,
): Promise<CheckedOutspends> {
  const claims = outspends.map((o, vout) => ({ o, vout })).filter(({ o }) => o.spent && o.txid !== null);
  const toCheck = claims.slice(0, max);
  const resource = esploraPath.outspends(txid);
  await Promise.all(
    toCheck.map(async ({ o, vout }) => {
      const spender = await source.getTx(o.txid!).catch((e: unknown) => {
        if (e instanceof NotFoundError) {
          throw new IntegrityError(
            `${resource}: output ${vout} is spent by ${o.txid!}, says the explorer, which has no such transaction`,
            resource,
          );
        }
        throw e;
      });
      const input = o.vin === null ? undefined : spender.vin[o.vin];
      const spends = spender.vin.findIndex((i) => i.txid === txid && i.vout === vout);
      if (!input || input.txid !== txid || input.vout !== vout) {
        throw new IntegrityError(
          `${resource}: output ${vout} is spent by ${o.txid!} input ${o.vin ?? '?'}, says the explorer, but ${
            spends < 0 ? 'no input of that transaction spends it' : `it is spent at input ${spends}`
          }`,
          resource,
        );
      }
    }),
  );
  const unnamed = new Set(claims.slice(max).map(({ vout }) => vout));
  return {
    outspends: outspends.map((o, vout) => (unnamed.has(vout) ? { ...o, txid: null, vin: null } : o)),
    checked: toCheck.length,
    unnamed: unnamed.size,
  };
}
