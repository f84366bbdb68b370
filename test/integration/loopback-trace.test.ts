// End to end over HTTP: a loopback Esplora server over the demo chain, driven through the CLI.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runTraceCommand } from '../../src/cli/trace.js';
import { createSource } from '../../src/sources/index.js';
import { startEsploraServer, type EsploraServer } from '../support/esplora-server.js';
import { chainFromRealdata, loadDemoChain, REALDATA_DIR } from '../support/load-chain.js';
import { captureIO, DEMO_DIR, DEMO_TAGS, SHOP_A } from '../cli/helpers.js';
import { removeScratchDirs, scratchDir } from '../support/scratch.js';

afterAll(removeScratchDirs);

const TRACE = ['trace', SHOP_A, '--tags', DEMO_TAGS, '--hops', '10', '--format', 'csv', '--min-sat', '1000'];

describe('trace through a loopback Esplora server (demo case)', () => {
  let server: EsploraServer;
  beforeAll(async () => {
    server = await startEsploraServer(loadDemoChain());
  });
  afterAll(() => server.close());

  it('gives the demo case numbers through HTTP, with no resource asked twice', async () => {
    const io = captureIO();
    const code = await main([...TRACE, '--model', 'fifo', '--api-url', server.url, '--quiet'], io);
    expect(code).toBe(0);
    const lines = io.out.trim().split('\n');
    expect(lines[0]).toBe(
      'hop,txid,vout,address,value_sat,tainted_sat,status,value_btc,tainted_btc,block_height,block_time,label,category,script_type,spent_by,flags,note,abuse,label_confidence,label_source',
    );
    // CASE.md (computed by the generator independently of the walk): fifo, --hops 10
    const byLabel = new Map<string, number>();
    for (const l of lines.slice(1)) {
      const c = l.split(',');
      if (c[11]) byLabel.set(c[11], (byLabel.get(c[11]) ?? 0) + Number(c[5]));
    }
    expect(byLabel.get('ExchangeX')).toBe(33_749_740);
    expect(byLabel.get('ExchangeY')).toBe(21_749_010);
    expect(byLabel.get('LuckyDice')).toBeUndefined(); // 0 under fifo
    expect(server.repeated()).toEqual([]);
  });

  it('haircut and poison match the case file too', async () => {
    for (const [model, x, y, dice] of [
      ['haircut', 23_297_817, 26_342_741, 6_353_950],
      ['poison', 55_000_000, 59_999_010, 15_000_000],
    ] as const) {
      const io = captureIO();
      expect(await main([...TRACE, '--model', model, '--api-url', server.url, '--quiet'], io)).toBe(0);
      const sum = (label: string) =>
        io.out
          .split('\n')
          .map((l) => l.split(','))
          .filter((c) => c[11] === label)
          .reduce((s, c) => s + Number(c[5]), 0);
      expect([sum('ExchangeX'), sum('ExchangeY'), sum('LuckyDice')]).toEqual([x, y, dice]);
    }
  });

  it('the offline recording and the live server give byte-identical CSV', async () => {
    const live = captureIO();
    await main([...TRACE, '--model', 'lifo', '--api-url', server.url, '--quiet'], live);
    const offline = captureIO();
    await main([...TRACE, '--model', 'lifo', '--offline', DEMO_DIR, '--quiet'], offline);
    expect(offline.out).toBe(live.out);
    expect(live.out.split('\n').length).toBeGreaterThan(15);
  });

  it('--record then --offline replays the same trace with no network', async () => {
    const dir = scratchDir('btctrace-rec-');
    const live = captureIO();
    await main([...TRACE, '--model', 'tiho', '--api-url', server.url, '--record', dir, '--quiet'], live);
    const replay = captureIO();
    expect(await main([...TRACE, '--model', 'tiho', '--offline', dir, '--quiet'], replay)).toBe(0);
    expect(replay.out).toBe(live.out);
  });
});

describe('the same trace under faults, 429s and latency', () => {
  const servers: EsploraServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it('gives byte-identical CSV for every model', async () => {
    const clean = await startEsploraServer(loadDemoChain());
    const faulty = await startEsploraServer(loadDemoChain(), {
      latencyMs: 5,
      rateLimit: { perSecond: 100, burst: 3, retryAfter: false },
      faults: { rate: 0.3, kinds: ['502', 'truncated', 'reset'], seed: 7, maxPerPath: 2 },
    });
    servers.push(clean, faulty);
    const fast = (url: string) => (req: Parameters<typeof createSource>[0]) =>
      createSource({ ...req, apiUrl: url, baseDelayMs: 5, maxDelayMs: 40, concurrency: 8, maxAttempts: 15 });
    for (const model of ['poison', 'haircut', 'fifo', 'lifo', 'tiho']) {
      const args = { tags: DEMO_TAGS, hops: '10', format: 'csv', model, quiet: true };
      const a = captureIO();
      const b = captureIO();
      expect(await runTraceCommand([SHOP_A], args, a, [], fast(clean.url))).toBe(0);
      // a 429 counts as an attempt; 15 attempts (faults at most 2 per path) always get through
      const code = await runTraceCommand([SHOP_A], args, b, [], fast(faulty.url));
      expect(b.err).toBe('');
      expect(code).toBe(0);
      expect(b.out).toBe(a.out);
    }
    const outcomes = new Map<string, number>();
    for (const e of faulty.log) outcomes.set(e.outcome, (outcomes.get(e.outcome) ?? 0) + 1);
    expect(outcomes.get('429') ?? 0).toBeGreaterThan(0);
    expect(
      (outcomes.get('502') ?? 0) + (outcomes.get('truncated') ?? 0) + (outcomes.get('reset') ?? 0),
    ).toBeGreaterThan(5);
  });
});

const colonial = path.join(REALDATA_DIR, 'esplora/colonial_pipeline');
const haveRealdata = existsSync(colonial);
if (!haveRealdata)
  console.warn(
    `skipping the Colonial Pipeline trace: ${colonial} is absent (a fresh clone has no ../shared)`,
  );

describe.skipIf(!haveRealdata)('real data: Colonial Pipeline ransom, affiliate to FBI seizure', () => {
  it('traces 63.69996546 BTC from the affiliate address to the FBI address under every model', async () => {
    const server = await startEsploraServer(chainFromRealdata(colonial));
    try {
      const FBI = 'bc1qpx7vyv5tp7dm0g475ev527krg764t73dh77gls';
      const tags = path.join(scratchDir('btctrace-tags-'), 'tags.csv');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(tags, `address,label,category\n${FBI},FBI seizure wallet,law-enforcement\n`);
      for (const model of ['poison', 'haircut', 'fifo', 'lifo', 'tiho']) {
        const io = captureIO();
        const code = await main(
          [
            'trace',
            'bc1qq2euq8pw950klpjcawuy4uj39ym43hs6cfsegq',
            '--api-url',
            server.url,
            '--hops',
            '1',
            '--model',
            model,
            '--tags',
            tags,
            '--stop-at',
            'law-enforcement',
            '--format',
            'json',
            '--quiet',
          ],
          io,
        );
        const json = JSON.parse(io.out) as {
          rows: {
            txid: string;
            vout: number;
            address: string;
            tainted_sat: number;
            status: string;
            label: string;
          }[];
        };
        const fbi = json.rows.find((r) => r.address === FBI)!;
        expect(fbi.txid.startsWith('943f2d57')).toBe(true);
        expect(fbi.vout).toBe(1);
        expect(fbi.tainted_sat).toBe(6_369_996_546);
        expect(fbi.status).toBe('stopped');
        expect(fbi.label).toBe('FBI seizure wallet');
        expect(code).toBe(0);
      }
    } finally {
      await server.close();
    }
  });
});
void readFileSync;
