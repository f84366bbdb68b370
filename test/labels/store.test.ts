// The store: a list imported again replaces its labels, lookups come back best first and in
// batches of LOOKUP_BATCH, the bundled OFAC snapshot screens until an OFAC list is imported,
// and the default file is the platform's data directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addLabelOptions, openLabelBook } from '../../src/cli/label-options.js';
import { Command } from 'commander';
import { runLabelsList, TABLE_ROWS } from '../../src/cli/labels-view.js';
import { captureIO } from '../cli/helpers.js';
import { BUNDLED_OFAC_NAME, bundledOfacBook } from '../../src/labels/books.js';
import { readLabelFile } from '../../src/labels/import-files.js';
import { defaultLabelsFile, labelsFile } from '../../src/labels/paths.js';
import { emptyList, type ImportedList, type LabelRecord } from '../../src/labels/record.js';
import { LOOKUP_BATCH, LabelStore } from '../../src/labels/store.js';
import { queryLabels, storeStats } from '../../src/labels/store-query.js';

const FIX = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures');
const work = mkdtempSync(path.join(tmpdir(), 'btctrace-labels-store-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const NOW = new Date('2026-01-01T00:00:00Z');
let n = 0;
const fresh = () => LabelStore.open(path.join(work, `s${++n}`, 'labels.sqlite'), { create: true });

function file(rel: string): ImportedList {
  const r = readLabelFile(path.join(FIX, rel), {}, false);
  if (!('labels' in r)) throw new Error(r.reason);
  return r;
}

function rec(address: string, label: string, confidence: number | null): LabelRecord {
  return {
    address,
    label,
    category: 'exchange',
    abuse: null,
    actor: null,
    confidence,
    source: null,
    definesCluster: false,
  };
}

describe('import', () => {
  it('importing the same file again replaces its labels (same counts, same rows)', () => {
    const s = fresh();
    const first = s.importList(file('packs/shop.yaml'), NOW);
    expect(first).toEqual({ name: 'shop.yaml', labels: 4, actors: 0, replaced: 0 });
    const rows = [...queryLabels(s, {})];
    const again = s.importList(file('packs/shop.yaml'), NOW);
    expect(again).toEqual({ name: 'shop.yaml', labels: 4, actors: 0, replaced: 4 });
    expect([...queryLabels(s, {})]).toEqual(rows);
    expect(s.lists()).toEqual([
      {
        name: 'shop.yaml',
        date: '2021-03-04',
        kind: 'tagpack',
        file: path.join(FIX, 'packs/shop.yaml'),
        importedAt: NOW.toISOString(),
        bad: 3,
        labels: 4,
      },
    ]);
    s.close();
  });

  it('lists are independent; remove takes one list away', () => {
    const s = fresh();
    s.importList(file('packs/shop.yaml'), NOW);
    s.importList(file('labels.csv'), NOW);
    expect(storeStats(s)).toMatchObject({ labels: 6, addresses: 4 }); // the CSV labels two of the pack's addresses;
    expect(s.removeList('labels.csv')).toBe(2);
    expect(s.removeList('labels.csv')).toBeNull();
    expect(storeStats(s)).toMatchObject({ labels: 4, addresses: 4 });
    s.close();
  });

  it('a failed import leaves the old labels (one transaction per list)', () => {
    const s = fresh();
    const list = emptyList('mine', 'csv', 'mine.csv');
    list.labels.push(rec('1NDyJtNTjmwk5xPNhjgAMu4HDHigtobu1s', 'A', 50));
    s.importList(list, NOW);
    const broken = emptyList('mine', 'csv', 'mine.csv');
    broken.labels.push(rec('3CTPRyUbCKkByGmAVvDV6ReZXT1WfV3UPd', 'B', 50));
    broken.labels.push({ ...rec('x', 'C', 50), label: null as unknown as string }); // NOT NULL fails
    expect(() => s.importList(broken, NOW)).toThrow();
    expect([...queryLabels(s, {})].map((l) => l.label)).toEqual(['A']);
    s.close();
  });
});

describe('lookup', () => {
  it('labels best first: confidence, then list, then label; actor name and jurisdictions joined', () => {
    const s = fresh();
    s.importList(file('packs/actors/test.actorpack.yaml'), NOW);
    s.importList(file('packs/shop.yaml'), NOW);
    s.importList(file('labels.csv'), NOW);
    const m = s.lookup([
      '1NDyJtNTjmwk5xPNhjgAMu4HDHigtobu1s',
      '1NDyJtNTjmwk5xPNhjgAMu4HDHigtobu1s',
      'bc1qnothing',
    ]);
    expect([...m.keys()]).toEqual(['1NDyJtNTjmwk5xPNhjgAMu4HDHigtobu1s']);
    expect(
      m
        .get('1NDyJtNTjmwk5xPNhjgAMu4HDHigtobu1s')!
        .map((l) => [l.list, l.confidence, l.actorName, l.jurisdictions]),
    ).toEqual([
      ['labels.csv', 50, 'Exchange X Ltd', ['EE', 'US']],
      ['shop.yaml', 50, 'Exchange X Ltd', ['EE', 'US']],
    ]);
    const bech = s
      .lookup(['bc1qwms3sluvylc7v4yav3e3tn8smrw0aapudseruw'])
      .get('bc1qwms3sluvylc7v4yav3e3tn8smrw0aapudseruw')!;
    expect(bech.map((l) => [l.label, l.confidence])).toEqual([
      ['Shop, Inc.', 90],
      ['Hydra deposit', 50],
    ]);
    expect([...s.vocabulary()].sort()).toEqual(['darknet_market', 'exchange', 'extremism', 'shop']);
    s.close();
  });

  it.each([LOOKUP_BATCH - 1, LOOKUP_BATCH, LOOKUP_BATCH + 1, 2 * LOOKUP_BATCH + 1])(
    'finds every labelled address among %i asked (batch boundaries)',
    (count) => {
      const s = fresh();
      const list = emptyList('many', 'csv', 'many.csv');
      // fake but distinct keys: the store does not re-validate what importers checked
      const addrs = Array.from({ length: count }, (_, i) => `bc1qtest${String(i).padStart(6, '0')}`);
      for (const a of addrs) list.labels.push(rec(a, 'L', null));
      s.importList(list, NOW);
      const m = s.lookup([...addrs, 'bc1qabsent']);
      expect(m.size).toBe(count);
      expect(m.get(addrs[count - 1]!)![0]!.label).toBe('L');
      s.close();
    },
  );
});

describe('bundled OFAC snapshot and openLabelBook', () => {
  const HYDRA = '16ZSAEfYpPCj3D94fsNt2okYj9Ue8mxy6T';

  it('the bundled list: 434 addresses of 2024-09-27 (the Tron address in it is skipped)', () => {
    const b = bundledOfacBook();
    expect(b.lists()).toEqual([{ name: BUNDLED_OFAC_NAME, date: '2024-09-27', labels: 434 }]);
    expect(b.lookup([HYDRA]).get(HYDRA)![0]).toMatchObject({
      label: 'OFAC SDN',
      abuse: 'sanction',
      confidence: 60,
      listDate: '2024-09-27',
    });
  });

  it('no store file: the bundled list on mainnet only; --no-labels: null', () => {
    const env = { XDG_DATA_HOME: path.join(work, 'empty-data') };
    const book = openLabelBook({}, 'mainnet', env)!;
    expect(book.lists().map((l) => l.name)).toEqual([BUNDLED_OFAC_NAME]);
    expect(book.lookup([HYDRA]).size).toBe(1);
    expect(openLabelBook({}, 'testnet', env)!.lists()).toEqual([]);
    expect(openLabelBook({ labels: false }, 'mainnet', env)).toBeNull();
  });

  it('a named store that does not exist is bad input', () => {
    expect(() => openLabelBook({ labelsDb: path.join(work, 'nope.sqlite') }, 'mainnet', {})).toThrow(
      /--labels-db .*nope\.sqlite: no label store there/,
    );
    expect(() => openLabelBook({}, 'mainnet', { BTCTRACE_LABELS: path.join(work, 'nope2.sqlite') })).toThrow(
      /BTCTRACE_LABELS/,
    );
  });

  it('the store plus the bundled list, until an OFAC list is imported', () => {
    const s = fresh();
    s.importList(file('packs/shop.yaml'), NOW);
    s.close();
    const opts = { labelsDb: s.file };
    expect(
      openLabelBook(opts, 'mainnet', {})!
        .lists()
        .map((l) => l.name),
    ).toEqual(['shop.yaml', BUNDLED_OFAC_NAME]);
    const s2 = LabelStore.open(s.file, { create: false });
    s2.importList(file('sdn_advanced.xml'), NOW);
    s2.close();
    const book = openLabelBook(opts, 'mainnet', {})!;
    expect(book.lists()).toEqual([
      {
        name: 'ofac-sdn',
        date: '2024-09-26',
        labels: 2,
        kind: 'ofac',
        file: path.join(FIX, 'sdn_advanced.xml'),
        importedAt: NOW.toISOString(),
        bad: 1,
      },
      expect.objectContaining({ name: 'shop.yaml' }),
    ]);
    expect(
      book
        .lookup([HYDRA])
        .get(HYDRA)!
        .map((l) => l.label),
    ).toEqual(['HYDRA MARKET & CO']);
  });

  it('addLabelOptions gives --labels-db and --no-labels', () => {
    const cmd = addLabelOptions(new Command('x').exitOverride());
    cmd.parse(['--labels-db', 'a.sqlite', '--no-labels'], { from: 'user' });
    expect(cmd.opts()).toEqual({ labelsDb: 'a.sqlite', labels: false });
  });
});

describe('where the store lives', () => {
  it.each([
    [{ XDG_DATA_HOME: '/x/data' }, 'linux', '/x/data/btctrace/labels.sqlite'],
    [{ XDG_DATA_HOME: 'relative' }, 'linux', '/home/u/.local/share/btctrace/labels.sqlite'],
    [{}, 'linux', '/home/u/.local/share/btctrace/labels.sqlite'],
    [{}, 'darwin', '/home/u/Library/Application Support/btctrace/labels.sqlite'],
    [
      { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' },
      'win32',
      'C:\\Users\\u\\AppData\\Roaming\\btctrace\\labels.sqlite',
    ],
  ] as const)('%j on %s', (env, platform, expected) => {
    expect(defaultLabelsFile(env, platform, '/home/u')).toBe(expected);
  });

  it('--labels-db over BTCTRACE_LABELS over the default', () => {
    expect(labelsFile('/a.sqlite', { BTCTRACE_LABELS: '/b.sqlite' })).toEqual({
      file: '/a.sqlite',
      chosen: 'option',
    });
    expect(labelsFile(undefined, { BTCTRACE_LABELS: '/b.sqlite' })).toEqual({
      file: '/b.sqlite',
      chosen: 'env',
    });
    expect(labelsFile(undefined, { XDG_DATA_HOME: '/d' }).chosen).toBe('default');
  });

  it('a file that is not a label store is refused with its name', () => {
    const bad = path.join(FIX, 'labels.csv');
    expect(() => LabelStore.open(bad, { create: false })).toThrow(
      /labels\.csv: not a usable btctrace label store/,
    );
  });
});

describe('labels list as a table', () => {
  it.each([
    [TABLE_ROWS, `${TABLE_ROWS.toLocaleString('en')} labels\n`],
    [
      TABLE_ROWS + 1,
      `${(TABLE_ROWS + 1).toLocaleString('en')} labels (the first 1,000 shown; --format csv for all)\n`,
    ],
  ])('%i labels: the count line', (count, last) => {
    const s = fresh();
    const list = emptyList('many', 'csv', 'many.csv');
    for (let i = 0; i < count; i++) list.labels.push(rec(`bc1qtest${String(i).padStart(6, '0')}`, 'L', null));
    s.importList(list, NOW);
    s.close();
    const io = captureIO();
    expect(runLabelsList({ labelsDb: s.file, format: 'table' }, io)).toBe(0);
    expect(io.out.endsWith(`┘\n${last}`)).toBe(true);
    expect(io.out.split('\n').filter((l) => l.startsWith('│ bc1qtest'))).toHaveLength(TABLE_ROWS);
  });
});
