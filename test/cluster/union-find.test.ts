import { describe, expect, it } from 'vitest';
import { compareKeys, Interner, KeyedUnionFind, UnionFind } from '../../src/cluster/union-find.js';
import { mulberry32 } from './prng.js';

/** Component label per node (its smallest member) by breadth-first search: the naive reference. */
function bfsLabels(n: number, edges: [number, number][]): number[] {
  const adj: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) {
    adj[a]!.push(b);
    adj[b]!.push(a);
  }
  const label = new Array<number>(n).fill(-1);
  for (let s = 0; s < n; s++) {
    if (label[s] !== -1) continue;
    const comp = [s];
    label[s] = s;
    for (let k = 0; k < comp.length; k++) {
      for (const v of adj[comp[k]!]!) {
        if (label[v] === -1) {
          label[v] = s;
          comp.push(v);
        }
      }
    }
  }
  return label;
}

function ufLabels(n: number, edges: [number, number][]): number[] {
  const uf = new UnionFind(1); // start tiny so growth is exercised
  for (let i = 0; i < n; i++) expect(uf.add()).toBe(i);
  for (const [a, b] of edges) uf.union(a, b);
  const minOfRoot = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const r = uf.find(i);
    if (!minOfRoot.has(r)) minOfRoot.set(r, i);
  }
  return Array.from({ length: n }, (_, i) => minOfRoot.get(uf.find(i))!);
}

describe('UnionFind against BFS components', () => {
  const graphs = [
    { seed: 1, n: 1, m: 0 },
    { seed: 2, n: 10, m: 5 },
    { seed: 3, n: 100, m: 40 },
    { seed: 4, n: 100, m: 400 },
    { seed: 5, n: 1000, m: 600 },
    { seed: 6, n: 2000, m: 1900 },
    { seed: 7, n: 5000, m: 20000 },
  ];
  for (const g of graphs) {
    it(`seed ${g.seed}: ${g.n} nodes, ${g.m} random edges give identical partitions`, () => {
      const rnd = mulberry32(g.seed);
      const edges: [number, number][] = [];
      for (let k = 0; k < g.m; k++) edges.push([Math.floor(rnd() * g.n), Math.floor(rnd() * g.n)]);
      const want = bfsLabels(g.n, edges);
      expect(ufLabels(g.n, edges)).toEqual(want);
    });
  }

  it('counts components and sizes on a fixed graph', () => {
    const uf = new UnionFind();
    for (let i = 0; i < 7; i++) uf.add();
    expect(uf.union(0, 1)).toBe(true);
    expect(uf.union(1, 2)).toBe(true);
    expect(uf.union(2, 0)).toBe(false);
    expect(uf.union(4, 5)).toBe(true);
    expect([uf.sizeOf(0), uf.sizeOf(3), uf.sizeOf(5), uf.sizeOf(6)]).toEqual([3, 1, 2, 1]);
    expect(uf.connected(0, 2)).toBe(true);
    expect(uf.connected(2, 4)).toBe(false);
    expect(uf.size).toBe(7);
  });

  it('rejects ids that are not elements', () => {
    const uf = new UnionFind();
    uf.add();
    expect(() => uf.find(1)).toThrow('id 1 is not an element (size 1)');
    expect(() => uf.find(-1)).toThrow(/id -1/);
    expect(() => new UnionFind(0)).toThrow(/initialCapacity 0/);
  });
});

describe('Interner and KeyedUnionFind', () => {
  it('interns in first-seen order', () => {
    const i = new Interner();
    expect([i.intern('b'), i.intern('a'), i.intern('b')]).toEqual([0, 1, 0]);
    expect(i.keyOf(1)).toBe('a');
    expect(i.lookup('c')).toBeUndefined();
    expect(i.size).toBe(2);
    expect(() => i.keyOf(5)).toThrow('id 5 was never interned (size 2)');
  });

  it('groups are sorted inside and ordered by their smallest key, locale-independently', () => {
    const k = new KeyedUnionFind();
    k.union('bc1z', 'bc1a');
    k.union('1B', 'bc1z');
    k.add('3Q');
    k.union('a', 'B');
    expect(k.groups()).toEqual([['1B', 'bc1a', 'bc1z'], ['3Q'], ['B', 'a']]);
    expect(k.connected('1B', 'bc1a')).toBe(true);
    expect(k.connected('1B', 'missing')).toBe(false);
    expect(k.size).toBe(6);
    expect(['b', 'B', 'a'].sort(compareKeys)).toEqual(['B', 'a', 'b']);
  });
});
