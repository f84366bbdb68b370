// Importers on small hand-written files of each format: what each tag becomes, which are left
// out (other currencies, transaction tags) and which are bad, with the line they are on.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  collectFiles,
  OFAC_LIST_NAME,
  readLabelFile,
  type ImportOptions,
} from '../../src/labels/import-files.js';
import type { ImportedList } from '../../src/labels/record.js';
import { tagLines } from '../../src/labels/tag-lines.js';
import { confidenceLevel, confidenceName } from '../../src/labels/taxonomy.js';
import { looksLikePlainList } from '../../src/labels/plain-list.js';

const FIX = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures');

function read(rel: string, o: ImportOptions = {}): ImportedList {
  const r = readLabelFile(path.join(FIX, rel), o, false);
  if (!('labels' in r)) throw new Error(`passed over: ${r.reason}`);
  return r;
}

describe('TagPack YAML', () => {
  const list = read('packs/shop.yaml');

  it('keeps the 4 Bitcoin address tags, header fields inherited and overridden', () => {
    expect(list.kind).toBe('tagpack');
    expect(list.name).toBe('shop.yaml');
    expect(list.date).toBe('2021-03-04');
    expect(list.labels).toEqual([
      {
        address: '1NDyJtNTjmwk5xPNhjgAMu4HDHigtobu1s',
        label: 'ExchangeX',
        category: 'exchange',
        abuse: null,
        actor: 'exchangex',
        confidence: 50,
        source: 'https://example.org/exchangex',
        definesCluster: true,
      },
      // quoted address, `currency: BTC ` with a trailing space, confidence overridden
      expect.objectContaining({
        address: '3CTPRyUbCKkByGmAVvDV6ReZXT1WfV3UPd',
        confidence: 20,
        label: 'ExchangeX',
      }),
      // upper-case bech32 normalised; label, category and cluster flag overridden
      expect.objectContaining({
        address: 'bc1qwms3sluvylc7v4yav3e3tn8smrw0aapudseruw',
        label: 'Hydra deposit',
        category: 'darknet_market',
        definesCluster: false,
      }),
      // `network` instead of `currency`; abuse with the category cleared
      expect.objectContaining({
        address: '37xQhztFMKYnPLqv6YoR61tCHqToCC8eby',
        category: null,
        abuse: 'extremism',
        confidence: 50,
      }),
    ]);
  });

  it('reports the 3 bad tags with file and line, and counts what it left out', () => {
    const file = path.join(FIX, 'packs/shop.yaml');
    expect(list.bad).toEqual([
      {
        file,
        line: 23,
        reason: expect.stringMatching(
          /^1NDyJtNTjmwk5xPNhjgAMu4HDHigtobu1t: not a valid Bitcoin address/,
        ) as string,
      },
      { file, line: 33, reason: '16ZSAEfYpPCj3D94fsNt2okYj9Ue8mxy6T: no label' },
      { file, line: 35, reason: '3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1: unknown confidence "very_sure"' },
    ]);
    expect(list.skipped).toEqual({ 'currency ETH': 1, 'currency LTC': 1, 'transaction tag (no address)': 1 });
  });

  it('locates tags of an indented list and a numeric confidence', () => {
    const nested = read('packs/sub/seized.yml');
    expect(nested.date).toBe('2021-06-07');
    expect(nested.labels.map((l) => [l.address, l.abuse, l.category, l.confidence])).toEqual([
      ['bc1qq2euq8pw950klpjcawuy4uj39ym43hs6cfsegq', 'ransomware', null, 60],
      ['15JFh88FcE4WL6qeMLgX5VEAFCbRXjc9fr', 'ransomware', null, 55],
    ]);
    expect(tagLines(readFileSync(path.join(FIX, 'packs/sub/seized.yml'), 'utf8'), 2)).toEqual([10, 11]);
  });

  it('claims no lines when the item count disagrees', () => {
    expect(tagLines('tags:\n- a: 1\n- a: 2\n', 2)).toEqual([2, 3]);
    expect(tagLines('tags:\n- a: 1\n- a: 2\n', 3)).toBeNull();
    expect(tagLines('title: x\n', 0)).toBeNull();
  });

  it('actor packs give names, categories and upper-case jurisdictions', () => {
    const a = read('packs/actors/test.actorpack.yaml');
    expect(a.kind).toBe('actorpack');
    expect(a.actors).toEqual([
      {
        id: 'exchangex',
        label: 'Exchange X Ltd',
        uri: 'exchangex.example',
        categories: ['exchange'],
        jurisdictions: ['EE', 'US'],
      },
      { id: 'nobody', label: 'Nobody', uri: null, categories: [], jurisdictions: [] },
    ]);
  });

  it('a directory: every pack under it, sorted, README skipped, other YAML passed over', () => {
    const found = collectFiles([path.join(FIX, 'packs')]);
    expect(found.map((f) => path.relative(FIX, f.file))).toEqual([
      'packs/actors/test.actorpack.yaml',
      'packs/config.yaml',
      'packs/shop.yaml',
      'packs/sub/seized.yml',
    ]);
    const config = readLabelFile(found[1]!.file, {}, true);
    expect(config).toEqual({ file: found[1]!.file, reason: 'not a TagPack or actor pack', failed: false });
    expect(() => readLabelFile(found[1]!.file, {}, false)).toThrow(/not a label file this importer knows/);
  });
});

describe('CSV', () => {
  it('reads address,label,category and the optional columns; bad rows with their line', () => {
    const list = read('labels.csv');
    expect(list.kind).toBe('csv');
    expect(list.labels).toEqual([
      {
        address: '1NDyJtNTjmwk5xPNhjgAMu4HDHigtobu1s',
        label: 'ExchangeX',
        category: 'exchange',
        abuse: null,
        actor: 'exchangex',
        confidence: 50,
        source: 'case 2024-17',
        definesCluster: false,
      },
      expect.objectContaining({
        address: 'bc1qwms3sluvylc7v4yav3e3tn8smrw0aapudseruw',
        label: 'Shop, Inc.',
        // the quote that guarded a formula-like cell comes off
        source: '=HYPERLINK("x") seizure report',
        confidence: 90,
      }),
    ]);
    expect(list.bad.map((b) => [b.line, b.reason.replace(/ \(.*/, '')])).toEqual([
      [4, '3CTPRyUbCKkByGmAVvDV6ReZXT1WfV3UPx: not a valid Bitcoin address'],
      [5, '37xQhztFMKYnPLqv6YoR61tCHqToCC8eby: no label'],
      [7, '16ZSAEfYpPCj3D94fsNt2okYj9Ue8mxy6T: unknown confidence sure'],
    ]);
  });
});

describe('OFAC', () => {
  it('sdn_advanced.xml: XBT features only, the primary alias as the label, the date of issue', () => {
    const list = read('sdn_advanced.xml');
    expect([list.kind, list.name, list.date]).toEqual(['ofac', OFAC_LIST_NAME, '2024-09-26']);
    expect(list.labels.map((l) => [l.address, l.label, l.abuse, l.confidence])).toEqual([
      ['16ZSAEfYpPCj3D94fsNt2okYj9Ue8mxy6T', 'HYDRA MARKET & CO', 'sanction', 60],
      ['3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1', 'GARANTEX EUROPE OU', 'sanction', 60],
    ]);
    expect(list.bad).toEqual([
      expect.objectContaining({
        line: 41,
        reason: expect.stringMatching(/^16ZSAEfYpPCj3D94fsNt2okYj9Ue8mxy6X: /) as string,
      }),
    ]);
  });

  it('a plain list needs --label; with it every address gets the label', () => {
    expect(() => read('addresses.txt')).toThrow(/needs --label/);
    const list = read('addresses.txt', {
      label: 'Hoster X',
      category: 'Hosting',
      confidence: 70,
      date: '2025-01-02',
    });
    expect([list.kind, list.name, list.date]).toEqual(['plain', 'addresses.txt', '2025-01-02']);
    expect(list.labels.map((l) => [l.address, l.label, l.category, l.confidence])).toEqual([
      ['1NDyJtNTjmwk5xPNhjgAMu4HDHigtobu1s', 'Hoster X', 'hosting', 70],
      ['3CTPRyUbCKkByGmAVvDV6ReZXT1WfV3UPd', 'Hoster X', 'hosting', 70],
    ]);
    expect(list.bad.map((b) => b.line)).toEqual([5]);
  });

  it('tells a plain list from other text', () => {
    expect(looksLikePlainList('# c\n1NDyJtNTjmwk5xPNhjgAMu4HDHigtobu1s\n')).toBe(true);
    expect(looksLikePlainList('title: x\n')).toBe(false);
    expect(looksLikePlainList('# only a comment\n')).toBe(false);
  });
});

describe('confidence levels', () => {
  it.each([
    ['ownership', 100],
    [' Service_Data ', 50],
    ['unknown', 5],
    ['0', 0],
    ['100', 100],
    [100, 100],
    ['', null],
    [null, null],
  ])('%j -> %j', (v, level) => expect(confidenceLevel(v)).toBe(level));
  it.each([['101'], [101], [-1], [2.5], ['sure'], [['x']]])('%j is not a confidence', (v) =>
    expect(confidenceLevel(v)).toBeUndefined(),
  );
  it.each([
    [100, 'ownership'],
    [99, 'manual_transaction'],
    [60, 'authority_data'],
    [59, 'service_data'],
    [10, 'heuristic'],
    [9, 'unknown'],
    [null, 'unknown'],
  ])('level %j exports as %s', (level, name) => expect(confidenceName(level)).toBe(name));
});
