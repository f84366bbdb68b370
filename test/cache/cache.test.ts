import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CACHE_HEADER,
  CachedTransport,
  CacheLockedError,
  CacheStore,
  cacheFile,
  cacheStats,
  clearCache,
  defaultCacheDir,
  openCache,
  pathKind,
} from '../../src/sources/cache.js';
import { NotFoundError, UnavailableError } from '../../src/sources/errors.js';
import { EsploraSource } from '../../src/sources/esplora.js';
import { esploraPath } from '../../src/sources/resources.js';
import { FakeTransport, clock, hex64, outspendsBody, tempDir, txBody } from './fake.js';

const A = hex64('a');
const B = hex64('b');
const MIN = 60_000;

let dir: string;
let cleanup: () => void;
let stores: CacheStore[];
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  stores = [];
});
afterEach(() => {
  for (const s of stores) s.close();
  cleanup();
});

function open(options: Parameters<typeof CacheStore.open>[1] = {}): CacheStore {
  const s = CacheStore.open(cacheFile(dir), options);
  stores.push(s);
  return s;
}

/** One "run": a fresh inner transport and cache wrapper over the shared store, and a source. */
function run(store: CacheStore, c = clock(), fake = new FakeTransport(), warnings: string[] = []) {
  fake.set(esploraPath.tx(A), txBody('a')).set(esploraPath.tx(B), txBody('b', false));
  fake.set(esploraPath.outspends(A), outspendsBody('spender'));
  fake.set(esploraPath.tipHeight(), '900000');
  const cached = new CachedTransport(fake, store, { now: c.now, onWarning: (w) => warnings.push(w) });
  return { fake, cached, source: new EsploraSource(cached), warnings, c };
}

describe('CachedTransport', () => {
  it('counts hits and misses; a second run asks nothing', async () => {
    const store = open();
    const r1 = run(store);
    expect((await r1.source.getTx(A)).vout[1]!.value).toBe(20_000);
    expect(await r1.cached.get(esploraPath.tx(A))).toMatchObject({ status: 200, body: txBody('a') });
    expect(r1.cached.cacheCounts()).toEqual({ hits: 1, misses: 1, expired: 0, stored: 1, rejected: 0 });
    expect(r1.cached.stats()).toEqual({ requests: 1, retries: 0 });

    const r2 = run(store);
    expect((await r2.source.getTx(A)).txid).toBe(A);
    expect(r2.fake.asked).toEqual([]);
    expect(r2.cached.stats()).toEqual({ requests: 0, retries: 0 });
    expect(r2.cached.cacheCounts()).toMatchObject({ hits: 1, misses: 0 });
  });

  it('keeps confirmed transactions forever and lets outspends expire after 10 min', async () => {
    const store = open();
    const c = clock();
    const r1 = run(store, c);
    await r1.source.getTx(A);
    await r1.source.getOutspends(A);

    c.t += 10 * MIN - 1;
    const r2 = run(store, c);
    await r2.source.getTx(A);
    await r2.source.getOutspends(A);
    expect(r2.fake.asked).toEqual([]);

    c.t += 1; // exactly 10 min old: expired
    const r3 = run(store, c);
    await r3.source.getOutspends(A);
    expect(r3.fake.asked).toEqual([esploraPath.outspends(A)]);
    expect(r3.cached.cacheCounts()).toMatchObject({ hits: 0, misses: 1, expired: 1, stored: 1 });

    c.t += 10 * 365 * 24 * 60 * MIN; // ten years later
    const r4 = run(store, c);
    await r4.source.getTx(A);
    expect(r4.fake.asked).toEqual([]);
  });

  it('treats entries dated in the future as expired (injected clock moved back), age 0 as fresh', async () => {
    const store = open();
    const c = clock();
    const r1 = run(store, c);
    await r1.source.getTx(A);
    await r1.source.getOutspends(A);

    const same = run(store, c); // age exactly 0: fresh
    await same.source.getTx(A);
    await same.source.getOutspends(A);
    expect(same.fake.asked).toEqual([]);

    c.t -= 1; // the clock moved back 1 ms: both entries are now dated 1 ms in the future
    const r2 = run(store, c);
    await r2.source.getOutspends(A);
    await r2.source.getTx(A); // a confirmed tx, otherwise kept forever
    expect(r2.fake.asked).toEqual([esploraPath.outspends(A), esploraPath.tx(A)]);
    expect(r2.cached.cacheCounts()).toMatchObject({ hits: 0, misses: 2, expired: 2, stored: 2 });
    // re-stored with this clock's time: fresh again
    const r3 = run(store, c);
    await r3.source.getTx(A);
    expect(r3.fake.asked).toEqual([]);
    expect(store.get(r3.cached.origin, esploraPath.tx(A))?.fetchedAt).toBe(c.t);
  });

  it('lets an unconfirmed transaction expire after 1 min, then keeps it once confirmed', async () => {
    const store = open();
    const c = clock();
    const r1 = run(store, c);
    expect((await r1.source.getTx(B)).status.confirmed).toBe(false);
    expect(store.get(r1.cached.origin, esploraPath.tx(B))?.kind).toBe('tx-unconfirmed');

    c.t += MIN - 1;
    const r2 = run(store, c);
    await r2.source.getTx(B);
    expect(r2.fake.asked).toEqual([]);

    c.t += 1;
    const r3 = run(store, c);
    r3.fake.set(esploraPath.tx(B), txBody('b', true));
    expect((await r3.source.getTx(B)).status.confirmed).toBe(true);
    expect(r3.fake.asked).toEqual([esploraPath.tx(B)]);
    expect(store.get(r3.cached.origin, esploraPath.tx(B))?.kind).toBe('tx');
  });

  it('honours a configured policy; a TTL of 0 stores nothing', async () => {
    const store = open();
    const c = clock();
    const fake = new FakeTransport().set(esploraPath.outspends(A), outspendsBody(null));
    const cached = new CachedTransport(fake, store, { now: c.now, policy: { ttlMs: 0 } });
    await cached.get(esploraPath.outspends(A));
    await cached.get(esploraPath.outspends(A));
    expect(fake.count(esploraPath.outspends(A))).toBe(2);
    expect(cached.cacheCounts()).toMatchObject({ hits: 0, misses: 2, stored: 0 });
    expect(() => new CachedTransport(fake, store, { policy: { tipTtlMs: -1 } })).toThrow(
      'cache tipTtlMs must be >= 0 ms, got -1',
    );
  });

  it('keeps the tip height 30 s and records it with each entry', async () => {
    const store = open();
    const c = clock();
    const r1 = run(store, c);
    expect(await r1.source.getTipHeight()).toBe(900_000);
    await r1.source.getTx(A);
    const entry = store.get(r1.cached.origin, esploraPath.tx(A))!;
    expect(entry).toMatchObject({ tipHeight: 900_000, fetchedAt: c.t, kind: 'tx' });

    c.t += 29_999;
    const r2 = run(store, c);
    const hit = await r2.cached.get(esploraPath.tx(A));
    expect(hit.headers[CACHE_HEADER]).toBe('hit; fetched_at=2026-01-01T00:00:00.000Z; tip_height=900000');
    await r2.cached.get(esploraPath.tipHeight());
    expect(r2.fake.asked).toEqual([]);
    expect(r2.cached.tipHeight).toBe(900_000); // learnt from the cached answer
    c.t += 1;
    await run(store, c)
      .source.getTipHeight()
      .then((h) => expect(h).toBe(900_000));
    expect(store.get(r1.cached.origin, esploraPath.tipHeight())!.fetchedAt).toBe(c.t);
  });

  it('never caches error answers', async () => {
    const store = open();
    const fake = new FakeTransport();
    let n = 0;
    fake.set(esploraPath.tx(A), () =>
      ++n === 1 ? new UnavailableError('HTTP 503', esploraPath.tx(A)) : txBody('a'),
    );
    const cached = new CachedTransport(fake, store);
    const source = new EsploraSource(cached);
    await expect(source.getTx(B)).rejects.toBeInstanceOf(NotFoundError);
    await expect(source.getTx(B)).rejects.toBeInstanceOf(NotFoundError);
    expect(fake.count(esploraPath.tx(B))).toBe(2);
    await expect(source.getTx(A)).rejects.toBeInstanceOf(UnavailableError);
    expect((await source.getTx(A)).txid).toBe(A);
    expect(fake.count(esploraPath.tx(A))).toBe(2);
    expect(cached.cacheCounts()).toMatchObject({ misses: 4, stored: 1 });
  });

  it('never stores a body the caller rejects (an HTML page with status 200)', async () => {
    const store = open();
    const fake = new FakeTransport().set(esploraPath.tx(A), '<html>maintenance</html>');
    const cached = new CachedTransport(fake, store);
    await expect(new EsploraSource(cached).getTx(A)).rejects.toBeInstanceOf(UnavailableError);
    expect(store.get(cached.origin, esploraPath.tx(A))).toBeNull();
    expect(cached.cacheCounts().stored).toBe(0);
  });

  it('keeps two explorers apart', async () => {
    const store = open();
    const one = new FakeTransport('https://one.test/api').set(esploraPath.tx(A), txBody('a'));
    const two = new FakeTransport('https://two.test/api').set(esploraPath.tx(A), txBody('a'));
    await new EsploraSource(new CachedTransport(one, store)).getTx(A);
    await new EsploraSource(new CachedTransport(two, store)).getTx(A);
    expect([one.asked.length, two.asked.length]).toEqual([1, 1]);
    expect(store.get('https://one.test/api', esploraPath.tx(A))).not.toBeNull();
    expect(store.get('https://two.test/api', esploraPath.tx(A))).not.toBeNull();
    expect(store.get('https://three.test/api', esploraPath.tx(A))).toBeNull();
  });

  it('treats a row whose checksum fails as a miss and deletes it', async () => {
    const warnings: string[] = [];
    const store = open({ onWarning: (w) => warnings.push(w) });
    const r1 = run(store);
    await r1.source.getTx(A);
    // Edit the stored body behind the store's back: 20000 sat becomes 90000.
    const db = new Database(cacheFile(dir));
    db.prepare("UPDATE entries SET body = replace(body, '20000', '90000')").run();
    db.close();
    const r2 = run(store);
    expect((await r2.source.getTx(A)).vout[1]!.value).toBe(20_000);
    expect(r2.fake.asked).toEqual([esploraPath.tx(A)]);
    expect(warnings).toEqual([
      `cache entry https://explorer.test/api /tx/${A} failed its checksum; discarded it and asking the explorer`,
    ]);
    expect(store.get(r2.cached.origin, esploraPath.tx(A))!.body).toBe(txBody('a')); // stored again
  });

  it('deletes and refetches a cached body that no longer passes the parser', async () => {
    const store = open();
    const r = run(store);
    store.put({
      origin: r.cached.origin,
      path: esploraPath.tx(A),
      kind: 'tx',
      body: '{"txid":1}',
      fetchedAt: 0,
      tipHeight: null,
    });
    expect((await r.source.getTx(A)).txid).toBe(A);
    expect(r.fake.asked).toEqual([esploraPath.tx(A)]);
    expect(r.cached.cacheCounts()).toMatchObject({ hits: 0, misses: 1, rejected: 1, stored: 1 });
  });

  it('serves bulk outspends per transaction and asks only for the rest', async () => {
    const store = open();
    const fake = new FakeTransport();
    fake.set(esploraPath.outspends(A), outspendsBody('x'));
    fake.set(esploraPath.outspendsMany([B]), `[${outspendsBody('y')}]`);
    const cached = new CachedTransport(fake, store);
    const source = new EsploraSource(cached, { bulkOutspends: true });
    await source.getOutspends(A); // a single request: cached as /tx/A/outspends
    const [a, b] = await source.getOutspendsMany([A, B]);
    expect(a![0]!.txid).toBe(hex64('x'));
    expect(b![0]!.txid).toBe(hex64('y'));
    expect(fake.asked).toEqual([esploraPath.outspends(A), esploraPath.outspendsMany([B])]);
    expect(cached.cacheCounts()).toMatchObject({ hits: 1, misses: 2, stored: 2 });

    const again = new CachedTransport(fake, store);
    const response = await again.get(esploraPath.outspendsMany([B, A]));
    expect(JSON.parse(response.body)).toEqual([
      JSON.parse(outspendsBody('y')),
      JSON.parse(outspendsBody('x')),
    ]);
    expect(fake.asked.length).toBe(2);
    expect(again.cacheCounts()).toMatchObject({ hits: 2, misses: 0 });
  });

  it('asks again for a whole bulk request when a cached slot fails the parser', async () => {
    const store = open();
    const fake = new FakeTransport();
    fake.set(esploraPath.outspendsMany([A, B]), `[${outspendsBody('x')},${outspendsBody('y')}]`);
    fake.set(esploraPath.outspendsMany([B]), `[${outspendsBody('y')}]`);
    const cached = new CachedTransport(fake, store);
    const bad = '[{"spent":"maybe"}]';
    store.put({
      origin: cached.origin,
      path: esploraPath.outspends(A),
      kind: 'outspends',
      body: bad,
      fetchedAt: Date.now(),
      tipHeight: null,
    });
    const source = new EsploraSource(cached, { bulkOutspends: true });
    const [a, b] = await source.getOutspendsMany([A, B]);
    expect([a![0]!.txid, b![0]!.txid]).toEqual([hex64('x'), hex64('y')]);
    // B alone first (A was cached); the merged answer fails on A's slot; then the whole request.
    expect(fake.asked).toEqual([esploraPath.outspendsMany([B]), esploraPath.outspendsMany([A, B])]);
    expect(store.get(cached.origin, esploraPath.outspends(A))!.body).toBe(outspendsBody('x'));
    expect(cached.cacheCounts()).toMatchObject({ rejected: 1, stored: 2 });
  });

  it('does not keep the empty slot of an unknown transaction in a bulk answer', async () => {
    const store = open();
    const fake = new FakeTransport().set(esploraPath.outspendsMany([A, B]), `[${outspendsBody(null)},[]]`);
    const cached = new CachedTransport(fake, store);
    await cached.get(esploraPath.outspendsMany([A, B]));
    expect(store.get(cached.origin, esploraPath.outspends(A))).not.toBeNull();
    expect(store.get(cached.origin, esploraPath.outspends(B))).toBeNull();
  });

  it('passes paths it does not know straight through', async () => {
    expect(pathKind('/mempool/recent')).toBeNull();
    expect(pathKind(`/address/bc1qabc/txs/chain/${A}`)).toBe('address-txs');
    expect(pathKind(`/txs/outspends?txids=${A},${B}`)).toBe('bulk-outspends');
    const store = open();
    const fake = new FakeTransport().set('/mempool/recent', '[]');
    const cached = new CachedTransport(fake, store);
    await cached.get('/mempool/recent');
    await cached.get('/mempool/recent');
    expect(fake.asked.length).toBe(2);
    expect(cached.cacheCounts()).toMatchObject({ hits: 0, misses: 0 });
  });
});

describe('damaged and locked cache files', () => {
  it('moves a file of garbage aside, warns, and answers correctly after', async () => {
    writeFileSync(cacheFile(dir), 'this is not a database, it is a shopping list\n'.repeat(50));
    const warnings: string[] = [];
    const c = clock();
    const store = open({ onWarning: (w) => warnings.push(w), now: c.now });
    const aside = `${cacheFile(dir)}.corrupt-20260101T000000Z`;
    expect(warnings).toEqual([
      `cache file ${cacheFile(dir)} is not a readable SQLite database (file is not a database); ` +
        `moved it to ${aside} and started an empty cache`,
    ]);
    expect(readFileSync(aside, 'utf8').startsWith('this is not a database')).toBe(true);
    const r = run(store);
    expect((await r.source.getTx(A)).vout[1]!.value).toBe(20_000);
    expect((await run(store).source.getTx(A)).vout[0]!.value).toBe(10_000);
    expect(store.quickCheck()).toBe('ok');
    expect(cacheStats(dir).movedAside).toEqual([aside]);
  });

  it('rebuilds a SQLite file whose pages were overwritten', async () => {
    const s1 = CacheStore.open(cacheFile(dir));
    for (let i = 0; i < 300; i++) {
      s1.put({
        origin: 'o',
        path: `/tx/${hex64(String(i))}`,
        kind: 'tx',
        body: 'x'.repeat(500),
        fetchedAt: i,
        tipHeight: null,
      });
    }
    s1.close();
    const bytes = readFileSync(cacheFile(dir));
    bytes.fill(0x41, 4096 * 3, 4096 * 3 + 3000);
    writeFileSync(cacheFile(dir), bytes);
    const warnings: string[] = [];
    const store = open({ onWarning: (w) => warnings.push(w) });
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toMatch(
      /failed its integrity check .*moved it to .*\.corrupt-\d{8}T\d{6}Z and started an empty cache/,
    );
    expect(store.summary().size).toBe(0);
    expect((await run(store).source.getTx(A)).txid).toBe(A);
  });

  it('rebuilds a cache of another schema version', () => {
    const db = new Database(cacheFile(dir));
    db.exec(
      "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schema_version', '99')",
    );
    db.exec('CREATE TABLE entries (k TEXT PRIMARY KEY, v BLOB)');
    db.close();
    const warnings: string[] = [];
    const store = open({ onWarning: (w) => warnings.push(w) });
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toContain('has cache schema version 99, this btctrace uses 1; moved it to');
    expect(store.quickCheck()).toBe('ok');
  });

  it('reports a file locked by another process clearly', () => {
    open().close();
    const holder = new Database(cacheFile(dir));
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec("INSERT INTO meta VALUES ('held', 'yes')"); // takes the exclusive lock and keeps it
    try {
      const started = Date.now();
      let error: unknown;
      try {
        CacheStore.open(cacheFile(dir), { busyTimeoutMs: 50 });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CacheLockedError);
      expect((error as Error).message).toBe(
        `cache file ${cacheFile(dir)} is locked by another process (waited for the busy timeout); ` +
          'wait for it to finish, or run with --no-cache or another --cache-dir',
      );
      expect(Date.now() - started).toBeLessThan(2000);
      expect(readdirSync(dir).some((f) => f.includes('corrupt'))).toBe(false); // not mistaken for damage
    } finally {
      holder.close();
    }
  });

  it('a write lock held mid-run: the store throws, the transport warns once and still answers', async () => {
    const store = open({ busyTimeoutMs: 50 });
    const holder = new Database(cacheFile(dir));
    holder.exec('BEGIN IMMEDIATE');
    try {
      expect(() =>
        store.put({
          origin: 'o',
          path: '/blocks/tip/height',
          kind: 'tip-height',
          body: '1',
          fetchedAt: 0,
          tipHeight: null,
        }),
      ).toThrow(CacheLockedError);
      const r = run(store);
      expect((await r.source.getTx(A)).txid).toBe(A);
      expect((await r.source.getOutspends(A)).length).toBe(2);
      expect(r.cached.cacheCounts()).toMatchObject({ misses: 2, stored: 0 });
      expect(r.warnings.length).toBe(1);
      expect(r.warnings[0]).toContain('is locked by another process');
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });
});

describe('cache location, stats and clear', () => {
  it.each([
    ['linux', { XDG_CACHE_HOME: '/xdg' }, '/xdg/btctrace'],
    ['linux', { XDG_CACHE_HOME: 'relative/ignored' }, '/home/ana/.cache/btctrace'],
    ['linux', {}, '/home/ana/.cache/btctrace'],
    ['freebsd', {}, '/home/ana/.cache/btctrace'],
    ['darwin', { XDG_CACHE_HOME: '/xdg' }, '/home/ana/Library/Caches/btctrace'],
    [
      'win32',
      { LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' },
      'C:\\Users\\ana\\AppData\\Local\\btctrace\\cache',
    ],
    ['win32', { USERPROFILE: 'D:\\ana' }, 'D:\\ana\\AppData\\Local\\btctrace\\cache'],
  ] as const)('%s %j -> %s', (platform, env, expected) => {
    expect(defaultCacheDir(env, platform, '/home/ana')).toBe(expected);
  });

  it('reports a missing cache without creating it', () => {
    const where = join(dir, 'not-yet');
    expect(cacheStats(where)).toMatchObject({
      exists: false,
      entries: 0,
      bytes: 0,
      oldest: null,
      movedAside: [],
    });
    expect(existsSync(where)).toBe(false);
  });

  it('counts entries by kind, and clear empties the file and removes moved-aside files', async () => {
    const c = clock();
    const cache = openCache({ dir, now: c.now });
    const fake = new FakeTransport();
    fake.set(esploraPath.tx(A), txBody('a')).set(esploraPath.tx(B), txBody('b', false));
    fake.set(esploraPath.outspends(A), outspendsBody(null)).set(esploraPath.txHex(A), '0200');
    const source = new EsploraSource(cache.wrapTransport(fake));
    await source.getTx(A);
    c.t += 5000;
    await source.getTx(B);
    await source.getOutspends(A);
    await source.getTxHex(A);
    expect(cache.counts()).toMatchObject({ misses: 4, stored: 4 });
    cache.close();
    writeFileSync(`${cacheFile(dir)}.corrupt-20250101T000000Z`, 'old damage');

    const stats = cacheStats(dir);
    expect(stats).toMatchObject({
      file: cacheFile(dir),
      exists: true,
      schemaVersion: 1,
      entries: 4,
      byKind: {
        tx: 1,
        'tx-unconfirmed': 1,
        'tx-hex': 1,
        outspends: 1,
        address: 0,
        'address-txs': 0,
        'tip-height': 0,
      },
      oldest: '2026-01-01T00:00:00.000Z',
      newest: '2026-01-01T00:00:05.000Z',
      movedAside: [`${cacheFile(dir)}.corrupt-20250101T000000Z`],
    });
    expect(stats.bytes).toBeGreaterThan(4096);

    const cleared = clearCache(dir);
    expect(cleared).toMatchObject({
      entriesRemoved: 4,
      filesRemoved: [`${cacheFile(dir)}.corrupt-20250101T000000Z`],
    });
    expect(cacheStats(dir)).toMatchObject({ exists: true, entries: 0, movedAside: [] });
    expect(readdirSync(dir).filter((f) => f.includes('corrupt'))).toEqual([]);
  });
});
