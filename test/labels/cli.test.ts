// `btctrace labels ...` through the built binary: exit codes 0 / 2, the import summary, list
// filters and formats, stats, remove, and a CSV export that imports again as is.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBin } from '../cli/helpers.js';

const FIX = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures');
const work = mkdtempSync(path.join(tmpdir(), 'btctrace-labels-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const db = path.join(work, 'store', 'labels.sqlite');
const bin = (...args: string[]) => runBin([...args, '--labels-db', db]);

describe('btctrace labels', () => {
  it('imports a directory: per-file lines, bad tags with file and line on stderr, a summary', () => {
    const r = bin('labels', 'import', path.join(FIX, 'packs'));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'test.actorpack.yaml: 2 actors (actorpack, dated 2023-02-17)',
        'shop.yaml: 4 labels (tagpack, 3 bad, dated 2021-03-04)',
        'seized.yml: 2 labels (tagpack, dated 2021-06-07)',
        `imported 6 labels and 2 actors from 3 files into ${db} (now 6 addresses)`,
        'skipped 3 bad tags: 1 no label; 1 not a valid Bitcoin address (bad base58 checksum or length); 1 unknown confidence "very_sure"',
        'left out (not Bitcoin address tags): 1 currency ETH, 1 currency LTC, 1 transaction tag (no address)',
        '',
      ].join('\n'),
    );
    const shop = path.join(FIX, 'packs/shop.yaml');
    expect(r.stderr).toContain(
      `${path.join(FIX, 'packs/config.yaml')}: passed over: not a TagPack or actor pack\n`,
    );
    expect(r.stderr).toContain(
      `${shop} line 23: skipped: 1NDyJtNTjmwk5xPNhjgAMu4HDHigtobu1t: not a valid Bitcoin address`,
    );
    expect(r.stderr).toContain(`${shop} line 33: skipped: 16ZSAEfYpPCj3D94fsNt2okYj9Ue8mxy6T: no label\n`);
  });

  it('imports again: the same counts, labels replaced, not doubled', () => {
    const r = bin('labels', 'import', path.join(FIX, 'packs'), '-q');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(
      `imported 6 labels and 2 actors from 3 files into ${db} (now 6 addresses)`,
    );
  });

  it('lists with filters, as CSV and JSON', () => {
    const csv = bin('labels', 'list', '--category', 'ransomware', '--format', 'csv');
    expect(csv.code).toBe(0);
    expect(csv.stdout).toBe(
      'address,label,category,abuse,actor,confidence,source,defines_cluster,list,list_date\n' +
        '15JFh88FcE4WL6qeMLgX5VEAFCbRXjc9fr,DarkSide,,ransomware,,55,DOJ press release 2021-06-07,false,seized.yml,2021-06-07\n' +
        'bc1qq2euq8pw950klpjcawuy4uj39ym43hs6cfsegq,DarkSide,,ransomware,,60,DOJ press release 2021-06-07,false,seized.yml,2021-06-07\n',
    );
    const json = bin(
      'labels',
      'list',
      '--address',
      'BC1QWMS3SLUVYLC7V4YAV3E3TN8SMRW0AAPUDSERUW',
      '--format',
      'json',
    );
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({
        address: 'bc1qwms3sluvylc7v4yav3e3tn8smrw0aapudseruw',
        label: 'Hydra deposit',
        actorName: 'Exchange X Ltd',
      }),
    ]);
    const table = bin('labels', 'list', '--label', 'exchangex', '--source', 'shop.yaml');
    expect(table.stdout).toMatch(/1NDyJtNTjmwk5xPNhjgAMu4HDHigtobu1s │ ExchangeX/);
    expect(table.stdout).toMatch(/\n2 labels\n$/);
  });

  it('stats per list and per category', () => {
    const r = bin('labels', 'stats');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '6 labels, 6 addresses, 2 actors, 3 lists; also screened (mainnet): the bundled ofac-bundled list (2024-09-27)',
    );
    expect(r.stdout).toMatch(/│ shop\.yaml\s+│ tagpack\s+│ 2021-03-04 │ 4\s+│ 4\s+│ 3\s+│/);
    expect(r.stdout).toMatch(/│ ransomware\s+│ abuse\s+│ 2\s+│ 2\s+│/);
  });

  it('a CSV export imports again as is', () => {
    const exported = bin('labels', 'export', '--format', 'csv');
    expect(exported.code).toBe(0);
    expect(exported.stderr).toBe('exported 6 labels\n');
    const file = path.join(work, 'shared.csv');
    writeFileSync(file, exported.stdout);
    const other = path.join(work, 'other.sqlite');
    expect(runBin(['labels', 'import', file, '--labels-db', other]).code).toBe(0);
    const back = runBin(['labels', 'export', '--format', 'csv', '--labels-db', other]);
    expect(back.stdout).toBe(exported.stdout);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe(
      'address,label,category,abuse,actor,confidence,source,defines_cluster',
    );
  });

  it('a formula-like cell is exported with a guarding quote and imports back unguarded', () => {
    const a = path.join(work, 'guard-a.sqlite');
    const b = path.join(work, 'guard-b.sqlite');
    expect(runBin(['labels', 'import', path.join(FIX, 'labels.csv'), '--labels-db', a]).code).toBe(0);
    const first = runBin(['labels', 'export', '--labels-db', a]).stdout;
    expect(first).toContain(`,90,"'=HYPERLINK(""x"") seizure report",false\n`);
    const file = path.join(work, 'guard.csv');
    writeFileSync(file, first);
    runBin(['labels', 'import', file, '--list', 'labels.csv', '--labels-db', b]);
    expect(runBin(['labels', 'export', '--labels-db', b]).stdout).toBe(first);
  });

  it('a TagPack export imports again with the same addresses and labels', () => {
    const pack = bin('labels', 'export', '--format', 'tagpack', '--source', 'shop.yaml');
    expect(pack.code).toBe(0);
    const file = path.join(work, 'shared.yaml');
    writeFileSync(file, pack.stdout);
    const other = path.join(work, 'other2.sqlite');
    const r = runBin(['labels', 'import', file, '--labels-db', other]);
    expect(r.stdout).toContain('shared.yaml: 4 labels (tagpack');
  });

  it('remove --source takes one list away; an unknown list is exit 2', () => {
    expect(bin('labels', 'remove', '--source', 'seized.yml').stdout).toBe(
      'removed list seized.yml: 2 labels\n',
    );
    const again = bin('labels', 'remove', '--source', 'seized.yml');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      /^btctrace: --source seized\.yml: no such list in .* \(lists: shop\.yaml, test\.actorpack\.yaml\)\n$/,
    );
  });

  it.each([
    [['labels', 'import', path.join(FIX, 'nope.yaml')], /nope\.yaml: no such file or directory/],
    [['labels', 'import', path.join(FIX, 'addresses.txt')], /needs --label/],
    [['labels', 'import', path.join(FIX, 'packs/config.yaml')], /not a label file this importer knows/],
    [
      ['labels', 'import', path.join(FIX, 'addresses.txt'), '--label', 'X', '--confidence', 'sure'],
      /--confidence sure: not a TagPack confidence name/,
    ],
    [
      ['labels', 'import', path.join(FIX, 'packs'), '--list', 'mine'],
      /--list mine: names one file's list, but 4 files are imported/,
    ],
    [['labels', 'list', '--format', 'xml'], /--format xml: must be one of table, csv, json/],
  ])('bad input %j is exit 2 with one line', (args, message) => {
    const r = bin(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--date dates a list whose file does not say; a bad date is exit 2', () => {
    const ofacDb = path.join(work, 'ofac.sqlite');
    const list = path.join(FIX, 'addresses.txt');
    const r = runBin([
      'labels',
      'import',
      list,
      '--label',
      'Hoster X',
      '--date',
      '2024-09-27',
      '--labels-db',
      ofacDb,
    ]);
    expect(r.stdout.split('\n')[0]).toBe('addresses.txt: 2 labels (plain, 1 bad, dated 2024-09-27)');
    const bad = runBin([
      'labels',
      'import',
      list,
      '--label',
      'X',
      '--date',
      '27.09.2024',
      '--labels-db',
      ofacDb,
    ]);
    expect([bad.code, bad.stderr]).toEqual([
      2,
      "btctrace: --date 27.09.2024: give the list's date as yyyy-mm-dd\n",
    ]);
  });

  it.each(['import', 'list', 'stats', 'remove', 'export'])(
    'labels %s --help starts with examples, ends with exit codes',
    (sub) => {
      const r = runBin(['labels', sub, '--help']);
      expect(r.code).toBe(0);
      const lines = r.stdout.split('\n');
      expect(lines[0]).toBe('Examples:');
      expect(lines[1]).toMatch(new RegExp(`^  \\$ btctrace labels ${sub}( |$)`));
      expect(r.stdout).toMatch(/Exit codes: 0 ok.*2 bad input/);
    },
  );

  it('without a store: says so and names the bundled OFAC list', () => {
    const r = runBin(['labels', 'stats', '--labels-db', path.join(work, 'absent.sqlite')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /no label store at .*absent\.sqlite yet .* bundled ofac-bundled list \(2024-09-27, 434 addresses\)/,
    );
  });
});
