// Labels flowing into every output of the demo case: trace (with cluster inheritance), cluster,
// tx and address; the exposure command's figures; --stop-at-label and --stop-at checking.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_DIR, DEMO_TAGS, runBin, SHOP_A } from '../cli/helpers.js';
import { removeScratchDirs, scratchDir } from '../support/scratch.js';

afterAll(removeScratchDirs);

const DIR = scratchDir('btctrace-labels-');
const OWNER = '3Q1nY8fjcEp7Yi2TtrF97pQQffdmqfK4Lg'; // co-spends with the shop's address in the demo
const EXX = '3DcAsiagxGibYHvtvXZLCxtCPQcA8B73u1';
const EXX2 = '3MEYUEpu7hviv3pjRqszf2WyPn3N4jwp6i';
const FE448 = 'fe448c46dc81fe53e35e356e4b1298203bd68c4e4d0b9f0b536f3615107f1df9';

function tags(name: string, text: string): string {
  const f = path.join(DIR, name);
  writeFileSync(f, text);
  return f;
}
const csvRows = (out: string) =>
  out
    .trimEnd()
    .split('\n')
    .map((l) => l.split(','));

describe('labels in trace rows', () => {
  const definer = tags(
    'definer.csv',
    `address,label,category,confidence,is_cluster_definer\n${OWNER},ShopOwner,shop,90,true\n`,
  );
  const plain = tags('plain.csv', `address,label,category,confidence\n${OWNER},ShopOwner,shop,90\n`);
  const base = ['trace', SHOP_A, '--offline', DEMO_DIR, '--hops', '1', '--cluster', '--format'];

  it('with --cluster, a cluster-defining label is shown for the other members, marked via cluster', () => {
    const rows = csvRows(runBin([...base, 'csv', '--tags', definer]).stdout);
    const head = rows[0]!;
    const col = (n: string) => head.indexOf(n);
    expect(head.slice(-5)).toEqual(['note', 'abuse', 'label_confidence', 'label_source', 'cluster']);
    const seeds = rows.filter((r) => r[col('status')] === 'seed');
    expect(seeds).toHaveLength(5);
    for (const s of seeds) {
      expect([s[col('label')], s[col('category')], s[col('label_confidence')]]).toEqual([
        'ShopOwner',
        'shop',
        '90',
      ]);
      expect(s[col('label_source')]).toBe(`via cluster ${OWNER} (${OWNER}): ${definer}`);
    }
    const json = JSON.parse(runBin([...base, 'json', '--tags', definer]).stdout) as {
      rows: Record<string, unknown>[];
    };
    expect(json.rows[0]).toMatchObject({
      label: 'ShopOwner',
      label_via: `cluster ${OWNER} (${OWNER})`,
      label_confidence: 90,
    });
    expect(runBin([...base, 'table', '--wide', '--tags', definer]).stdout).toContain(
      `ShopOwner (shop) via cluster ${OWNER}`,
    );
  });

  it('a label that does not define the cluster is inherited only with --inherit-labels', () => {
    const no = csvRows(runBin([...base, 'csv', '--tags', plain]).stdout);
    expect(no.filter((r) => r.includes('ShopOwner'))).toHaveLength(0);
    const yes = csvRows(runBin([...base, 'csv', '--tags', plain, '--inherit-labels']).stdout);
    expect(yes.filter((r) => r.includes('ShopOwner'))).toHaveLength(5);
  });

  it('--stop-at-label stops at one entity; the note names the rule', () => {
    const r = runBin([
      'trace',
      SHOP_A,
      '--offline',
      DEMO_DIR,
      '--tags',
      DEMO_TAGS,
      '--hops',
      '6',
      '--format',
      'csv',
      '--stop-at',
      'gambling',
      '--stop-at-label',
      'ExchangeX',
    ]);
    expect(r.code).toBe(0);
    const rows = csvRows(r.stdout);
    const notes = rows.filter((c) => c[6] === 'stopped').map((c) => `${c[3]} ${c[16]}`);
    expect(notes).toContain(`${EXX} stop-at-label ExchangeX`);
    expect(notes).toContain('1E7LE5A9vRg61RiViunDon5YmkJZcEGQcb stop-at category gambling (LuckyDice)');
    expect(notes.some((n) => n.includes('ExchangeY'))).toBe(false);
  });

  it('--stop-at is checked against the taxonomy and the labels (exit 2, with a suggestion)', () => {
    const r = runBin(['exposure', SHOP_A, '--offline', DEMO_DIR, '--stop-at', 'sanctoin']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'btctrace: unknown category "sanctoin" for --stop-at (did you mean "sanction"?); known: the label taxonomy (see --help), categories and abuse terms in the labels, "coinjoin", or "none"\n',
    );
  });
});

describe('labels in cluster, tx and address output', () => {
  it('cluster: the definer label is inherited by the other member, via cluster', () => {
    const t = tags('exx.csv', `address,label,category,is_cluster_definer\n${EXX},ExchangeX,exchange,true\n`);
    const rows = csvRows(
      runBin(['cluster', EXX, '--offline', DEMO_DIR, '--tags', t, '--format', 'csv']).stdout,
    );
    expect(rows[0]).toEqual([
      'cluster_id',
      'address',
      'linked_by_txid',
      'hop',
      'label',
      'category',
      'abuse',
      'label_confidence',
      'label_source',
    ]);
    const other = rows.find((r) => r[1] === EXX2)!;
    expect(other.slice(4)).toEqual(['ExchangeX', 'exchange', '', '', `via cluster ${EXX} (${EXX}): ${t}`]);
  });

  it('tx: inputs and outputs carry the label with confidence and source', () => {
    const r = runBin(['tx', FE448, '--offline', DEMO_DIR, '--tags', DEMO_TAGS, '--format', 'json']);
    const j = JSON.parse(r.stdout) as { outputs: { label: Record<string, unknown> | null }[] };
    expect(j.outputs[0]!.label).toEqual({
      label: 'ExchangeX',
      category: 'exchange',
      abuse: null,
      confidence: null,
      source: DEMO_TAGS,
      via: null,
    });
    expect(j.outputs[1]!.label).toBeNull();
    expect(runBin(['tx', FE448, '--offline', DEMO_DIR, '--tags', DEMO_TAGS, '--wide']).stdout).toContain(
      'ExchangeX (exchange)',
    );
  });

  it('address: --tags lists every label of the address', () => {
    const t = tags(
      'two.csv',
      `address,label,category,abuse,confidence,source\n${EXX},ExchangeX,exchange,,50,https://ex.example\n${EXX},Hydra,market,sanction,60,OFAC\n`,
    );
    const j = JSON.parse(
      runBin(['address', EXX, '--offline', DEMO_DIR, '--tags', t, '--format', 'json']).stdout,
    ) as { labels: { label: string; confidence: number }[] };
    expect(j.labels.map((l) => `${l.label}:${l.confidence}`)).toEqual(['Hydra:60', 'ExchangeX:50']); // best first
    const table = runBin(['address', EXX, '--offline', DEMO_DIR, '--tags', t]).stdout;
    expect(table).toContain('label        Hydra (market, sanction); confidence 60; OFAC');
  });
});

describe('btctrace exposure (demo case, hops 6)', () => {
  const base = [
    'exposure',
    SHOP_A,
    '--offline',
    DEMO_DIR,
    '--tags',
    DEMO_TAGS,
    '--hops',
    '6',
    '--format',
    'csv',
  ];
  const line = (out: string, dir: string, name: string) =>
    csvRows(out).find((c) => c[0] === dir && c[1] === 'entity' && c[2] === name);

  it('haircut: ExchangeY 26,342,741, ExchangeX 23,297,817 first at hop 2, LuckyDice 6,353,950 at hop 3; backward ExchangeZ 21,000,000', () => {
    const r = runBin(base);
    expect(r.code).toBe(0);
    expect(line(r.stdout, 'forward', 'ExchangeY')!.slice(6)).toEqual([
      '9399293',
      '0.09399293',
      '16943448',
      '0.16943448',
      '26342741',
      '0.26342741',
      '21.57%',
      '1',
      '2',
    ]);
    expect(line(r.stdout, 'forward', 'ExchangeX')!.slice(10)).toEqual([
      '23297817',
      '0.23297817',
      '19.08%',
      '2',
      '2',
    ]);
    expect(line(r.stdout, 'forward', 'LuckyDice')!.slice(10)).toEqual([
      '6353950',
      '0.06353950',
      '5.20%',
      '3',
      '1',
    ]);
    expect(line(r.stdout, 'backward', 'ExchangeZ')!.slice(6)).toEqual([
      '21000000',
      '0.21000000',
      '0',
      '0.00000000',
      '21000000',
      '0.21000000',
      '17.20%',
      '1',
      '1',
    ]);
  });

  it('poison: ExchangeX 55,000,000 (30,000,000 + 25,000,000 in full)', () => {
    const r = runBin([...base, '--model', 'poison', '--direction', 'forward']);
    expect(line(r.stdout, 'forward', 'ExchangeX')![10]).toBe('55000000');
    expect(csvRows(r.stdout).some((c) => c[0] === 'backward')).toBe(false);
  });

  it('table and JSON say no sanctioned exposure was found and which list was checked; -o writes a manifest', () => {
    const table = runBin(base.slice(0, -2)).stdout;
    expect(table).toContain(
      'No sanctioned exposure found forward or backward; lists checked: tags.csv (undated, 7 labels), ofac-bundled (2024-09-27, 434 labels).',
    );
    const out = path.join(DIR, 'exposure.json');
    const r = runBin([...base.slice(0, -2), '-o', out]);
    expect(r.code).toBe(0);
    const j = JSON.parse(readFileSync(out, 'utf8')) as {
      sanctioned_found: boolean;
      lists_checked: unknown[];
      directions: { seed_sat: number }[];
    };
    expect(j.sanctioned_found).toBe(false);
    expect(j.lists_checked).toEqual([
      { name: 'tags.csv', date: null, labels: 7 },
      { name: 'ofac-bundled', date: '2024-09-27', labels: 434 },
    ]);
    expect(j.directions.map((d) => d.seed_sat)).toEqual([122_100_000, 122_100_000]);
    expect(runBin(['verify', `${out}.manifest.json`]).code).toBe(0);
  });
});
