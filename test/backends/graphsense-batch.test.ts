// batch --provider graphsense: each seed's CSV is the Esplora offline batch's (but for rows of
// unconfirmed transactions, which GraphSense does not hold), with GraphSense tags in place of
// --tags; one client for the whole batch, so the calls of the N-seed, H-hop batch are counted.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIO, DEMO_DIR, DEMO_TAGS } from '../cli/helpers.js';
import { emptyCalls, GraphSenseChain, gsKind } from '../support/graphsense-chain.js';
import { removeScratchDirs, scratchDir } from '../support/scratch.js';

afterAll(removeScratchDirs);

const BASE = 'https://graphsense.test';
const SHOPS = [
  'bc1qgxa0vq022w24wgcw78zr2zvla445qujuhm6wq8',
  'bc1qlq2thetqmef3j2ea35lnt9nunc0xs97f9mjdev',
  'bc1qzjhwgsl92vavyd58q9demxp2uxk7j0qpmn5y2j',
  '3Q1nY8fjcEp7Yi2TtrF97pQQffdmqfK4Lg',
];

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

function demoTags(): Map<string, { label: string; category: string }> {
  const lines = readFileSync(DEMO_TAGS, 'utf8').trim().split('\n').slice(1);
  return new Map(
    lines
      .map((l) => l.split(','))
      .map(([a, label, category]) => [a!, { label: label!, category: category! }]),
  );
}

async function batch(list: string, out: string, extra: string[]) {
  const io = captureIO();
  const code = await main(
    ['batch', list, '--out-dir', out, '--hops', '4', '--no-cache', '--quiet', ...extra],
    io,
  );
  return { code, err: io.err };
}

const confirmedOnly = (csv: string) =>
  csv
    .split('\n')
    .filter((l) => l.split(',')[9] !== '')
    .join('\n');

describe('batch --provider graphsense', () => {
  it('4 seeds x 4 hops: the same per-seed CSV as the Esplora batch, within the bulk bound', async () => {
    const dir = scratchDir('gs-batch-');
    const list = path.join(dir, 'seeds.txt');
    writeFileSync(list, SHOPS.join('\n') + '\n');
    const es = await batch(list, path.join(dir, 'esplora'), ['--offline', DEMO_DIR, '--tags', DEMO_TAGS]);
    expect(es.code).toBe(0);
    const chain = new GraphSenseChain(undefined, 100, demoTags());
    const calls = emptyCalls();
    nock(BASE)
      .persist()
      .post(/.*/)
      .reply((uri, body) => {
        calls[gsKind(uri)]++;
        const a = chain.bulk(uri, body);
        return [a.status, a.body, { 'Content-Type': 'application/json' }];
      })
      .get(/.*/)
      .reply((uri) => {
        calls[gsKind(uri)]++;
        const a = chain.answer(uri);
        return [a.status, a.body, { 'Content-Type': 'application/json' }];
      });
    const gs = await batch(list, path.join(dir, 'gs'), ['--provider', 'graphsense', '--api-url', BASE]);
    expect(gs.err).toBe('');
    expect(gs.code).toBe(0);
    const seedFiles = readdirSync(path.join(dir, 'esplora')).filter(
      (f) => f.endsWith('.csv') && f !== 'summary.csv',
    );
    expect(seedFiles).toHaveLength(4);
    for (const f of seedFiles) {
      const want = readFileSync(path.join(dir, 'esplora', f), 'utf8');
      // the same rows; label_confidence and label_source (the last two columns) name GraphSense's
      // tags (50, their source) where the Esplora batch names the --tags file
      const cut = (csv: string) => csv.split('\n').map((r) => r.split(',').slice(0, -2).join(','));
      expect(cut(readFileSync(path.join(dir, 'gs', f), 'utf8'))).toEqual(cut(confirmedOnly(want)));
    }
    // One shared client: every resource asked once for the whole batch.
    const { other, ...byEndpoint } = calls;
    expect(other).toBe(0);
    // One tick's questions leave together: the bound of graphsense-calls.test.ts (1 + N + 4 (H + 2)).
    const total = Object.values(byEndpoint).reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(1 + 4 + 4 * (4 + 2));
    expect(byEndpoint.stats).toBe(1);
    expect(byEndpoint.address_txs).toBe(4);
  });
});
