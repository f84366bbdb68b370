// The in-memory book (--tags), combining books, and cluster inheritance as pure functions.
import { describe, expect, it } from 'vitest';
import { combineBooks } from '../../src/labels/combine.js';
import { clusterLabels, inheritClusterLabels } from '../../src/labels/inherit.js';
import { parseLabelCsv } from '../../src/labels/memory-book.js';
import type { FlowRow } from '../../src/trace/result.js';
import { labelSource } from '../../src/output/rows.js';
import { bookOf } from '../support/labels.js';

const A = 'bc1qpx7vyv5tp7dm0g475ev527krg764t73dh77gls';
const B = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa';

describe('parseLabelCsv', () => {
  it('reads the optional columns; confidence by number or TagPack name; several labels, best first', () => {
    const book = parseLabelCsv(
      'address,label,category,abuse,actor,confidence,source,is_cluster_definer\n' +
        `${A},Hydra,market,Sanction,hydra,authority_data,OFAC,yes\n` +
        `${A},Hydra Wallet,,,,100,,\n` +
        `${B},Low,exchange,,,0,,false\n`,
      'cases/t.csv',
      'mainnet',
    );
    const ls = book.lookup([A, B]);
    expect(ls.get(A)!.map((l) => [l.label, l.confidence, l.abuse, l.definesCluster, l.source])).toEqual([
      ['Hydra Wallet', 100, null, false, 'cases/t.csv'],
      ['Hydra', 60, 'sanction', true, 'OFAC'],
    ]);
    expect(ls.get(B)![0]!.confidence).toBe(0); // boundary: 0 is a confidence, not "unknown"
    expect([...book.vocabulary()].sort()).toEqual(['exchange', 'market', 'sanction']);
    expect(book.lists()).toEqual([{ name: 't.csv', date: null, labels: 3 }]);
  });

  it('confidence 100 is accepted, 101 refused; the same label twice is kept once', () => {
    expect(() =>
      parseLabelCsv(`address,label,category,confidence\n${A},X,exchange,100\n`, 't', 'mainnet'),
    ).not.toThrow();
    expect(() =>
      parseLabelCsv(`address,label,category,confidence\n${A},X,exchange,101\n`, 't', 'mainnet'),
    ).toThrow('t line 2: confidence "101" is neither 0-100 nor a TagPack confidence name');
    const twice = parseLabelCsv(`address,label,category\n${A},X,exchange\n${A},X,exchange\n`, 't', 'mainnet');
    expect(twice.lookup([A]).get(A)).toHaveLength(1);
  });
});

describe('combineBooks', () => {
  it('keeps the first book first, drops repeats, merges vocabularies and lists', () => {
    const mine = bookOf([[A, { label: 'Mine', category: 'shop' }]], 'mine.csv');
    const store = bookOf(
      [
        [A, [{ label: 'Store', category: 'exchange', confidence: 100 }]],
        [B, { label: 'Other', abuse: 'scam' }],
      ],
      'store',
    );
    const both = combineBooks([mine, store, mine]);
    expect(
      both
        .lookup([A, B, 'none'])
        .get(A)!
        .map((l) => l.label),
    ).toEqual(['Mine', 'Store']);
    expect(
      both
        .lookup([B])
        .get(B)!
        .map((l) => l.label),
    ).toEqual(['Other']);
    expect([...both.vocabulary()].sort()).toEqual(['exchange', 'scam', 'shop']);
    expect(both.lists().map((l) => l.name)).toEqual(['mine.csv', 'store', 'mine.csv']);
  });
});

describe('cluster label inheritance', () => {
  const row = (address: string, cluster: string | null, label: string | null = null): FlowRow => ({
    hop: 1,
    txid: 'a'.repeat(64),
    vout: 0,
    address,
    valueSat: 10,
    taintedSat: 10,
    status: 'unspent',
    blockHeight: null,
    blockTime: null,
    label,
    category: label ? 'user' : null,
    scriptType: 'p2pkh',
    spentBy: null,
    flags: [],
    note: null,
    cluster,
  });
  const clusterOf = new Map([
    ['m1', 'c1'],
    ['m2', 'c1'],
    ['m3', 'c1'],
    ['n1', 'c2'],
    ['n2', 'c2'],
  ]);
  const book = bookOf([
    ['m2', { label: 'Owner', category: 'exchange', definesCluster: true, source: 'pack.yaml' }],
    ['n1', { label: 'Deposit', category: 'exchange' }],
  ]);

  it('only cluster definers pass on their label, unless all labels are asked for', () => {
    expect(
      [...clusterLabels(clusterOf, book, false)].map(([id, v]) => `${id}:${v.label.label}@${v.from}`),
    ).toEqual(['c1:Owner@m2']);
    expect(clusterLabels(clusterOf, book, true).get('c2')!.label.label).toBe('Deposit');
  });

  it('fills unlabelled rows of the cluster, marks them, and never overrides an own label', () => {
    const rows = [row('m1', 'c1'), row('m3', 'c1', 'Alice'), row('n2', 'c2'), row('x', null)];
    inheritClusterLabels(rows, clusterOf, book, false);
    expect(rows.map((r) => r.label)).toEqual(['Owner', 'Alice', null, null]);
    expect(rows[0]!.labelVia).toBe('cluster c1 (m2)');
    expect(labelSource(rows[0]!)).toBe('via cluster c1 (m2): pack.yaml');
    expect(labelSource(rows[1]!)).toBeNull();
  });
});
