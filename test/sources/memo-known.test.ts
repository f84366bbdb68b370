// knownTx/knownOutspends: a memo hands out what it holds at once, and only what has settled
// (a pending or failed answer is not "known"), so a walk over held data needs no promise.
import { describe, expect, it } from 'vitest';
import type { Outspend, Tx } from '../../src/model/tx.js';
import { NotFoundError } from '../../src/sources/errors.js';
import { memoized } from '../../src/sources/memo.js';
import { parseTx } from '../../src/sources/parse.js';
import type { ChainSource } from '../../src/sources/source.js';
import { fakeTx, txidOf } from './helpers.js';

function source(fail: Set<string>): ChainSource & { calls: number } {
  const s = {
    description: 'scripted',
    calls: 0,
    async getTx(txid: string): Promise<Tx> {
      s.calls++;
      await new Promise((r) => setImmediate(r));
      if (fail.has(txid)) throw new NotFoundError(`tx ${txid}`, `/tx/${txid}`);
      return { ...parseTx(fakeTx('m'), 'x'), txid };
    },
    async getOutspends(_txid: string): Promise<Outspend[]> {
      s.calls++;
      await new Promise((r) => setImmediate(r));
      return [{ spent: false, txid: null, vin: null, status: null }];
    },
    getOutspendsMany: () => Promise.reject(new Error('unused')),
    getAddressHistory: () => Promise.reject(new Error('unused')),
    getAddressStats: () => Promise.reject(new Error('unused')),
    getTipHeight: () => Promise.resolve(1),
    getTxHex: () => Promise.reject(new Error('unused')),
    stats: () => ({ requests: s.calls, retries: 0, memoHits: 0, repeated: 0 }),
  };
  return s;
}

describe('memoized knownTx / knownOutspends', () => {
  it('answers only once the answer has settled, with the same object, counting a memo hit', async () => {
    const inner = source(new Set());
    const m = memoized(inner);
    const a = txidOf('a');
    expect(m.knownTx!(a)).toBeUndefined();
    const p = m.getTx(a);
    expect(m.knownTx!(a)).toBeUndefined(); // in flight
    const tx = await p;
    expect(m.knownTx!(a)).toBe(tx);
    expect(m.stats().memoHits).toBe(1);
    expect(inner.calls).toBe(1);
    expect(m.knownOutspends!(a)).toBeUndefined();
    const os = await m.getOutspends(a);
    expect(m.knownOutspends!(a)).toBe(os);
    expect(m.stats().memoHits).toBe(2);
  });

  it('never hands out a failure', async () => {
    const b = txidOf('b');
    const m = memoized(source(new Set([b])));
    await expect(m.getTx(b)).rejects.toBeInstanceOf(NotFoundError);
    expect(m.knownTx!(b)).toBeUndefined();
    await expect(m.getTx(b)).rejects.toBeInstanceOf(NotFoundError);
  });
});
