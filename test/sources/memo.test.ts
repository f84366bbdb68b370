import { describe, expect, it } from 'vitest';
import type { AddressStats, Outspend, Tx } from '../../src/model/tx.js';
import { NotFoundError, UnavailableError } from '../../src/sources/errors.js';
import { memoized } from '../../src/sources/memo.js';
import { parseTx } from '../../src/sources/parse.js';
import type { AddressHistory, ChainSource, SourceStats } from '../../src/sources/source.js';
import { fakeTx, txidOf } from './helpers.js';

/** A scripted source that counts calls per method and resolves after a tick. */
class Scripted implements ChainSource {
  readonly description = 'scripted';
  calls: string[] = [];
  failNext: Error | null = null;
  historyLength = 60;

  private async answer<T>(call: string, value: () => T): Promise<T> {
    this.calls.push(call);
    await new Promise((r) => setImmediate(r));
    if (this.failNext) {
      const e = this.failNext;
      this.failNext = null;
      throw e;
    }
    return value();
  }
  getTx(txid: string): Promise<Tx> {
    return this.answer(`tx ${txid}`, () => ({ ...parseTx(fakeTx('m'), 'x'), txid }));
  }
  getTxHex(txid: string): Promise<string> {
    return this.answer(`hex ${txid}`, () => '00');
  }
  getOutspends(txid: string): Promise<Outspend[]> {
    return this.answer(`outspends ${txid}`, () => []);
  }
  getOutspendsMany(txids: string[]): Promise<Outspend[][]> {
    return Promise.all(txids.map((t) => this.getOutspends(t)));
  }
  getAddressHistory(address: string, maxTxs: number): Promise<AddressHistory> {
    return this.answer(`history ${address} ${maxTxs}`, () => {
      const all = Array.from({ length: this.historyLength }, (_, k) => ({
        ...parseTx(fakeTx(`h${k}`), 'x'),
      }));
      return { txs: all.slice(0, maxTxs), complete: all.length <= maxTxs };
    });
  }
  getAddressStats(address: string): Promise<AddressStats> {
    return this.answer(`stats ${address}`, () => {
      const z = { fundedTxoCount: 0, fundedTxoSum: 0, spentTxoCount: 0, spentTxoSum: 0, txCount: 0 };
      return { address, chain: z, mempool: z };
    });
  }
  getTipHeight(): Promise<number> {
    return this.answer('tip', () => 955_873);
  }
  stats(): SourceStats {
    return { requests: this.calls.length, retries: 0, memoHits: 0, repeated: 0 };
  }
}

describe('memoized', () => {
  it('each resource is asked once; later and concurrent calls are memo hits', async () => {
    const inner = new Scripted();
    const src = memoized(inner);
    const id = txidOf('a');
    await Promise.all([src.getTx(id), src.getTx(id), src.getTipHeight(), src.getTipHeight()]);
    await src.getTx(id);
    await src.getTxHex(id);
    await src.getAddressStats('bc1qa');
    await src.getAddressStats('bc1qa');
    expect(inner.calls).toEqual([`tx ${id}`, 'tip', `hex ${id}`, 'stats bc1qa']);
    expect(src.stats()).toEqual({ requests: 4, retries: 0, memoHits: 4, repeated: 0 });
    expect(src.description).toBe('scripted');
  });

  it('concurrent callers share a failure; a transient failure is forgotten, so the next call retries', async () => {
    const inner = new Scripted();
    const src = memoized(inner);
    inner.failNext = new UnavailableError('down', '/blocks/tip/height');
    const both = await Promise.allSettled([src.getTipHeight(), src.getTipHeight()]);
    expect(both.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(inner.calls).toEqual(['tip']);
    expect(await src.getTipHeight()).toBe(955_873);
    expect(inner.calls).toEqual(['tip', 'tip']);
  });

  it('a definitive failure (not found) is remembered as a failure', async () => {
    const inner = new Scripted();
    const src = memoized(inner);
    const id = txidOf('nf');
    inner.failNext = new NotFoundError('Transaction not found', `/tx/${id}`);
    await expect(src.getTx(id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(src.getTx(id)).rejects.toBeInstanceOf(NotFoundError);
    expect(inner.calls).toEqual([`tx ${id}`]);
    expect(src.stats().memoHits).toBe(1);
  });

  it('getOutspendsMany asks only txids not yet known', async () => {
    const inner = new Scripted();
    const src = memoized(inner);
    const [a, b, c] = ['a', 'b', 'c'].map(txidOf) as [string, string, string];
    await src.getOutspends(a);
    await src.getOutspendsMany([a, b, c, b]);
    expect(inner.calls).toEqual([`outspends ${a}`, `outspends ${b}`, `outspends ${c}`]);
    expect(src.stats().memoHits).toBe(2);
  });

  it('address history: a smaller limit is cut from the known answer; a larger one asks again', async () => {
    const inner = new Scripted();
    const src = memoized(inner);
    const h50 = await src.getAddressHistory('bc1qh', 50);
    expect([h50.txs.length, h50.complete]).toEqual([50, false]);
    const h20 = await src.getAddressHistory('bc1qh', 20);
    expect([h20.txs.length, h20.complete]).toEqual([20, false]);
    expect(h20.txs[19]).toBe(h50.txs[19]);
    const h100 = await src.getAddressHistory('bc1qh', 100);
    expect([h100.txs.length, h100.complete]).toEqual([60, true]);
    // Complete now: any limit is answered from it.
    const h1000 = await src.getAddressHistory('bc1qh', 1000);
    expect(h1000).toBe(h100);
    const h60 = await src.getAddressHistory('bc1qh', 60);
    expect([h60.txs.length, h60.complete]).toEqual([60, true]);
    expect(inner.calls).toEqual(['history bc1qh 50', 'history bc1qh 100']);
    expect(src.stats().memoHits).toBe(3);
  });
});
