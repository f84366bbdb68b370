// GraphSense address_tags entries as Labels (src/labels/label.ts), and the LabelBook over them.
import { describe, expect, it } from 'vitest';
import { byBest, labelBook, labelOfTag } from '../../src/sources/graphsense/attribution.js';

const TAG = {
  label: 'internet archive',
  category: 'organization',
  confidence: 'service_data',
  confidence_level: 50,
  is_cluster_definer: true,
  lastmod: 1636675200,
  source: 'https://archive.org/donate/cryptocurrency',
  tagpack_title: 'GraphSense Demo TagPack',
  tagpack_uri: 'https://github.com/graphsense/graphsense-tagpacks/tree/master/packs/demo.yaml',
  address: '1Archive1n2C579dMsAu3iC6tWzuQJz8dN',
};

describe('labelOfTag', () => {
  it('maps the OpenAPI example tag', () => {
    expect(labelOfTag(TAG)).toEqual({
      label: 'internet archive',
      category: 'organization',
      abuse: null,
      actor: null,
      confidence: 50,
      source: 'https://archive.org/donate/cryptocurrency',
      list: 'GraphSense: GraphSense Demo TagPack',
      listDate: '2021-11-12',
      definesCluster: true,
    });
  });

  const confidence: [unknown, unknown, number | null][] = [
    [100, 'service_data', 100],
    [0, 'service_data', 0],
    [101, 'service_data', 50], // out of range: the name decides
    [-1, 'web_crawl', 20],
    [undefined, 'ownership', 100],
    [undefined, 'no-such-name', null],
    [undefined, undefined, null],
  ];
  for (const [level, name, want] of confidence) {
    it(`confidence_level ${String(level)}, confidence ${String(name)} -> ${String(want)}`, () => {
      expect(labelOfTag({ ...TAG, confidence_level: level, confidence: name })!.confidence).toBe(want);
    });
  }

  it('no label text: no Label; abuse and actor kept, lower-cased terms', () => {
    expect(labelOfTag({ ...TAG, label: '  ' })).toBeNull();
    expect(labelOfTag('not an object')).toBeNull();
    const l = labelOfTag({ ...TAG, category: 'Exchange', abuse: 'Ransomware', actor: 'binance' })!;
    expect([l.category, l.abuse, l.actor]).toEqual(['exchange', 'ransomware', 'binance']);
  });

  it('a LabelBook: best first, vocabulary and lists', () => {
    const a = labelOfTag(TAG)!;
    const b = labelOfTag({
      ...TAG,
      label: 'other',
      category: 'exchange',
      confidence_level: 70,
      tagpack_title: 'B',
    })!;
    const book = labelBook(new Map([[TAG.address, [a, b].sort(byBest)]]));
    expect(
      book
        .lookup([TAG.address, 'bc1qnone'])
        .get(TAG.address)!
        .map((l) => l.label),
    ).toEqual(['other', 'internet archive']);
    expect(book.lookup(['bc1qnone']).size).toBe(0);
    expect([...book.vocabulary()].sort()).toEqual(['exchange', 'organization']);
    expect(book.lists().map((l) => [l.name, l.labels])).toEqual([
      ['GraphSense: B', 1],
      ['GraphSense: GraphSense Demo TagPack', 1],
    ]);
  });
});
