// mempool.space's price history through the project's HTTP transport (nock: nothing leaves the
// machine): the documented shape, missing data, errors, 429 retried, cache forever, recording.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CachedTransport, CacheStore, cacheFile, pathKind } from '../../src/sources/cache.js';
import { DirectoryTransport, RecordingTransport } from '../../src/sources/directory.js';
import { UnavailableError } from '../../src/sources/errors.js';
import { HttpTransport } from '../../src/sources/http.js';
import { recordingFile } from '../../src/sources/resources.js';
import { decimalText } from '../../src/prices/decimal.js';
import { ExplorerPrices, parseHistoricalPrice } from '../../src/prices/explorer.js';
import { PriceUnavailableError } from '../../src/prices/types.js';
import { virtualClock } from '../sources/helpers.js';

const HOST = 'https://mempool.test';
const BASE = `${HOST}/api`;
const PATH = '/api/v1/historical-price';
// The shape mempool.space answers (from its documentation's example).
const REAL =
  '{"prices":[{"time":1499904000,"EUR":1964,"USD":2254.9}],"exchangeRates":{"USDEUR":0.92,"USDGBP":0.78,"USDCAD":1.36,"USDCHF":0.86,"USDAUD":1.46,"USDJPY":149.48}}';
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'btctrace-price-'));
  dirs.push(d);
  return d;
};

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function http(clock = virtualClock()) {
  return new HttpTransport({ baseUrl: BASE, sleep: clock.sleep, now: clock.now, random: () => 0.5 });
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('ExplorerPrices', () => {
  it('asks /v1/historical-price with currency and timestamp and reads the documented shape', async () => {
    const scope = nock(HOST).get(PATH).query({ currency: 'USD', timestamp: '1500000000' }).reply(200, REAL);
    const p = await new ExplorerPrices(http()).priceAt('USD', 1500000000);
    expect(decimalText(p.price)).toBe('2254.9');
    expect(p.time).toBe(1499904000);
    expect(p.currency).toBe('USD');
    expect(p.source).toBe(`mempool historical-price ${BASE} (last price before the block time)`);
    expect(scope.isDone()).toBe(true);
  });

  it('asks each time once per run', async () => {
    const scope = nock(HOST).get(PATH).query(true).once().reply(200, REAL);
    const prices = new ExplorerPrices(http());
    const [a, b] = await Promise.all([prices.priceAt('EUR', 1500000000), prices.priceAt('EUR', 1500000000)]);
    expect(decimalText(a.price)).toBe('1964');
    expect(b).toEqual(a);
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    ['the explorer does not know the currency (null)', 'null'],
    ['no price rows', '{"prices":[],"exchangeRates":{}}'],
    [
      'the fake row before its data starts (price 0)',
      '{"prices":[{"time":1279497600,"USD":0}],"exchangeRates":{}}',
    ],
    ['a missing-data marker (-1)', '{"prices":[{"time":1499904000,"USD":-1}],"exchangeRates":{}}'],
    ['the currency absent from the row', '{"prices":[{"time":1499904000,"EUR":1964}],"exchangeRates":{}}'],
  ])('%s is no price, never a value', async (_what, body) => {
    nock(HOST).get(PATH).query(true).reply(200, body);
    const e = await rejection(new ExplorerPrices(http()).priceAt('USD', 1500000000));
    expect(e).toBeInstanceOf(PriceUnavailableError);
    expect(e.message).toBe(
      `${BASE}/v1/historical-price?currency=USD&timestamp=1500000000: no USD price before 2017-07-14T02:40:00Z`,
    );
  });

  it('a price row more than 7 days older than the time, or after it, is refused', async () => {
    const week = 7 * 86_400;
    const row = (time: number) => `{"prices":[{"time":${time},"USD":2254.9}],"exchangeRates":{}}`;
    nock(HOST)
      .get(PATH)
      .query(true)
      .reply(200, row(1500000000 - week));
    expect(decimalText((await new ExplorerPrices(http()).priceAt('USD', 1500000000)).price)).toBe('2254.9');
    nock(HOST)
      .get(PATH)
      .query(true)
      .reply(200, row(1500000000 - week - 1));
    expect((await rejection(new ExplorerPrices(http()).priceAt('USD', 1500000000))).message).toMatch(
      /nearest before 2017-07-14T02:40:00Z is from 2017-07-07T02:39:59Z, not usable/,
    );
    nock(HOST).get(PATH).query(true).reply(200, row(1500000001));
    await expect(new ExplorerPrices(http()).priceAt('USD', 1500000000)).rejects.toThrow(
      PriceUnavailableError,
    );
  });

  it('a 429 is waited out and retried by the transport (Retry-After honoured)', async () => {
    const clock = virtualClock();
    nock(HOST)
      .get(PATH)
      .query(true)
      .reply(429, '<html><title>429 Too Many Requests</title></html>', { 'Retry-After': '3' });
    nock(HOST).get(PATH).query(true).reply(200, REAL);
    const t = http(clock);
    const p = await new ExplorerPrices(t).priceAt('USD', 1500000000);
    expect(decimalText(p.price)).toBe('2254.9');
    expect(clock.delays).toEqual([3000]);
    expect(t.stats()).toEqual({ requests: 2, retries: 1 });
  });

  it('an HTML page or truncated JSON with status 200 is retried, never read as a price', async () => {
    nock(HOST).get(PATH).query(true).reply(200, '<html>maintenance</html>');
    nock(HOST).get(PATH).query(true).reply(200, REAL.slice(0, 30));
    nock(HOST).get(PATH).query(true).reply(200, REAL);
    const t = http();
    expect(decimalText((await new ExplorerPrices(t).priceAt('USD', 1500000000)).price)).toBe('2254.9');
    expect(t.stats().requests).toBe(3);
  });

  it('a price in exponent notation or of the wrong type is malformed', () => {
    const r = '/v1/historical-price?currency=USD&timestamp=1';
    expect(() => parseHistoricalPrice('{"prices":[{"time":1,"USD":1e-7}]}', 'USD', r)).toThrow(
      /not a plain decimal/,
    );
    expect(() => parseHistoricalPrice('{"prices":[{"time":1,"USD":"2254.9"}]}', 'USD', r)).toThrow(
      /expected a number/,
    );
    expect(() => parseHistoricalPrice('{"prices":[{"USD":1}]}', 'USD', r)).toThrow(
      /time: expected unix seconds/,
    );
    expect(() => parseHistoricalPrice('{"data":[]}', 'USD', r)).toThrow(/"prices" array/);
  });

  it('5xx until the attempts run out is UnavailableError (exit 1)', async () => {
    nock(HOST).get(PATH).query(true).times(6).reply(502, '<html><title>502 Bad Gateway</title></html>');
    const e = await rejection(new ExplorerPrices(http()).priceAt('USD', 1500000000));
    expect(e).toBeInstanceOf(UnavailableError);
    expect(e.message).toMatch(/gave up after 6 attempts: HTTP 502: 502 Bad Gateway/);
  });
});

describe('price resources in the cache and recordings', () => {
  const path = '/v1/historical-price?currency=EUR&timestamp=1500000000';

  it('have a recording file and a cache kind; other query strings do not', () => {
    expect(recordingFile(path)).toBe('v1_historical-price_EUR_1500000000.json');
    expect(recordingFile('/v1/historical-price?currency=EUR&timestamp=1500000000&x=1')).toBeNull();
    expect(recordingFile('/v1/historical-price?currency=../&timestamp=1')).toBeNull();
    expect(pathKind(path)).toBe('price');
    expect(pathKind('/v1/historical-price?currency=eur&timestamp=1500000000')).toBeNull();
  });

  it('are cached forever when old, and not stored when asked for a time within 2 days of now', async () => {
    const dir = tempDir();
    const store = CacheStore.open(cacheFile(dir));
    try {
      const now = Date.parse('2026-01-01T00:00:00Z');
      let clock = now;
      const cached = new CachedTransport(http(), store, { now: () => clock });
      nock(HOST).get(PATH).query(true).once().reply(200, REAL);
      await new ExplorerPrices(cached).priceAt('EUR', 1500000000);
      clock += 10 * 365 * 86_400_000; // ten years on: still a hit, no request (nock would refuse one)
      const again = await new ExplorerPrices(cached).priceAt('EUR', 1500000000);
      expect(decimalText(again.price)).toBe('1964');
      expect(cached.cacheCounts()).toMatchObject({ hits: 1, stored: 1 });

      // A time 2 days minus 1 s before now: its "last price before" can still change.
      const recent = Math.floor(clock / 1000) - 2 * 86_400 + 1;
      const body = `{"prices":[{"time":${recent - 600},"EUR":90000}],"exchangeRates":{}}`;
      nock(HOST).get(PATH).query(true).twice().reply(200, body);
      await new ExplorerPrices(cached).priceAt('EUR', recent);
      await new ExplorerPrices(cached).priceAt('EUR', recent);
      expect(cached.cacheCounts()).toMatchObject({ hits: 1, stored: 1 });
      // Exactly 2 days old is settled: stored.
      const settled = recent - 1;
      nock(HOST).get(PATH).query(true).once().reply(200, body);
      await new ExplorerPrices(cached).priceAt('EUR', settled);
      expect(cached.cacheCounts().stored).toBe(2);
    } finally {
      store.close();
    }
  });

  it('are recorded by --record and answered by --offline', async () => {
    const dir = tempDir();
    nock(HOST).get(PATH).query(true).reply(200, REAL);
    await new ExplorerPrices(new RecordingTransport(http(), dir)).priceAt('EUR', 1500000000);
    expect(readdirSync(dir)).toEqual(['v1_historical-price_EUR_1500000000.json']);
    expect(readFileSync(join(dir, 'v1_historical-price_EUR_1500000000.json'), 'utf8')).toBe(REAL);
    const offline = await new ExplorerPrices(new DirectoryTransport(dir)).priceAt('EUR', 1500000000);
    expect(decimalText(offline.price)).toBe('1964');
    await expect(new ExplorerPrices(new DirectoryTransport(dir)).priceAt('EUR', 1500000001)).rejects.toThrow(
      /not in the recording: v1_historical-price_EUR_1500000001.json/,
    );
  });
});
