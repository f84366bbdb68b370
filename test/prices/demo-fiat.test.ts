// The demo case with --fiat: fixed prices (fixtures/prices) give totals worked out independently
// (Python's decimal module, half up, and again here in plain bigint arithmetic per row); the
// explorer's price history served by nock gives the same fiat columns as a prices file holding
// the same prices; without --fiat the CSV has exactly the columns it had before.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { recordingFile } from '../../src/sources/resources.js';
import { captureIO, DEMO_DIR, DEMO_TAGS, REPO, SHOP_A } from '../cli/helpers.js';

const PRICES = path.join(REPO, 'fixtures/prices/demo-prices.csv');
const FX = path.join(REPO, 'fixtures/prices/demo-fx.csv');
const TRACE = [
  'trace',
  SHOP_A,
  '--offline',
  DEMO_DIR,
  '--tags',
  DEMO_TAGS,
  '--hops',
  '10',
  '--model',
  'fifo',
  '-q',
];
const FIAT_COLUMNS = ['fiat_currency', 'price', 'price_time', 'price_source', 'fiat_value', 'fiat_tainted'];
const dirs: string[] = [];

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function run(argv: string[]) {
  const io = captureIO();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

function csvRows(text: string): Record<string, string>[] {
  return parse<Record<string, string>>(text, { columns: true });
}

/** sat x price / 1e8 half up to cents, in bigint, price given in cents (independent of src/prices). */
function cents(sat: string, priceCents: bigint): bigint {
  const num = BigInt(sat) * priceCents; // in 1e-2 x 1e-8 units
  return (num + 50_000_000n) / 100_000_000n;
}
const show = (c: bigint) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;

describe('trace --fiat over the demo case', () => {
  it('USD from a prices file: every row valued at its day, totals as worked by hand', async () => {
    const r = await run([...TRACE, '--format', 'csv', '--fiat', 'usd', '--prices', PRICES]);
    expect(r.code).toBe(0);
    const header = r.out.split('\n')[0]!.split(',');
    expect(header.slice(-6)).toEqual(FIAT_COLUMNS);
    const rows = csvRows(r.out);
    expect(rows).toHaveLength(22);
    const totals = new Map<string, [number, bigint, bigint]>();
    for (const row of rows) {
      // every demo trace row is from 2024-06-26 (price 60864.44)
      expect(row.block_time!.slice(0, 10)).toBe('2024-06-26');
      expect(row).toMatchObject({
        fiat_currency: 'USD',
        price: '60864.44',
        price_time: '2024-06-26T00:00:00Z',
        price_source: `prices file ${PRICES} (daily, UTC)`,
      });
      const v = cents(row.value_sat!, 6086444n);
      const t = cents(row.tainted_sat!, 6086444n);
      expect(row.fiat_value).toBe(show(v));
      expect(row.fiat_tainted).toBe(show(t));
      const a = totals.get(row.status!) ?? [0, 0n, 0n];
      totals.set(row.status!, [a[0] + 1, a[1] + v, a[2] + t]);
    }
    // Worked independently (Python decimal, ROUND_HALF_UP per row, then summed):
    const expected: [string, number, string, string][] = [
      ['seed', 5, '74315.48', '74315.48'],
      ['spent', 8, '507824.91', '217133.89'],
      ['unspent', 5, '72419.74', '32013.46'],
      ['stopped', 3, '57820.61', '33779.01'],
      ['below-min', 1, '3043.22', '0.35'],
    ];
    for (const [status, n, value, tainted] of expected) {
      const got = totals.get(status)!;
      expect([status, got[0], show(got[1]), show(got[2])]).toEqual([status, n, value, tainted]);
    }
    // The seed row of 0.125 BTC: 0.125 x 60864.44 = 7608.055, half up -> 7608.06
    expect(rows.find((x) => x.value_sat === '12500000' && x.status === 'seed')!.fiat_value).toBe('7608.06');
    // The below-min row: 570 sat x 60864.44 / 1e8 = 0.3469... -> 0.35
    expect(rows.find((x) => x.status === 'below-min')!.fiat_tainted).toBe('0.35');
  });

  it('the table prints the same totals by status', async () => {
    const r = await run([...TRACE, '--fiat', 'USD', '--prices', PRICES]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('tainted USD');
    expect(r.out).toMatch(/│ seed\s+│\s+5 │\s+74315\.48 │\s+74315\.48 │/);
    expect(r.out).toMatch(/│ stopped\s+│\s+3 │\s+57820\.61 │\s+33779\.01 │/);
    expect(r.out).toMatch(/│ below-min\s+│\s+1 │\s+3043\.22 │\s+0\.35 │/);
    expect(r.out).toContain(`1 price from prices file ${PRICES} (daily, UTC).`);
  });

  it('KGS through the FX table: price x rate before rounding, the rate and its day named', async () => {
    const r = await run([...TRACE, '--format', 'csv', '--fiat', 'KGS', '--prices', PRICES, '--fx', FX]);
    expect(r.code).toBe(0);
    const rows = csvRows(r.out);
    // 60864.44 x 86.804 = 5283276.84976 KGS per BTC, kept exact
    for (const row of rows) {
      expect(row.price).toBe('5283276.84976');
      expect(row.price_source).toBe(
        `prices file ${PRICES} (daily, UTC) USD 60864.44 x --fx USD->KGS 2024-06-26 86.804`,
      );
    }
    const sum = (status: string) =>
      show(
        rows
          .filter((x) => x.status === status)
          .reduce((s, x) => s + BigInt(x.fiat_tainted!.replace('.', '')), 0n),
      );
    // Python decimal: sum over rows of round_half_up(tainted_sat x 60864.44 x 86.804 / 1e8, 2)
    expect(sum('seed')).toBe('6450881.04');
    expect(sum('stopped')).toBe('2932152.61');
    expect(sum('below-min')).toBe('30.11');
  });

  it('JSON rows carry the same fields last; meta names the source and every price used', async () => {
    const r = await run([...TRACE, '--format', 'json', '--fiat', 'USD', '--prices', PRICES]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as {
      meta: {
        fiat: { currency: string; price_source: string; prices: unknown[] };
        options: Record<string, unknown>;
      };
      rows: Record<string, unknown>[];
      totals: { fiat: { by_status: { status: string; fiat_tainted: string }[] } };
    };
    expect(Object.keys(doc.rows[0]!).slice(-6)).toEqual(FIAT_COLUMNS);
    expect(doc.meta.fiat.currency).toBe('USD');
    expect(doc.meta.fiat.price_source).toBe(`prices file ${PRICES} (daily, UTC)`);
    expect(doc.meta.fiat.prices).toEqual([
      {
        currency: 'USD',
        price: '60864.44',
        price_time: '2024-06-26T00:00:00Z',
        rows: 22,
        source: `prices file ${PRICES} (daily, UTC)`,
      },
    ]);
    expect(doc.meta.options).toMatchObject({ fiat: 'USD', prices: PRICES, fx: null });
    expect(doc.totals.fiat.by_status[0]).toEqual({
      status: 'seed',
      outputs: 5,
      fiat_value: '74315.48',
      fiat_tainted: '74315.48',
    });
  });

  it('without --fiat the CSV keeps exactly its columns and JSON has no fiat keys', async () => {
    const csv = await run([...TRACE, '--format', 'csv']);
    expect(csv.out.split('\n')[0]).toBe(
      'hop,txid,vout,address,value_sat,tainted_sat,status,value_btc,tainted_btc,block_height,block_time,label,category,script_type,spent_by,flags,note,abuse,label_confidence,label_source',
    );
    const json = await run([...TRACE, '--format', 'json']);
    // (the command line in meta is the test runner's own argv, which names this file)
    expect(json.out).not.toMatch(/"fiat|"price/);
  });

  it('a day the prices file lacks is bad input naming the day (exit 2), and nothing is printed', async () => {
    const only25 = path.join(mkTemp(), 'p.csv');
    writeFileSync(only25, 'date,currency,price\n2024-06-25,USD,61804.52\n');
    const r = await run([...TRACE, '--format', 'csv', '--fiat', 'USD', '--prices', only25]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      `btctrace: --prices ${only25}: no USD price for 2024-06-26 (UTC), needed for a row of that day\n`,
    );
  });

  it.each([
    [['--prices', 'x.csv'], '--prices needs --fiat <currency>'],
    [['--fx', 'x.csv'], '--fx needs --fiat <currency>'],
    [['--fiat', 'US$'], '--fiat US$: not a 3-letter currency code (e.g. USD, EUR, KGS)'],
    [
      ['--fiat', 'RUB', '--prices', PRICES],
      `no RUB prices in prices file ${PRICES} (daily, UTC): give --prices with RUB rows, or --fx with a rate into RUB`,
    ],
  ])('%j is refused with one line, exit 2', async (extra, message) => {
    const r = await run([...TRACE, ...extra]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`btctrace: ${message}\n`);
  });
});

function mkTemp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'btctrace-fiat-'));
  dirs.push(d);
  return d;
}

describe("consistency: the explorer's price history and a prices file holding its prices", () => {
  // Daily prices as the explorer would answer them: the row at 00:00 UTC before the block time.
  const DAILY: Record<string, { time: number; USD: number }> = {
    '2024-06-25': { time: 1719273600, USD: 61804.52 },
    '2024-06-26': { time: 1719360000, USD: 60864.44 },
  };
  const HOST = 'https://esplora.test';

  /** Serves the demo recording as a live Esplora host, plus /v1/historical-price. */
  function serveDemo(): string[] {
    const asked: string[] = [];
    nock(HOST)
      .persist()
      .get(/^\/api\//)
      .reply((uri) => {
        const p = uri.slice('/api'.length);
        const price = /^\/v1\/historical-price\?currency=USD&timestamp=(\d+)$/.exec(p);
        if (price) {
          asked.push(p);
          const day = new Date(Number(price[1]) * 1000).toISOString().slice(0, 10);
          const row = DAILY[day];
          return [200, JSON.stringify({ prices: row ? [row] : [], exchangeRates: { USDEUR: 0.93 } })];
        }
        const file = recordingFile(p);
        if (!file) return [404, 'not found'];
        try {
          return [200, readFileSync(path.join(DEMO_DIR, file), 'utf8')];
        } catch {
          return [404, 'Transaction not found'];
        }
      });
    return asked;
  }

  const live = [
    'trace',
    SHOP_A,
    '--api-url',
    `${HOST}/api`,
    '--no-cache',
    '--tags',
    DEMO_TAGS,
    '--hops',
    '10',
    '--model',
    'fifo',
    '-q',
    '--format',
    'csv',
    '--fiat',
    'USD',
  ];

  it('gives the same fiat columns (source aside) row for row', async () => {
    const asked = serveDemo();
    const fromExplorer = await run(live);
    expect(fromExplorer.err).toBe('');
    expect(fromExplorer.code).toBe(0);
    // one request per distinct block time, each once
    expect(asked.length).toBe(new Set(asked).size);
    expect(asked.length).toBe(15); // the 22 rows have 15 distinct block times
    const fromFile = await run([...TRACE, '--format', 'csv', '--fiat', 'USD', '--prices', PRICES]);
    const a = csvRows(fromExplorer.out);
    const b = csvRows(fromFile.out);
    expect(a.length).toBe(22);
    expect(a.map((x) => `${x.txid}:${x.vout}`)).toEqual(b.map((x) => `${x.txid}:${x.vout}`));
    for (const c of ['fiat_currency', 'price', 'price_time', 'fiat_value', 'fiat_tainted']) {
      expect(a.map((x) => x[c])).toEqual(b.map((x) => x[c]));
    }
    expect(a[0]!.price_source).toBe(
      `mempool historical-price ${HOST}/api (last price before the block time)`,
    );
  });

  it('--record keeps the price answers and --offline replays them to the same bytes', async () => {
    serveDemo();
    const dir = mkTemp();
    const recorded = await run([...live, '--record', dir]);
    expect(recorded.code).toBe(0);
    const priceFiles = readdirSync(dir).filter((f) => f.startsWith('v1_historical-price_USD_'));
    expect(priceFiles.length).toBe(15);
    nock.cleanAll(); // nothing may reach the "network" now
    const replay = await run([
      'trace',
      SHOP_A,
      '--offline',
      dir,
      '--tags',
      DEMO_TAGS,
      '--hops',
      '10',
      '--model',
      'fifo',
      '-q',
      '--format',
      'csv',
      '--fiat',
      'USD',
    ]);
    expect(replay.err).toBe('');
    const strip = (t: string) =>
      t.replaceAll(`${HOST}/api (recording to ${dir})`, 'X').replaceAll(`offline ${dir}`, 'X');
    expect(strip(replay.out)).toBe(strip(recorded.out));
  });
});

describe('unconfirmed rows and the manifest', () => {
  it('an unconfirmed row is valued at the run time and marked; the manifest lists every price', async () => {
    const d = mkTemp();
    const prices = path.join(d, 'p.csv');
    // captureIO's clock is 2026-01-01T00:00:00Z: the run day
    writeFileSync(prices, 'date,currency,price\n2024-06-26,USD,60864.44\n2026-01-01,USD,90000.00\n');
    const out = path.join(d, 'shopb.csv');
    const shopB = 'bc1qlq2thetqmef3j2ea35lnt9nunc0xs97f9mjdev';
    const r = await run([
      'trace',
      shopB,
      '--offline',
      DEMO_DIR,
      '--hops',
      '0',
      '-q',
      '--format',
      'csv',
      '--fiat',
      'USD',
      '--prices',
      prices,
      '-o',
      out,
    ]);
    expect(r.code).toBe(0);
    const rows = csvRows(readFileSync(out, 'utf8'));
    const unconfirmed = rows.filter((x) => x.block_time === '');
    expect(unconfirmed).toHaveLength(1);
    // 5,500,000 sat x 90000 / 1e8 = 4950.00
    expect(unconfirmed[0]).toMatchObject({
      value_sat: '5500000',
      price: '90000',
      price_time: '2026-01-01T00:00:00Z',
      price_source: `prices file ${prices} (daily, UTC) [unconfirmed: valued at run time]`,
      fiat_value: '4950.00',
    });
    const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')) as {
      fiat: { unconfirmed_valued_at: string; prices: { price: string; price_time: string; rows: number }[] };
    };
    expect(manifest.fiat.unconfirmed_valued_at).toBe('2026-01-01T00:00:00Z');
    expect(manifest.fiat.prices.map((p) => [p.price, p.price_time, p.rows])).toEqual([
      ['60864.44', '2024-06-26T00:00:00Z', 3],
      ['90000', '2026-01-01T00:00:00Z', 1],
    ]);
  });
});
