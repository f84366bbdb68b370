// DOT and GraphML of the demo trace: the same nodes and edges as the model, Graphviz parses the
// DOT, the GraphML is well-formed XML with the GraphML structure (python3's XML parser), bytes
// are the same on every run, and hostile strings come through as text.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { renderGraph } from '../../src/report/graph/index.js';
import { buildGraph } from '../../src/report/graph/model.js';
import { parseTraceDoc } from '../../src/report/graph/input.js';
import { dotString } from '../../src/report/graph/dot.js';
import { xmlText } from '../../src/report/graph/graphml.js';
import { demoTrace, EVIL_ADDRESS, EVIL_LABEL, tamperedTrace } from './tampered.js';
import { removeScratchDirs, scratchDir } from '../support/scratch.js';

afterAll(removeScratchDirs);

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const dir = scratchDir('btctrace-graph-');
const demo = readFileSync(demoTrace(dir));
const tampered = readFileSync(tamperedTrace(dir));

/** GraphML read back with a real XML parser: node/edge ids, keys, and each element's data. */
function parseGraphml(xml: string): {
  keys: string[];
  nodes: Record<string, string>[];
  edges: Record<string, string>[];
} {
  const py = String.raw`
import json, sys, xml.etree.ElementTree as ET
ns = {'g': 'http://graphml.graphdrawing.org/xmlns'}
root = ET.fromstring(sys.stdin.buffer.read())
assert root.tag == '{http://graphml.graphdrawing.org/xmlns}graphml', root.tag
keys = {k.get('id'): k.get('attr.name') for k in root.findall('g:key', ns)}
graphs = root.findall('g:graph', ns)
assert len(graphs) == 1 and graphs[0].get('edgedefault') == 'directed'
def data(e, **extra):
    d = dict(extra)
    for x in e.findall('g:data', ns):
        assert x.get('key') in keys, x.get('key')
        d[keys[x.get('key')]] = x.text or ''
    return d
ids = set()
nodes = []
for n in graphs[0].findall('g:node', ns):
    ids.add(n.get('id')); nodes.append(data(n, id=n.get('id')))
edges = []
for e in graphs[0].findall('g:edge', ns):
    assert e.get('source') in ids and e.get('target') in ids
    edges.append(data(e, source=e.get('source'), target=e.get('target')))
print(json.dumps({'keys': sorted(keys.values()), 'nodes': nodes, 'edges': edges}))
`;
  return JSON.parse(execFileSync('python3', ['-c', py], { input: xml }).toString()) as ReturnType<
    typeof parseGraphml
  >;
}

describe('graph model', () => {
  it('demo: 19 nodes, 20 edges, amounts are the rows’ integer satoshis', () => {
    const m = buildGraph(parseTraceDoc(demo.toString(), 'demo.json'));
    expect([m.nodes.length, m.edges.length, m.grouped]).toEqual([19, 20, null]);
    const seed = m.nodes.find((n) => n.cls === 'seed')!;
    expect([seed.taintedSat, seed.rows.length, seed.btc]).toEqual([122100000, 5, '1.22100000']);
    const exY = m.nodes.find((n) => n.id === 'entity:ExchangeY')!;
    expect([exY.addresses.length, exY.taintedSat, exY.cls]).toEqual([2, 26342741, 'exchange']);
    // Out of the seed: 0.81497878 to the peel chain, 0.09399293 ExchangeY, 0.11279152 + 0.05920755 unspent.
    const out = m.edges
      .filter((e) => e.source === seed.id)
      .map((e) => e.taintedSat)
      .sort((a, b) => a - b);
    expect(out).toEqual([5920755, 9399293, 11279152, 81497878]);
    expect(m.nodes.filter((n) => n.cls === 'coinjoin')).toHaveLength(5);
  });

  it('groups by hop and class above the node budget (19 > 18), not at it (19)', () => {
    const doc = parseTraceDoc(demo.toString(), 'demo.json');
    expect(buildGraph(doc, 19).grouped).toBeNull();
    const g = buildGraph(doc, 18);
    expect(g.grouped).toEqual({ budget: 18 });
    expect(g.fullNodeCount).toBe(19);
    // Kept: seed + 3 entities; grouped: hop1 unspent, hop1..5 spent (5), hop6 coinjoin, hop6 hop-limit.
    expect(g.nodes.map((n) => n.id)).toContain('group:0006:coinjoin');
    expect(g.nodes.find((n) => n.id === 'group:0006:coinjoin')!.rows).toHaveLength(5);
    expect(g.nodes.length).toBe(4 + 1 + 5 + 2);
    // Grouping keeps every satoshi: the seed's outgoing edges still sum to its taint minus fees at hop 1.
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const full = buildGraph(doc);
    expect(sum(g.edges.map((e) => e.taintedSat))).toBe(sum(full.edges.map((e) => e.taintedSat)));
  });
});

describe('graph model: clusters and merging transactions', () => {
  const row = (
    hop: number,
    txid: string,
    vout: number,
    address: string,
    sat: number,
    spentBy: string | null,
    extra = {},
  ) => ({
    hop,
    txid,
    vout,
    address,
    value_sat: sat,
    tainted_sat: sat,
    status: hop === 0 ? 'seed' : spentBy ? 'spent' : 'unspent',
    label: null,
    category: null,
    spent_by: spentBy,
    flags: [],
    note: null,
    ...extra,
  });
  const T = 't'.repeat(64);

  it('a transaction spending two nodes goes through a tx node; amounts are the rows’ own', () => {
    const doc = parseTraceDoc(
      JSON.stringify({
        rows: [
          row(0, 'a', 0, 'A', 700, T),
          row(0, 'b', 0, 'B', 300, T),
          row(1, T, 0, 'C', 600, null),
          row(1, T, 1, 'D', 399, null),
        ],
      }),
      'x',
    );
    const m = buildGraph(doc);
    expect(m.nodes.map((n) => n.id)).toEqual(['addr:A', 'addr:B', 'addr:C', 'addr:D', `tx:${T}`]);
    expect(m.edges.map((e) => [e.source, e.target, e.taintedSat])).toEqual([
      ['addr:A', `tx:${T}`, 700],
      ['addr:B', `tx:${T}`, 300],
      [`tx:${T}`, 'addr:C', 600],
      [`tx:${T}`, 'addr:D', 399],
    ]);
  });

  it('addresses sharing a cluster id collapse into one node; a cluster of one stays an address', () => {
    const doc = parseTraceDoc(
      JSON.stringify({
        rows: [
          row(0, 'a', 0, 'A', 1000, T),
          row(1, T, 0, 'C', 600, null, { cluster: 'K' }),
          row(1, T, 1, 'D', 399, null, { cluster: 'K' }),
          row(1, T, 2, 'E', 1, null, { cluster: 'L' }),
        ],
      }),
      'x',
    );
    const m = buildGraph(doc);
    expect(m.nodes.map((n) => [n.id, n.addresses.length, n.taintedSat])).toEqual([
      ['addr:A', 1, 1000],
      ['addr:E', 1, 1],
      ['cluster:K', 2, 999],
    ]);
    expect(m.edges.map((e) => [e.target, e.taintedSat, e.txids])).toEqual([
      ['addr:E', 1, [T]],
      ['cluster:K', 999, [T]],
    ]);
  });
});

describe('DOT', () => {
  it('escapes quotes, backslashes and line breaks', () => {
    expect(dotString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
  });

  it('is the same bytes every time', () => {
    expect(renderGraph('dot', demo, 'demo.json')).toBe(renderGraph('dot', Buffer.from(demo), 'other.json'));
  });

  it.skipIf(!has('dot'))(
    'parses with Graphviz, with 19 nodes and 20 edges; hostile strings stay text',
    () => {
      const svg = execFileSync('dot', ['-Tsvg'], { input: renderGraph('dot', demo, 'demo.json') }).toString();
      expect(svg.match(/<g id="node\d+" class="node[^"]*">/g)).toHaveLength(19);
      expect(svg.match(/<g id="edge\d+" class="edge[^"]*">/g)).toHaveLength(20);
      const evil = execFileSync('dot', ['-Tsvg'], {
        input: renderGraph('dot', tampered, 't.json'),
      }).toString();
      expect(evil).not.toContain('<script>');
      expect(evil).toContain('&lt;script&gt;globalThis.pwned=1&lt;/script&gt;');
      expect(evil.match(/<g id="node\d+" class="node[^"]*">/g)).toHaveLength(19);
    },
  );
});

describe('GraphML', () => {
  it('escapes XML entities and replaces characters XML cannot hold', () => {
    expect(xmlText(`<a href="x">&'\u0001`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;\uFFFD');
  });

  it('is the same bytes every time', () => {
    expect(renderGraph('graphml', demo, 'a')).toBe(renderGraph('graphml', demo, 'b'));
  });

  it.skipIf(!has('python3'))('is well-formed GraphML with the model’s nodes, edges and attributes', () => {
    const g = parseGraphml(renderGraph('graphml', demo, 'demo.json'));
    expect(g.nodes).toHaveLength(19);
    expect(g.edges).toHaveLength(20);
    expect(g.keys).toEqual([
      'addresses',
      'btc',
      'btc',
      'category',
      'class',
      'hop',
      'hop',
      'kind',
      'label',
      'rows',
      'tainted_sat',
      'tainted_sat',
      'txids',
    ]);
    const exX = g.nodes.find((n) => n.id === 'entity:ExchangeX')!;
    expect(exX).toMatchObject({
      label: 'ExchangeX',
      class: 'exchange',
      tainted_sat: '23297817',
      btc: '0.23297817',
    });
  });

  it.skipIf(!has('python3'))('hostile label and address come back as the same text', () => {
    const g = parseGraphml(renderGraph('graphml', tampered, 't.json'));
    expect(g.nodes.map((n) => n.label)).toContain(EVIL_LABEL);
    // U+2028 is legal XML; the address is the node's label and its id suffix.
    expect(g.nodes.map((n) => n.label)).toContain(EVIL_ADDRESS);
    expect(g.nodes.map((n) => n.id)).toContain(`addr:${EVIL_ADDRESS}`);
  });
});
