// --provider graphsense against the demo chain served in GraphSense REST shapes (nock, no
// network): the trace CSV is byte for byte the Esplora offline run's; call counts per endpoint.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { readFileSync } from 'node:fs';
import { captureIO, DEMO_DIR, DEMO_TAGS, SHOP_A } from '../cli/helpers.js';
import { emptyCalls, GraphSenseChain, gsKind, type GsKind } from '../support/graphsense-chain.js';

const BASE = 'https://graphsense.test';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

function serve(chain: GraphSenseChain) {
  const calls: Record<GsKind, number> = emptyCalls();
  const auth: (string | undefined)[] = [];
  nock(BASE)
    .persist()
    .post(/.*/)
    .reply((uri, body) => {
      calls[gsKind(uri)]++;
      const a = chain.bulk(uri, body);
      return [a.status, a.body, { 'Content-Type': 'application/json' }];
    })
    .get(/.*/)
    .reply(function (uri) {
      calls[gsKind(uri)]++;
      auth.push(this.req.headers.authorization);
      const a = chain.answer(uri);
      return [a.status, a.body, { 'Content-Type': 'application/json' }];
    });
  return { calls, auth };
}

async function run(args: string[], env: Record<string, string> = {}) {
  const io = captureIO(env);
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

const TRACE = ['trace', SHOP_A, '--tags', DEMO_TAGS, '--hops', '6', '--format', 'csv', '--no-cache', '-q'];

describe('trace --provider graphsense', () => {
  for (const model of ['haircut', 'fifo', 'poison', 'lifo', 'tiho']) {
    it(`${model}: the CSV is the Esplora offline run's, byte for byte`, async () => {
      const esplora = await run([...TRACE, '--model', model, '--offline', DEMO_DIR]);
      expect(esplora.code).toBe(0);
      const { calls } = serve(new GraphSenseChain());
      const gs = await run([...TRACE, '--model', model, '--provider', 'graphsense', '--api-url', BASE]);
      expect(gs.err).toBe('');
      expect(gs.code).toBe(0);
      expect(gs.out).toBe(esplora.out);
      expect(calls.other).toBe(0);
    });
  }
});

/** fixtures/demo/tags.csv as GraphSense TagStore tags. */
function demoTags(): Map<string, { label: string; category: string }> {
  const lines = readFileSync(DEMO_TAGS, 'utf8').trim().split('\n').slice(1);
  return new Map(
    lines
      .map((l) => l.split(','))
      .map(([a, label, category]) => [a!, { label: label!, category: category! }]),
  );
}

describe('GraphSense tags and entities', () => {
  const BARE = ['trace', SHOP_A, '--hops', '6', '--format', 'csv', '--no-cache', '-q'];

  it('TagStore tags label rows and stop the walk as --tags does: same CSV without the file', async () => {
    const esplora = await run([...BARE, '--tags', DEMO_TAGS, '--offline', DEMO_DIR]);
    const { calls } = serve(new GraphSenseChain(undefined, 100, demoTags()));
    const gs = await run([...BARE, '--provider', 'graphsense', '--api-url', BASE]);
    expect(gs.code).toBe(0);
    // The same rows and labels; only where each label came from differs: GraphSense's tags carry
    // their own confidence (50) and source where --tags names its file.
    const cut = (csv: string) =>
      csv
        .trim()
        .split('\n')
        .map((r) => r.split(',').slice(0, -2).join(','));
    expect(cut(gs.out)).toEqual(cut(esplora.out));
    const labelled = gs.out.split('\n').filter((r) => /,Exchange[XY],|,LuckyDice,/.test(r));
    expect(labelled).toHaveLength(5);
    for (const r of labelled) expect(r.endsWith(',50,https://example.org/tags')).toBe(true);
    expect(gs.out).toContain(',stopped,');
    expect(calls.bulk_tags).toBeGreaterThan(0);
  });

  it('--tags wins over GraphSense for an address both name', async () => {
    const tags = demoTags();
    for (const [a, t] of tags) tags.set(a, { label: `GS-${t.label}`, category: t.category });
    serve(new GraphSenseChain(undefined, 100, tags));
    const gs = await run([...BARE, '--tags', DEMO_TAGS, '--provider', 'graphsense', '--api-url', BASE]);
    expect(gs.out).not.toContain('GS-');
    const esplora = await run([...BARE, '--tags', DEMO_TAGS, '--offline', DEMO_DIR]);
    expect(gs.out).toBe(esplora.out);
  });

  it('--cluster: the cluster column is the GraphSense entity id of each row address', async () => {
    const chain = new GraphSenseChain();
    const { calls } = serve(chain);
    const gs = await run([...BARE, '--cluster', '--provider', 'graphsense', '--api-url', BASE]);
    expect(gs.code).toBe(0);
    const [head, ...rows] = gs.out.trim().split('\n');
    const col = head!.split(',').indexOf('cluster');
    const addr = head!.split(',').indexOf('address');
    expect(col).toBeGreaterThan(0);
    for (const r of rows) {
      const c = r.split(',');
      expect(c[col]).toBe(`gs:${chain.entity.get(c[addr]!)}`);
    }
    // ShopA's five payments and the consolidation's inputs share one entity.
    expect(new Set(rows.map((r) => r.split(',')[col])).size).toBeLessThan(rows.length);
    expect(calls.entity).toBe(new Set(rows.map((r) => r.split(',')[addr])).size);
  });
});

describe('cluster --provider graphsense', () => {
  const SHOPS = [
    'bc1qgxa0vq022w24wgcw78zr2zvla445qujuhm6wq8',
    'bc1qlq2thetqmef3j2ea35lnt9nunc0xs97f9mjdev',
    'bc1qzjhwgsl92vavyd58q9demxp2uxk7j0qpmn5y2j',
    '3Q1nY8fjcEp7Yi2TtrF97pQQffdmqfK4Lg',
  ];

  it("lists the seed's GraphSense entity, paged, and says the clusters are GraphSense's", async () => {
    const chain = new GraphSenseChain(undefined, 2);
    const { calls } = serve(chain);
    const csv = await run([
      'cluster',
      SHOP_A,
      '--format',
      'csv',
      '--no-cache',
      '-q',
      '--provider',
      'graphsense',
      '--api-url',
      BASE,
    ]);
    expect(csv.code).toBe(0);
    const e = chain.entity.get(SHOP_A)!;
    const members = [...chain.entity].filter(([, id]) => id === e).map(([a]) => a);
    // The shop's four receiving addresses and the ExchangeZ coins consolidated with them.
    for (const s of SHOPS) expect(members).toContain(s);
    const rows = csv.out.trim().split('\n').slice(1);
    expect(rows).toHaveLength(members.length);
    for (const r of rows) expect(r.startsWith(`gs:${e},`)).toBe(true);
    expect(calls.entity).toBe(1 + Math.ceil(members.length / 2));
    const table = await run([
      'cluster',
      SHOP_A,
      '--no-cache',
      '-q',
      '--provider',
      'graphsense',
      '--api-url',
      BASE,
    ]);
    expect(table.out).toContain("Clusters are GraphSense's: GraphSense entities");
  });

  it('--max-addresses cuts the entity and says so (exit 1)', async () => {
    const chain = new GraphSenseChain(undefined, 2);
    serve(chain);
    const r = await run([
      'cluster',
      SHOP_A,
      '--max-addresses',
      '3',
      '--format',
      'csv',
      '--no-cache',
      '--provider',
      'graphsense',
      '--api-url',
      BASE,
    ]);
    expect(r.code).toBe(1);
    expect(r.out.trim().split('\n')).toHaveLength(4);
    expect(r.err).toMatch(
      /INCOMPLETE CLUSTER: GraphSense entity \d+: listed 3 addresses \(--max-addresses 3\); it has more/,
    );
  });
});

describe('cluster --provider graphsense --max-addresses boundary', () => {
  it('exactly the entity size is complete (exit 0); one fewer is cut (exit 1)', async () => {
    const chain = new GraphSenseChain(undefined, 2);
    const e = chain.entity.get(SHOP_A)!;
    const size = [...chain.entity.values()].filter((id) => id === e).length;
    serve(chain);
    const args = [
      'cluster',
      SHOP_A,
      '--format',
      'csv',
      '--no-cache',
      '-q',
      '--provider',
      'graphsense',
      '--api-url',
      BASE,
    ];
    const full = await run([...args, '--max-addresses', String(size)]);
    expect(full.code).toBe(0);
    expect(full.out.trim().split('\n')).toHaveLength(size + 1);
    const cut = await run([...args, '--max-addresses', String(size - 1)]);
    expect(cut.code).toBe(1);
    expect(cut.out.trim().split('\n')).toHaveLength(size);
  });
});
