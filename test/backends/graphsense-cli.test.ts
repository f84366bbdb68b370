// --provider graphsense through the CLI: the key in the Authorization header and nowhere else,
// one-line auth and quota errors (exit 1), bounded 429 retries, refused options (exit 2), the
// manifest's record of the checks that cannot run on GraphSense answers, and call counts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIO, DEMO_DIR, DEMO_TAGS, SHOP_A } from '../cli/helpers.js';
import { emptyCalls, GraphSenseChain, gsKind, type GsKind } from '../support/graphsense-chain.js';
import { removeScratchDirs, scratchDir } from '../support/scratch.js';

afterAll(removeScratchDirs);

const BASE = 'https://graphsense.test';
const KEY = 'gs-key-0123456789abcdef';
const GS = ['--provider', 'graphsense', '--api-url', BASE];

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

type Calls = Record<GsKind, number>;

/** Serves the chain; `fault(n, uri)` may answer the n-th request (1-based) instead. */
function serve(
  chain = new GraphSenseChain(),
  fault?: (n: number, uri: string) => [number, string, Record<string, string>?] | null,
) {
  const calls: Calls = emptyCalls();
  const auth = new Set<string | undefined>();
  let n = 0;
  nock(BASE)
    .persist()
    .post(/.*/)
    .reply((uri, body) => {
      n++;
      calls[gsKind(uri)]++;
      const f = fault?.(n, uri);
      if (f) return [f[0], f[1], f[2] ?? {}];
      const a = chain.bulk(uri, body);
      return [a.status, a.body, { 'Content-Type': 'application/json' }];
    })
    .get(/.*/)
    .reply(function (uri) {
      n++;
      calls[gsKind(uri)]++;
      auth.add(this.req.headers.authorization);
      const f = fault?.(n, uri);
      if (f) return [f[0], f[1], f[2] ?? {}];
      const a = chain.answer(uri);
      return [a.status, a.body, { 'Content-Type': 'application/json' }];
    });
  return { calls, auth, total: () => n };
}

async function run(args: string[], env: Record<string, string> = {}) {
  const io = captureIO(env);
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

const TRACE = ['trace', SHOP_A, '--tags', DEMO_TAGS, '--hops', '6', '--format', 'csv', '--no-cache', '-q'];

describe('GraphSense API key and failures', () => {
  it('sends GRAPHSENSE_API_KEY as the Authorization header, and writes it nowhere', async () => {
    const dir = scratchDir('gs-');
    const out = path.join(dir, 'trace.csv');
    const { auth } = serve();
    const r = await run([...TRACE, ...GS, '-o', out], { GRAPHSENSE_API_KEY: KEY });
    expect(r.code).toBe(0);
    expect([...auth]).toEqual([KEY]);
    const manifest = readFileSync(`${out}.manifest.json`, 'utf8');
    for (const text of [r.out, r.err, readFileSync(out, 'utf8'), manifest]) expect(text).not.toContain(KEY);
    const m = JSON.parse(manifest) as Record<string, unknown>;
    expect(JSON.stringify(m)).toContain('graphsense https://graphsense.test');
  });

  it('without a key no Authorization header is sent (self-hosted API)', async () => {
    const { auth } = serve();
    expect((await run([...TRACE, ...GS])).code).toBe(0);
    expect([...auth]).toEqual([undefined]);
  });

  for (const status of [401, 403]) {
    it(`HTTP ${status}: one line naming the key problem, exit 1, not retried`, async () => {
      const s = serve(undefined, () => [status, '{"detail":"Unauthorized"}']);
      const r = await run([...TRACE, ...GS], { GRAPHSENSE_API_KEY: 'wrong-key' });
      expect(r.code).toBe(1);
      expect(r.err).toMatch(new RegExp(`refused the API key \\(HTTP ${status}\\).*GRAPHSENSE_API_KEY`));
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).not.toContain('wrong-key');
      expect(r.out).toBe('');
      // The tip (/stats) and the seed's history are asked together: each refused once.
      expect(s.total()).toBe(2);
    });
  }

  it('429 with Retry-After: retried, then the same CSV as without faults', async () => {
    serve();
    const clean = await run([...TRACE, ...GS]);
    nock.cleanAll();
    // Every third request is refused once.
    const refused = new Set<string>();
    const s = serve(undefined, (n, uri) => {
      if (n % 3 !== 0 || refused.has(uri)) return null;
      refused.add(uri);
      return [429, 'Too Many Requests', { 'Retry-After': '0' }];
    });
    const r = await run([...TRACE, ...GS]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(clean.out);
    expect(refused.size).toBeGreaterThan(5);
    expect(s.total()).toBe(Object.values(s.calls).reduce((a, b) => a + b, 0));
  });

  it('429 that never ends: 6 attempts, then one line about the quota, exit 1', async () => {
    const s = serve(undefined, () => [429, 'Too Many Requests', { 'Retry-After': '0' }]);
    const r = await run([...TRACE, ...GS]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/request quota exceeded \(HTTP 429, retries spent\)/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    // The tip and the seed's history, asked together: 6 attempts each, then nothing more.
    expect(s.total()).toBe(12);
  });
});

describe('options GraphSense refuses (exit 2, one line)', () => {
  const cases: [string[], RegExp][] = [
    [['--provider', 'graphsense'], /--provider graphsense needs --api-url <base>/],
    [[...GS, '--verify-txids'], /cannot --verify-txids: GraphSense has no raw transactions/],
    [[...GS, '--record', '/tmp/x'], /cannot --record/],
    [
      ['--provider', 'graphsense', '--offline', DEMO_DIR],
      /--offline and --api-url|needs --api-url|cannot be used with --offline/,
    ],
    [[...GS, '--network', 'testnet'], /--network testnet: only mainnet/],
  ];
  for (const [args, message] of cases) {
    it(args.join(' '), async () => {
      const s = serve();
      const r = await run([...TRACE, ...args]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(s.total()).toBe(0);
    });
  }
});

describe('manifest checks on GraphSense answers', () => {
  it('txid_hash and address_script are recorded as not run, the others as run', async () => {
    const dir = scratchDir('gs-');
    const out = path.join(dir, 'trace.csv');
    serve();
    expect((await run([...TRACE, ...GS, '-o', out])).code).toBe(0);
    const text = readFileSync(`${out}.manifest.json`, 'utf8');
    const counts = new Map<string, number>();
    for (const m of text.matchAll(/"(checks_[a-z_]+)": (\d+)/g)) counts.set(m[1]!, Number(m[2]));
    expect(counts.has('checks_txid_hash')).toBe(false);
    expect(counts.has('checks_address_script')).toBe(false);
    expect(counts.get('checks_txid_hash_not_run')).toBeGreaterThan(0);
    expect(counts.get('checks_address_script_not_run')).toBe(counts.get('checks_txid_hash_not_run'));
    expect(counts.get('checks_prevout_parent')).toBeGreaterThan(0);
    expect(counts.get('checks_outspend_spender')).toBeGreaterThan(0);
  });
});
