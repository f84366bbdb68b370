import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BadRequestError, IntegrityError, NotFoundError } from '../../src/sources/errors.js';
import { EsploraSource } from '../../src/sources/esplora.js';
import { HttpTransport } from '../../src/sources/http.js';
import { memoized } from '../../src/sources/memo.js';
import { fakeOutspends, fakeTx, hasRealdata, hex64, readRecorded, txidOf, virtualClock } from './helpers.js';

const HOST = 'https://esplora.test';
const BASE = `${HOST}/api`;

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

function http(baseUrl = BASE, concurrency = 8) {
  const clock = virtualClock();
  return new HttpTransport({ baseUrl, concurrency, sleep: clock.sleep, now: clock.now, random: () => 0.5 });
}

function source(opts: { bulk?: boolean } = {}) {
  const t = http();
  return { src: new EsploraSource(t, { bulkOutspends: opts.bulk ?? false }), t };
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('EsploraSource endpoints', () => {
  it('getTx, getTxHex, getOutspends, getAddressStats, getTipHeight', async () => {
    const id = txidOf('a');
    const stats = {
      address: 'bc1qexample',
      chain_stats: {
        funded_txo_count: 2,
        funded_txo_sum: 150_000,
        spent_txo_count: 1,
        spent_txo_sum: 50_000,
        tx_count: 3,
      },
      mempool_stats: {
        funded_txo_count: 0,
        funded_txo_sum: 0,
        spent_txo_count: 0,
        spent_txo_sum: 0,
        tx_count: 0,
      },
    };
    nock(HOST)
      .get(`/api/tx/${id}`)
      .reply(200, JSON.stringify(fakeTx('a', { outputs: 3 })))
      .get(`/api/tx/${id}/hex`)
      .reply(200, '0200000001ab')
      .get(`/api/tx/${id}/outspends`)
      .reply(200, JSON.stringify(fakeOutspends('a', 3)))
      .get('/api/address/bc1qexample')
      .reply(200, JSON.stringify(stats))
      .get('/api/blocks/tip/height')
      .reply(200, '955873');
    const { src } = source();
    const tx = await src.getTx(id);
    expect(tx.vout.map((o) => o.value)).toEqual([10_000, 20_000, 30_000]);
    expect(await src.getTxHex(id)).toBe('0200000001ab');
    const spends = await src.getOutspends(id);
    expect(spends.map((s) => [s.spent, s.vin])).toEqual([
      [true, 0],
      [false, null],
      [true, 2],
    ]);
    const a = await src.getAddressStats('bc1qexample');
    expect(a.chain.fundedTxoSum - a.chain.spentTxoSum).toBe(100_000);
    expect(await src.getTipHeight()).toBe(955_873);
    expect(src.stats()).toEqual({ requests: 5, retries: 0, memoHits: 0, repeated: 0 });
    expect(src.description).toBe(`esplora ${BASE}`);
  });

  it('an uppercase txid is asked in lowercase; a malformed one is refused without a request', async () => {
    const id = txidOf('u');
    nock(HOST)
      .get(`/api/tx/${id}`)
      .reply(200, JSON.stringify(fakeTx('u')));
    const { src } = source();
    expect((await src.getTx(id.toUpperCase())).txid).toBe(id);
    const e = await rejection(src.getTx('../address/x'));
    expect(e).toBeInstanceOf(BadRequestError);
    expect(e.message).toBe('"../address/x" is not a transaction id (64 hex digits)');
    await expect(src.getOutspends('nope')).rejects.toThrow('"nope" is not a transaction id');
    expect(src.stats().requests).toBe(1);
  });

  it('an answer for another txid is an IntegrityError', async () => {
    const id = txidOf('asked');
    nock(HOST)
      .get(`/api/tx/${id}`)
      .reply(200, JSON.stringify(fakeTx('other')));
    const e = await rejection(source().src.getTx(id));
    expect(e).toBeInstanceOf(IntegrityError);
    expect(e.message).toBe(`/tx/${id}: asked for ${id}, the explorer answered ${txidOf('other')}`);
  });

  it('outspends must have one entry per output of the tx', async () => {
    const id = txidOf('m');
    nock(HOST)
      .get(`/api/tx/${id}`)
      .reply(200, JSON.stringify(fakeTx('m', { outputs: 3 })))
      .get(`/api/tx/${id}/outspends`)
      .reply(200, JSON.stringify(fakeOutspends('m', 2)));
    const { src } = source();
    await src.getTx(id);
    const e = await rejection(src.getOutspends(id));
    expect(e).toBeInstanceOf(IntegrityError);
    expect(e.message).toBe(
      `/tx/${id}/outspends: transaction ${id} has 3 outputs but the explorer listed 2 outspends`,
    );
  });

  it('404 Transaction not found passes through as NotFoundError, one request', async () => {
    const id = txidOf('missing');
    nock(HOST).get(`/api/tx/${id}`).reply(404, 'Transaction not found');
    const { src } = source();
    const e = await rejection(src.getTx(id));
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e.message).toBe(`${BASE}: /tx/${id}: HTTP 404: Transaction not found`);
    expect(src.stats().requests).toBe(1);
  });

  it('400 Invalid Bitcoin address passes through as BadRequestError, one request', async () => {
    nock(HOST).get('/api/address/1BadAddr/txs').reply(400, 'Invalid Bitcoin address');
    const { src } = source();
    const e = await rejection(src.getAddressHistory('1BadAddr', 100));
    expect(e).toBeInstanceOf(BadRequestError);
    expect(e.message).toBe(`${BASE}: /address/1BadAddr/txs: HTTP 400: Invalid Bitcoin address`);
    expect(src.stats().requests).toBe(1);
  });
});

const PAGING = 'esplora/paging_bc1qvszz';
const VSZZ = 'bc1qvszzhppfy5r206kyy6rfncn4mzyt6mtg2ax8qu';

/** Serves a {call,url,status,body} recording at its URL, `times` times. */
function serveRecorded(rel: string, times = 1): { path: string; count: number } {
  const rec = readRecorded(rel);
  const url = new URL(rec.url);
  nock(url.origin).get(url.pathname).times(times).reply(rec.status, JSON.stringify(rec.body));
  return { path: url.pathname, count: (rec.body as unknown[]).length };
}

describe.skipIf(!hasRealdata)('address history paging on the real blockstream.info recording', () => {
  const base = 'https://blockstream.info/api';

  it('page 1 (25 txs) then /txs/chain/9c7614b5… (23 txs, the last page): 48 txs, complete', async () => {
    const p1 = serveRecorded(`${PAGING}/000.json`);
    const p2 = serveRecorded(`${PAGING}/002.json`);
    expect([p1.count, p2.count]).toEqual([25, 23]);
    expect(p2.path).toBe(
      `/api/address/${VSZZ}/txs/chain/9c7614b55feea62555fed7063e20fae5b09cec3c3ff391a689deae6db8945208`,
    );
    const src = new EsploraSource(http(base));
    const h = await src.getAddressHistory(VSZZ, 1000);
    expect(h.complete).toBe(true);
    expect(h.txs.length).toBe(48);
    expect(new Set(h.txs.map((t) => t.txid)).size).toBe(48);
    expect(h.txs[0]!.txid).toBe('fa5fe3f68eef7e95e45c55d8776b27083af8e661257ec28b69608871c627b17d');
    expect(h.txs[0]!.status.height).toBe(969_635);
    expect(h.txs[47]!.status.height).toBe(965_674);
    // Newest first throughout.
    for (let k = 1; k < 48; k++)
      expect(h.txs[k]!.status.height!).toBeLessThanOrEqual(h.txs[k - 1]!.status.height!);
    expect(src.stats()).toEqual({ requests: 2, retries: 0, memoHits: 0, repeated: 0 });
  });

  it.each([
    [25, 25, 1],
    [30, 30, 2],
    [47, 47, 2],
  ])('maxTxs %i: %i txs, complete false, %i requests', async (maxTxs, n, requests) => {
    serveRecorded(`${PAGING}/000.json`);
    serveRecorded(`${PAGING}/002.json`);
    const src = new EsploraSource(http(base));
    const h = await src.getAddressHistory(VSZZ, maxTxs);
    expect(h.txs.length).toBe(n);
    expect(h.complete).toBe(false);
    expect(src.stats().requests).toBe(requests);
  });

  it('maxTxs 48 is exactly the whole history: complete', async () => {
    serveRecorded(`${PAGING}/000.json`);
    serveRecorded(`${PAGING}/002.json`);
    const h = await new EsploraSource(http(base)).getAddressHistory(VSZZ, 48);
    expect([h.txs.length, h.complete]).toEqual([48, true]);
  });

  it('a one-tx history (003.json) needs one request', async () => {
    serveRecorded(`${PAGING}/003.json`);
    const src = new EsploraSource(http(base));
    const h = await src.getAddressHistory('bc1qctu93ppcegfwh2fqfgzsf3jsqu23x7wkacxw7s', 1000);
    expect(h.txs.map((t) => t.txid.slice(0, 8))).toEqual(['fa5fe3f6']);
    expect(h.complete).toBe(true);
    expect(src.stats().requests).toBe(1);
  });
});

describe('address history paging, mempool.space style (synthetic)', () => {
  const ADDR = 'bc1qpaging';
  /** n confirmed txs named c<k>, newest first, heights descending. */
  const confirmed = (from: number, n: number) =>
    Array.from({ length: n }, (_, k) => fakeTx(`c${from + k}`, { height: 900_000 - from - k }));

  it('page 1 = 3 mempool + 47 confirmed (50 in all) continues from the last confirmed txid', async () => {
    const page1 = [...[0, 1, 2].map((k) => fakeTx(`m${k}`, { confirmed: false })), ...confirmed(0, 47)];
    nock(HOST)
      .get(`/api/address/${ADDR}/txs`)
      .reply(200, JSON.stringify(page1))
      .get(`/api/address/${ADDR}/txs/chain/${txidOf('c46')}`)
      .reply(200, JSON.stringify(confirmed(47, 25)))
      .get(`/api/address/${ADDR}/txs/chain/${txidOf('c71')}`)
      .reply(200, JSON.stringify(confirmed(72, 4)));
    const { src } = source();
    const h = await src.getAddressHistory(ADDR, 1000);
    expect(h.txs.length).toBe(3 + 47 + 25 + 4);
    expect(h.complete).toBe(true);
    expect(h.txs.slice(0, 4).map((t) => t.status.confirmed)).toEqual([false, false, false, true]);
    expect(h.txs.at(-1)!.txid).toBe(txidOf('c75'));
    expect(src.stats().requests).toBe(3);
  });

  it('a full chain page followed by [] ends the history', async () => {
    nock(HOST)
      .get(`/api/address/${ADDR}/txs`)
      .reply(200, JSON.stringify(confirmed(0, 25)))
      .get(`/api/address/${ADDR}/txs/chain/${txidOf('c24')}`)
      .reply(200, '[]');
    const { src } = source();
    const h = await src.getAddressHistory(ADDR, 1000);
    expect([h.txs.length, h.complete, src.stats().requests]).toEqual([25, true, 2]);
  });

  it('page 1 with 49 txs of which 24 confirmed is the whole history', async () => {
    const page1 = [
      ...Array.from({ length: 25 }, (_, k) => fakeTx(`m${k}`, { confirmed: false })),
      ...confirmed(0, 24),
    ];
    nock(HOST).get(`/api/address/${ADDR}/txs`).reply(200, JSON.stringify(page1));
    const { src } = source();
    const h = await src.getAddressHistory(ADDR, 1000);
    expect([h.txs.length, h.complete, src.stats().requests]).toEqual([49, true, 1]);
  });

  it('50 mempool txs and nothing confirmed on page 1: confirmed history from /txs/chain, marked incomplete', async () => {
    const page1 = Array.from({ length: 50 }, (_, k) => fakeTx(`m${k}`, { confirmed: false }));
    nock(HOST)
      .get(`/api/address/${ADDR}/txs`)
      .reply(200, JSON.stringify(page1))
      .get(`/api/address/${ADDR}/txs/chain`)
      .reply(200, JSON.stringify(confirmed(0, 3)));
    const { src } = source();
    const h = await src.getAddressHistory(ADDR, 1000);
    expect(h.txs.length).toBe(53);
    // Esplora lists at most 50 unconfirmed transactions: more may exist.
    expect(h.complete).toBe(false);
  });

  it('a tx confirmed between pages appears once, as confirmed', async () => {
    const page1 = [fakeTx('x', { confirmed: false }), ...confirmed(0, 49)];
    const page2 = [fakeTx('x', { height: 899_000 }), ...confirmed(49, 2)];
    nock(HOST)
      .get(`/api/address/${ADDR}/txs`)
      .reply(200, JSON.stringify(page1))
      .get(`/api/address/${ADDR}/txs/chain/${txidOf('c48')}`)
      .reply(200, JSON.stringify(page2));
    const h = await source().src.getAddressHistory(ADDR, 1000);
    expect(h.txs.length).toBe(52);
    const x = h.txs.filter((t) => t.txid === txidOf('x'));
    expect(x.length).toBe(1);
    expect(x[0]!.status.height).toBe(899_000);
    expect(h.txs.findIndex((t) => t.txid === txidOf('x'))).toBe(49);
  });

  it('a host that repeats the same full page ends the history as an integrity error', async () => {
    nock(HOST)
      .get(`/api/address/${ADDR}/txs`)
      .reply(200, JSON.stringify(confirmed(0, 25)))
      .get(`/api/address/${ADDR}/txs/chain/${txidOf('c24')}`)
      .reply(200, JSON.stringify(confirmed(0, 25)));
    await expect(source().src.getAddressHistory(ADDR, 1000)).rejects.toThrow(
      /history of bc1qpaging loops: this page repeats transactions already listed \(after 2 pages\)/,
    );
  });

  it('a two-page cursor loop (A -> B -> A) ends after 3 requests, not forever', async () => {
    const scope = nock(HOST)
      .get(`/api/address/${ADDR}/txs`)
      .reply(200, JSON.stringify(confirmed(0, 25)))
      .get(`/api/address/${ADDR}/txs/chain/${txidOf('c24')}`)
      .reply(200, JSON.stringify(confirmed(25, 25)))
      .get(`/api/address/${ADDR}/txs/chain/${txidOf('c49')}`)
      .reply(200, JSON.stringify(confirmed(0, 25)));
    const { src } = source();
    await expect(src.getAddressHistory(ADDR, 1000)).rejects.toThrow(
      /loops: this page repeats transactions already listed \(after 3 pages\)/,
    );
    expect(scope.isDone()).toBe(true);
    expect(src.stats().requests).toBe(3);
  });

  it('a page of new transactions whose last one is a cursor already used is a loop', async () => {
    nock(HOST)
      .get(`/api/address/${ADDR}/txs`)
      .reply(200, JSON.stringify(confirmed(0, 25)))
      .get(`/api/address/${ADDR}/txs/chain/${txidOf('c24')}`)
      .reply(200, JSON.stringify([...confirmed(25, 24), ...confirmed(24, 1)]));
    await expect(source().src.getAddressHistory(ADDR, 1000)).rejects.toThrow(
      `leads back to ${txidOf('c24')}, a page already read (after 2 pages)`,
    );
  });

  it('a page with one new transaction is not a loop (the boundary of the rule)', async () => {
    // page 2 repeats 24 of page 1 and adds one: progress, so paging goes on to its end
    const page2 = [...confirmed(1, 24), ...confirmed(25, 1)];
    nock(HOST)
      .get(`/api/address/${ADDR}/txs`)
      .reply(200, JSON.stringify(confirmed(0, 25)))
      .get(`/api/address/${ADDR}/txs/chain/${txidOf('c24')}`)
      .reply(200, JSON.stringify(page2))
      .get(`/api/address/${ADDR}/txs/chain/${txidOf('c25')}`)
      .reply(200, JSON.stringify(confirmed(26, 3)));
    const h = await source().src.getAddressHistory(ADDR, 1000);
    expect([h.txs.length, h.complete]).toEqual([29, true]);
  });

  it('rejects a maxTxs that is not a positive integer', async () => {
    await expect(source().src.getAddressHistory(ADDR, 0)).rejects.toThrow(
      'maxTxs must be a positive integer, got 0',
    );
  });
});

describe('bulk outspends (/txs/outspends?txids=)', () => {
  it('3 concurrent getOutspends -> 1 request; answers by txid', async () => {
    const ids = ['p', 'q', 'r'].map(txidOf);
    const scope = nock(HOST)
      .get('/api/txs/outspends')
      .query({ txids: ids.join(',') })
      .reply(200, JSON.stringify([fakeOutspends('p', 1), fakeOutspends('q', 2), fakeOutspends('r', 3)]));
    const { src } = source({ bulk: true });
    const lists = await Promise.all(ids.map((id) => src.getOutspends(id)));
    expect(lists.map((l) => l.length)).toEqual([1, 2, 3]);
    expect(lists[2]![2]!.txid).toBe(txidOf('r spender 2'));
    expect(scope.isDone()).toBe(true);
    expect(src.stats()).toEqual({ requests: 1, retries: 0, memoHits: 0, repeated: 0 });
  });

  it('120 txids go out as 50 + 50 + 20', async () => {
    const ids = Array.from({ length: 120 }, (_, k) => txidOf(`b${k}`));
    const sizes: number[] = [];
    nock(HOST)
      .get('/api/txs/outspends')
      .query(true)
      .times(3)
      .reply((uri) => {
        const txids = new URL(uri, HOST).searchParams.get('txids')!.split(',');
        sizes.push(txids.length);
        return [200, JSON.stringify(txids.map(() => fakeOutspends('z', 2)))];
      });
    const { src } = source({ bulk: true });
    const lists = await src.getOutspendsMany(ids);
    expect(lists.length).toBe(120);
    expect(sizes.sort((a, b) => b - a)).toEqual([50, 50, 20]);
    expect(src.stats().requests).toBe(3);
  });

  it('an empty slot is NotFoundError for that txid only', async () => {
    const ids = ['ok1', 'unknown', 'ok2'].map(txidOf);
    nock(HOST)
      .get('/api/txs/outspends')
      .query(true)
      .reply(200, JSON.stringify([fakeOutspends('ok1', 1), [], fakeOutspends('ok2', 1)]));
    const { src } = source({ bulk: true });
    const results = await Promise.allSettled(ids.map((id) => src.getOutspends(id)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const e = (results[1] as PromiseRejectedResult).reason as NotFoundError;
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e.resource).toBe(`/tx/${ids[1]}/outspends`);
    expect(e.message).toMatch(new RegExp(`^/tx/${ids[1]}/outspends: Transaction not found`));
  });

  it('a single pending txid uses /tx/:txid/outspends', async () => {
    const id = txidOf('solo');
    nock(HOST)
      .get(`/api/tx/${id}/outspends`)
      .reply(200, JSON.stringify(fakeOutspends('solo', 2)));
    const { src } = source({ bulk: true });
    expect((await src.getOutspends(id)).length).toBe(2);
  });

  it('a host without the bulk endpoint (404) falls back to per-tx requests for good', async () => {
    const ids = ['f1', 'f2'].map(txidOf);
    nock(HOST)
      .get('/api/txs/outspends')
      .query(true)
      .reply(404, 'endpoint does not exist "/txs/outspends"')
      .get(`/api/tx/${ids[0]}/outspends`)
      .reply(200, JSON.stringify(fakeOutspends('f1', 1)))
      .get(`/api/tx/${ids[1]}/outspends`)
      .reply(200, JSON.stringify(fakeOutspends('f2', 1)))
      .get(`/api/tx/${txidOf('f3')}/outspends`)
      .reply(200, JSON.stringify(fakeOutspends('f3', 1)))
      .get(`/api/tx/${txidOf('f4')}/outspends`)
      .reply(200, JSON.stringify(fakeOutspends('f4', 1)));
    const { src } = source({ bulk: true });
    expect((await src.getOutspendsMany(ids)).length).toBe(2);
    expect((await src.getOutspendsMany(['f3', 'f4'].map(txidOf))).length).toBe(2);
    expect(src.stats()).toEqual({ requests: 5, retries: 0, memoHits: 0, repeated: 0 });
  });

  it('a bulk answer with the wrong number of slots is retried as malformed', async () => {
    const ids = ['w1', 'w2'].map(txidOf);
    nock(HOST)
      .get('/api/txs/outspends')
      .query(true)
      .reply(200, JSON.stringify([fakeOutspends('w1', 1)]))
      .get('/api/txs/outspends')
      .query(true)
      .reply(200, JSON.stringify([fakeOutspends('w1', 1), fakeOutspends('w2', 1)]));
    const { src, t } = source({ bulk: true });
    expect((await src.getOutspendsMany(ids)).length).toBe(2);
    expect(t.stats()).toEqual({ requests: 2, retries: 1 });
  });
});

describe('in-flight de-duplication (memoized source)', () => {
  it('10 concurrent getTx of one txid -> 1 request, repeated 0, 9 memo hits', async () => {
    const id = txidOf('dup');
    const scope = nock(HOST)
      .get(`/api/tx/${id}`)
      .delay(20)
      .reply(200, JSON.stringify(fakeTx('dup')));
    const src = memoized(new EsploraSource(http()));
    const txs = await Promise.all(Array.from({ length: 10 }, () => src.getTx(id)));
    expect(new Set(txs).size).toBe(1);
    expect(scope.isDone()).toBe(true);
    expect(src.stats()).toEqual({ requests: 1, retries: 0, memoHits: 9, repeated: 0 });
  });

  it('without the memo, asking twice is counted in repeated', async () => {
    const id = txidOf('twice');
    nock(HOST)
      .get(`/api/tx/${id}`)
      .times(2)
      .reply(200, JSON.stringify(fakeTx('twice')));
    const { src } = source();
    await src.getTx(id);
    await src.getTx(id);
    expect(src.stats()).toEqual({ requests: 2, retries: 0, memoHits: 0, repeated: 1 });
  });

  it('memo + bulk: getOutspendsMany over known and new txids asks only the new ones, in one request', async () => {
    const ids = ['k1', 'k2', 'k3', 'k4'].map(txidOf);
    nock(HOST)
      .get('/api/txs/outspends')
      .query({ txids: `${ids[0]},${ids[1]}` })
      .reply(200, JSON.stringify([fakeOutspends('k1', 1), fakeOutspends('k2', 1)]))
      .get('/api/txs/outspends')
      .query({ txids: `${ids[2]},${ids[3]}` })
      .reply(200, JSON.stringify([fakeOutspends('k3', 1), fakeOutspends('k4', 1)]));
    const src = memoized(new EsploraSource(http(), { bulkOutspends: true }));
    await src.getOutspendsMany(ids.slice(0, 2));
    const all = await src.getOutspendsMany(ids);
    expect(all.map((l) => l[0]!.txid)).toEqual(['k1', 'k2', 'k3', 'k4'].map((n) => txidOf(`${n} spender 0`)));
    expect(src.stats()).toEqual({ requests: 2, retries: 0, memoHits: 2, repeated: 0 });
  });

  it('hex64 helper is deterministic (fixture sanity)', () => {
    expect(hex64('x')).toBe('2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881');
  });
});
