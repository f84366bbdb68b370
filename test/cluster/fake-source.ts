// An in-memory ChainSource for expansion tests: address histories computed from a fixed set of
// transactions, answered after a seeded random delay so answers arrive out of order.
import type { AddressStats, Outspend, Tx } from '../../src/model/tx.js';
import { NotFoundError, UnavailableError } from '../../src/sources/errors.js';
import type { AddressHistory, ChainSource, SourceStats } from '../../src/sources/source.js';
import { mulberry32 } from './prng.js';

export interface FakeSourceOptions {
  /** Seed for answer delays (0..maxDelayMs ms); no delay when undefined. */
  delaySeed?: number;
  maxDelayMs?: number;
  /** Addresses whose history request fails with UnavailableError. */
  failing?: string[];
}

export class FakeChainSource implements ChainSource {
  readonly description = 'fake in-memory source';
  readonly historyCalls: string[] = [];
  private readonly txs: Tx[];
  private readonly rnd: (() => number) | null;
  private inFlight = 0;
  maxInFlight = 0;

  constructor(
    txs: Iterable<Tx>,
    private readonly options: FakeSourceOptions = {},
  ) {
    this.txs = [...txs];
    this.rnd = options.delaySeed === undefined ? null : mulberry32(options.delaySeed);
  }

  async getAddressHistory(address: string, maxTxs: number): Promise<AddressHistory> {
    this.historyCalls.push(address);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.rnd) {
        const ms = Math.floor(this.rnd() * ((this.options.maxDelayMs ?? 5) + 1));
        await new Promise((r) => setTimeout(r, ms));
      }
      if (this.options.failing?.includes(address)) {
        throw new UnavailableError(`HTTP 503 for /address/${address}/txs`, `/address/${address}/txs`);
      }
      const all = this.txs
        .filter(
          (t) =>
            t.vin.some((i) => i.prevout?.address === address) || t.vout.some((o) => o.address === address),
        )
        .sort((a, b) => {
          // newest first, unconfirmed before confirmed (Esplora order)
          const ha = a.status.height ?? Number.POSITIVE_INFINITY;
          const hb = b.status.height ?? Number.POSITIVE_INFINITY;
          return hb - ha || (a.txid < b.txid ? 1 : -1);
        });
      return { txs: all.slice(0, maxTxs), complete: all.length <= maxTxs };
    } finally {
      this.inFlight--;
    }
  }

  getTx(txid: string): Promise<Tx> {
    const tx = this.txs.find((t) => t.txid === txid);
    return tx
      ? Promise.resolve(tx)
      : Promise.reject(new NotFoundError('Transaction not found', `/tx/${txid}`));
  }
  getOutspends(txid: string): Promise<Outspend[]> {
    return Promise.reject(new Error(`getOutspends(${txid}) is not used by cluster expansion`));
  }
  getOutspendsMany(txids: string[]): Promise<Outspend[][]> {
    return Promise.reject(new Error(`getOutspendsMany(${txids.length}) is not used by cluster expansion`));
  }
  getAddressStats(address: string): Promise<AddressStats> {
    return Promise.reject(new Error(`getAddressStats(${address}) is not used by cluster expansion`));
  }
  getTipHeight(): Promise<number> {
    return Promise.resolve(900_000);
  }
  getTxHex(txid: string): Promise<string> {
    return Promise.reject(new Error(`getTxHex(${txid}) is not used by cluster expansion`));
  }
  stats(): SourceStats {
    return { requests: this.historyCalls.length, retries: 0, memoHits: 0, repeated: 0 };
  }
}
