import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryTransport, RecordingTransport } from '../../src/sources/directory.js';
import { NotRecordedError, UnavailableError } from '../../src/sources/errors.js';
import { EsploraSource } from '../../src/sources/esplora.js';
import { HttpTransport } from '../../src/sources/http.js';
import { createSource } from '../../src/sources/index.js';
import { ESPLORA, fakeOutspends, fakeTx, hasRealdata, txidOf, virtualClock } from './helpers.js';

const HOST = 'https://esplora.test';
const BASE = `${HOST}/api`;
const dirs: string[] = [];

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'btctrace-rec-'));
  dirs.push(d);
  return d;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('DirectoryTransport', () => {
  it('a missing file is NotRecordedError naming the file and the resource', async () => {
    const id = txidOf('absent');
    const src = new EsploraSource(new DirectoryTransport(tempDir()));
    const e = await rejection(src.getTx(id));
    expect(e).toBeInstanceOf(NotRecordedError);
    expect(e.message).toBe(`not in the recording: tx_${id}.json (GET /tx/${id})`);
    await expect(src.getTipHeight()).rejects.toThrow(
      'not in the recording: blocks_tip_height.txt (GET /blocks/tip/height)',
    );
  });

  it('bulk paths have no recording file', async () => {
    const t = new DirectoryTransport(tempDir());
    await expect(t.get('/txs/outspends?txids=a,b')).rejects.toThrow(
      'not in the recording: no file for GET /txs/outspends?txids=a,b',
    );
  });

  it('a malformed recorded file fails with the resource named, without retries', async () => {
    const dir = tempDir();
    const id = txidOf('broken');
    writeFileSync(join(dir, `tx_${id}.json`), JSON.stringify(fakeTx('broken')).slice(0, 50));
    const t = new DirectoryTransport(dir);
    const e = await rejection(new EsploraSource(t).getTx(id));
    expect(e).toBeInstanceOf(UnavailableError);
    expect(e.message).toMatch(new RegExp(`^/tx/${id}: body is not valid JSON`));
    expect(t.stats()).toEqual({ requests: 1, retries: 0 });
  });

  it.skipIf(!hasRealdata)('answers from the real Colonial Pipeline recording', async () => {
    const src = createSource({ offline: join(ESPLORA, 'colonial_pipeline') });
    expect(src.description).toBe(`esplora offline ${join(ESPLORA, 'colonial_pipeline')}`);
    expect(await src.getTipHeight()).toBe(955_873);
    const ransom = '15JFh88FcE4WL6qeMLgX5VEAFCbRXjc9fr';
    const stats = await src.getAddressStats(ransom);
    expect(stats.chain.fundedTxoSum).toBe(7_500_050_000);
    const h = await src.getAddressHistory(ransom, 100);
    expect(h.complete).toBe(true);
    expect(h.txs.length).toBe(3);
    // The received outputs sum to funded_txo_sum.
    let received = 0;
    for (const tx of h.txs) for (const o of tx.vout) if (o.address === ransom) received += o.value;
    expect(received).toBe(7_500_050_000);
    expect(src.stats()).toMatchObject({ requests: 3, retries: 0, repeated: 0 });
  });
});

describe('RecordingTransport: record live, then answer offline identically', () => {
  it('round trip through nock: tx, hex, outspends (bulk, stored per txid), stats, history, tip', async () => {
    const dir = join(tempDir(), 'nested', 'case-42'); // created on first write
    const [a, b, c] = ['ra', 'rb', 'rc'].map(txidOf) as [string, string, string];
    const addr = 'bc1qrecorded';
    const stats = {
      address: addr,
      chain_stats: {
        funded_txo_count: 1,
        funded_txo_sum: 10_000,
        spent_txo_count: 0,
        spent_txo_sum: 0,
        tx_count: 1,
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
      .get(`/api/tx/${a}`)
      .reply(200, JSON.stringify(fakeTx('ra', { outputs: 2 })))
      .get(`/api/tx/${a}/hex`)
      .reply(200, '0100')
      .get('/api/txs/outspends')
      .query({ txids: [a, b, c].join(',') })
      .reply(200, JSON.stringify([fakeOutspends('ra', 2), fakeOutspends('rb', 1), fakeOutspends('rc', 3)]))
      .get(`/api/address/${addr}`)
      .reply(200, JSON.stringify(stats))
      .get(`/api/address/${addr}/txs`)
      .reply(200, JSON.stringify([fakeTx('ra', { address: addr })]))
      .get('/api/blocks/tip/height')
      .reply(200, '955900');

    const clock = virtualClock();
    const live = createSource({
      apiUrl: BASE,
      record: dir,
      bulkOutspends: true,
      sleep: clock.sleep,
      now: clock.now,
    });
    const ask = async (src: typeof live) => ({
      tx: await src.getTx(a),
      hex: await src.getTxHex(a),
      spends: await src.getOutspendsMany([a, b, c]),
      stats: await src.getAddressStats(addr),
      history: await src.getAddressHistory(addr, 100),
      tip: await src.getTipHeight(),
    });
    const recorded = await ask(live);
    expect(live.stats()).toMatchObject({ requests: 6, repeated: 0 });

    expect(readdirSync(dir).sort()).toEqual(
      [
        `address_${addr}.json`,
        `address_${addr}_txs.json`,
        'blocks_tip_height.txt',
        `tx_${a}.json`,
        `tx_${a}_hex.txt`,
        `tx_${a}_outspends.json`,
        `tx_${b}_outspends.json`,
        `tx_${c}_outspends.json`,
      ].sort(),
    );
    // Per-tx files hold the bulk slot as the per-tx endpoint would have answered it.
    expect(JSON.parse(readFileSync(join(dir, `tx_${c}_outspends.json`), 'utf8'))).toEqual(
      fakeOutspends('rc', 3),
    );
    expect(readFileSync(join(dir, 'blocks_tip_height.txt'), 'utf8')).toBe('955900');

    nock.cleanAll(); // offline must not touch the network
    const offline = createSource({ offline: dir });
    expect(await ask(offline)).toEqual(recorded);
    expect(recorded.spends.map((l) => l.length)).toEqual([2, 1, 3]);
    expect(offline.stats()).toMatchObject({ requests: 8, retries: 0, repeated: 0 });
  });

  it('errors are not recorded, and a retried malformed body is not either', async () => {
    const dir = tempDir();
    const id = txidOf('flaky');
    const good = JSON.stringify(fakeTx('flaky'));
    const missing = txidOf('gone');
    nock(HOST)
      .get(`/api/tx/${id}`)
      .reply(200, good.slice(0, 60))
      .get(`/api/tx/${id}`)
      .reply(200, good)
      .get(`/api/tx/${missing}`)
      .reply(404, 'Transaction not found');
    const clock = virtualClock();
    const http = new HttpTransport({ baseUrl: BASE, sleep: clock.sleep, now: clock.now });
    const rec = new RecordingTransport(http, dir);
    const src = new EsploraSource(rec, { recorder: rec });
    await src.getTx(id);
    await expect(src.getTx(missing)).rejects.toThrow('HTTP 404: Transaction not found');
    expect(readdirSync(dir)).toEqual([`tx_${id}.json`]); // no temp files left, no 404 file
    expect(readFileSync(join(dir, `tx_${id}.json`), 'utf8')).toBe(good);
  });

  it('writes go through temp file + rename: concurrent writes leave one whole file, no temp files', async () => {
    const dir = tempDir();
    const rec = new RecordingTransport(new DirectoryTransport(tempDir()), dir);
    const big = 'x'.repeat(1 << 20);
    await Promise.all(Array.from({ length: 8 }, () => rec.record('/tx/' + 'a'.repeat(64), big)));
    expect(readdirSync(dir)).toEqual([`tx_${'a'.repeat(64)}.json`]);
    expect(readFileSync(join(dir, `tx_${'a'.repeat(64)}.json`), 'utf8').length).toBe(1 << 20);
  });
});
