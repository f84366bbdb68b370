import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/errors.js';
import { createSource } from '../../src/sources/index.js';
import { hostPolicy, providerBaseUrl, publicHost } from '../../src/sources/providers.js';
import { fakeOutspends, txidOf, virtualClock } from './helpers.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('providers', () => {
  it.each([
    ['mempool', 'mainnet', 'https://mempool.space/api'],
    ['mempool', 'testnet', 'https://mempool.space/testnet/api'],
    ['mempool', 'signet', 'https://mempool.space/signet/api'],
    ['blockstream', 'mainnet', 'https://blockstream.info/api'],
    ['blockstream', 'testnet', 'https://blockstream.info/testnet/api'],
    ['blockstream', 'signet', 'https://blockstream.info/signet/api'],
  ] as const)('%s on %s -> %s', (provider, network, url) => {
    expect(providerBaseUrl(provider, network)).toBe(url);
  });

  it('rejects an unknown provider name', () => {
    expect(() => providerBaseUrl('blockchair' as 'mempool', 'mainnet')).toThrow(
      'unknown provider "blockchair": use mempool or blockstream',
    );
  });

  it.each([
    ['https://mempool.space/api', 'mempool.space', 4, 4, true],
    ['https://WWW.Mempool.Space/testnet/api/', 'mempool.space', 4, 4, true],
    ['https://enterprise.mempool.space/api', 'mempool.space', 4, 4, true],
    ['https://blockstream.info/api', 'blockstream.info', 4, 4, false],
    ['https://enterprise.blockstream.info/api', 'blockstream.info', 4, 4, false],
    ['http://localhost:3002/api', null, 8, 0, false],
    ['http://10.0.0.5:3000', null, 8, 0, false],
    ['https://notmempool.space/api', null, 8, 0, false],
  ] as const)('%s: host %s, concurrency %i, rate %i, bulk %s', (url, host, concurrency, rate, bulk) => {
    expect(publicHost(url)).toBe(host);
    expect(hostPolicy(url)).toEqual({ concurrency, rate, bulkOutspends: bulk });
  });

  it('user options override the defaults', () => {
    expect(hostPolicy('https://mempool.space/api', { rate: 0, concurrency: 16 })).toEqual({
      concurrency: 16,
      rate: 0,
      bulkOutspends: true,
    });
    expect(hostPolicy('http://localhost:3002/api', { bulkOutspends: true, rate: 10 })).toEqual({
      concurrency: 8,
      rate: 10,
      bulkOutspends: true,
    });
  });
});

describe('createSource', () => {
  it('defaults to mempool.space mainnet, memoized, with bulk outspends', async () => {
    const ids = ['c1', 'c2'].map(txidOf);
    const scope = nock('https://mempool.space')
      .get('/api/txs/outspends')
      .query({ txids: ids.join(',') })
      .reply(200, JSON.stringify([fakeOutspends('c1', 1), fakeOutspends('c2', 1)]));
    const clock = virtualClock();
    const src = createSource({ sleep: clock.sleep, now: clock.now });
    expect(src.description).toBe('esplora https://mempool.space/api');
    await src.getOutspendsMany(ids);
    await src.getOutspends(ids[0]!);
    expect(scope.isDone()).toBe(true);
    expect(src.stats()).toEqual({ requests: 1, retries: 0, memoHits: 1, repeated: 0 });
    // 4 req/s: the single request went out at once, no pacing delay.
    expect(clock.delays).toEqual([]);
  });

  it('blockstream testnet and a self-hosted URL', async () => {
    nock('https://blockstream.info').get('/testnet/api/blocks/tip/height').reply(200, '4500000');
    nock('http://electrs.local:3000').get('/api/blocks/tip/height').reply(200, '955900');
    expect(await createSource({ provider: 'blockstream', network: 'testnet' }).getTipHeight()).toBe(
      4_500_000,
    );
    const own = createSource({ apiUrl: 'http://electrs.local:3000/api/' });
    expect(own.description).toBe('esplora http://electrs.local:3000/api');
    expect(await own.getTipHeight()).toBe(955_900);
  });

  it('contradictory or malformed options are InputError (exit code 2)', () => {
    expect(() => createSource({ offline: 'x', record: 'y' })).toThrow(InputError);
    expect(() => createSource({ offline: 'x', apiUrl: 'http://a/api' })).toThrow(
      '--offline and --api-url cannot be used together',
    );
    expect(() => createSource({ apiUrl: 'ftp://a' })).toThrow(InputError);
    expect(() => createSource({ apiUrl: 'http://a/api', concurrency: 0 })).toThrow(
      'concurrency must be a positive integer, got 0',
    );
  });
});
