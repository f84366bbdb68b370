// Issue 9, "case files that cannot be misread": driven through the built CLI (bin/btctrace.js).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_DIR, DEMO_TAGS, runBin, SHOP_A } from '../cli/helpers.js';
import { removeScratchDirs, scratchDir } from '../support/scratch.js';

afterAll(removeScratchDirs);

const DEMO = ['trace', SHOP_A, '--offline', DEMO_DIR, '--tags', DEMO_TAGS, '--hops', '6'];
const tmp = () => scratchDir('btctrace-ux-');

describe('format follows the -o extension', () => {
  it('writes CSV into case.csv without --format, JSON into .json, JSON Lines into .jsonl', () => {
    const dir = tmp();
    for (const ext of ['csv', 'json', 'jsonl']) {
      const r = runBin([...DEMO, '-o', path.join(dir, `case.${ext}`)]);
      expect(r.code).toBe(0);
      expect(existsSync(path.join(dir, `case.${ext}.manifest.json`))).toBe(true);
    }
    const csv = readFileSync(path.join(dir, 'case.csv'), 'utf8');
    expect(csv.startsWith('hop,txid,vout,address,value_sat,tainted_sat,status,')).toBe(true);
    expect(csv).not.toContain('│');
    const json = JSON.parse(readFileSync(path.join(dir, 'case.json'), 'utf8')) as { rows: unknown[] };
    expect(json.rows).toHaveLength(25);
    const lines = readFileSync(path.join(dir, 'case.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(26); // meta line + 25 rows
    const head = JSON.parse(lines[0]!) as { meta: { tool: string }; totals: unknown };
    expect(head.meta.tool).toBe('btctrace');
    expect(head.totals).toBeDefined();
    const row = JSON.parse(lines[1]!) as { hop: number; tainted_sat: number };
    expect(row).toMatchObject({ hop: 0, tainted_sat: 12500000 });
    // the rows of .jsonl are the rows of .json, in the same order
    expect(lines.slice(1).map((l) => JSON.parse(l) as unknown)).toEqual(json.rows);
  });

  it('refuses an explicit --format that contradicts the extension (exit 2, nothing written)', () => {
    const dir = tmp();
    const out = path.join(dir, 'case.csv');
    const r = runBin([...DEMO, '--format', 'table', '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--format table contradicts the output file .*case\.csv/);
    expect(existsSync(out)).toBe(false);
    // agreeing --format is fine
    expect(runBin([...DEMO, '--format', 'csv', '-o', out]).code).toBe(0);
  });

  it('writes the flow graph for .html/.dot/.graphml, refuses a contradicting --format, keeps a table for an unknown extension', () => {
    const dir = tmp();
    const starts: Record<string, string> = { html: '<!DOCTYPE html>', dot: 'digraph', graphml: '<?xml' };
    for (const ext of ['html', 'dot', 'graphml']) {
      const file = path.join(dir, `case.${ext}`);
      expect(runBin([...DEMO, '-o', file]).code).toBe(0);
      expect(readFileSync(file, 'utf8').trimStart().slice(0, 30).toLowerCase()).toContain(
        starts[ext]!.toLowerCase(),
      );
      const r = runBin([...DEMO, '--format', 'csv', '-o', path.join(dir, `other.${ext}`)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`contradicts the output file`);
    }
    const txt = path.join(dir, 'case.txt');
    expect(runBin([...DEMO, '-o', txt]).code).toBe(0);
    expect(readFileSync(txt, 'utf8')).toContain('│');
  });

  it('-o - writes to stdout, creating no file named "-"', () => {
    const dir = tmp();
    const r = runBin([...DEMO, '--format', 'csv', '-o', '-'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^hop,txid,vout,/);
    expect(existsSync(path.join(dir, '-'))).toBe(false);
  });
});

describe('--stop-at is checked', () => {
  it('rejects a misspelt category with a did-you-mean (exit 2, before any trace)', () => {
    const r = runBin([...DEMO, '--stop-at', 'exchnage']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown category "exchnage" for --stop-at (did you mean "exchange"?)');
    expect(r.stdout).toBe('');
  });

  it('accepts taxonomy terms, "coinjoin", "none", and categories found only in the tags file', () => {
    const runs = new Map(
      ['mixing_service,exchange', 'coinjoin', 'none', 'gambling'].map((v) => [
        v,
        runBin([...DEMO, '--stop-at', v, '--format', 'csv']),
      ]),
    );
    for (const r of runs.values()) expect(r.code).toBe(0);
    // stopping at gambling stops at LuckyDice; the default (exchange) leaves it unspent
    const g = runs.get('gambling')!.stdout;
    expect(g).toMatch(/1E7LE5A9vRg61RiViunDon5YmkJZcEGQcb,15000000,6353950,stopped,/);
  });

  it('accepts a category that only the loaded tags file has, and only with it', () => {
    const dir = tmp();
    const tags = path.join(dir, 'tags.csv');
    writeFileSync(
      tags,
      'address,label,category\n1E7LE5A9vRg61RiViunDon5YmkJZcEGQcb,LuckyDice,pig_butchering\n',
    );
    const base = ['trace', SHOP_A, '--offline', DEMO_DIR, '--hops', '6', '--format', 'csv'];
    const ok = runBin([...base, '--tags', tags, '--stop-at', 'pig_butchering']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/1E7LE5A9vRg61RiViunDon5YmkJZcEGQcb,15000000,6353950,stopped,/);
    const bad = runBin([...base, '--stop-at', 'pig_butchering']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown category "pig_butchering" for --stop-at');
  });

  it('help says --stop-at replaces the default list', () => {
    const r = runBin(['trace', '--help']);
    expect(r.stdout).toMatch(/replaces the\s+default list/);
  });
});

describe('conservation table: where the seed taint ended up', () => {
  it('demo (haircut, --hops 6): endpoints + fees add up exactly to the seed taint', () => {
    const r = runBin(DEMO);
    expect(r.code).toBe(0);
    const line = (name: string, sat: string) =>
      new RegExp(`│ ${name.replace(/[()]/g, '\\$&')}\\s+│[\\s\\d]+│\\s+${sat} │`);
    expect(r.stdout).toMatch(line('ExchangeY (exchange), stopped', '26,342,741'));
    expect(r.stdout).toMatch(line('ExchangeX (exchange), stopped', '23,297,817'));
    expect(r.stdout).toMatch(line('LuckyDice (gambling), unspent', '6,353,950'));
    expect(r.stdout).toMatch(line('unspent, unlabelled', '33,317,937'));
    expect(r.stdout).toMatch(line('still moving at the hop limit', '32,781,745'));
    expect(r.stdout).toMatch(line('paid as fees to miners (9 transactions)', '5,810'));
    expect(r.stdout).toMatch(line('total (= seed taint)', '122,100,000'));
    // the old status totals (3.2 BTC "spent" beside a 1.221 BTC seed) are gone
    expect(r.stdout).not.toContain('3.20647855');
  });

  it('JSON carries the same figures; the lines sum to seed_sat', () => {
    const r = runBin([...DEMO, '--format', 'json']);
    const c = (JSON.parse(r.stdout) as { totals: { conservation: Record<string, unknown> } }).totals
      .conservation as { seed_sat: number; total_sat: number; lines: { label: string; sat: number }[] };
    expect(c.seed_sat).toBe(122100000);
    expect(c.lines.reduce((a, l) => a + l.sat, 0)).toBe(122100000);
    expect(c.lines.find((l) => l.label.startsWith('ExchangeY'))!.sat).toBe(26342741);
  });

  it('haircut backward: a rounding line keeps the sum exact', () => {
    const r = runBin([
      'trace',
      '3DcAsiagxGibYHvtvXZLCxtCPQcA8B73u1',
      '--direction',
      'backward',
      '--offline',
      DEMO_DIR,
      '--tags',
      DEMO_TAGS,
      '--format',
      'json',
    ]);
    const c = (JSON.parse(r.stdout) as { totals: { conservation: Record<string, unknown> } }).totals
      .conservation as { seed_sat: number; lines: { kind: string; sat: number }[] };
    expect(c.lines.reduce((a, l) => a + l.sat, 0)).toBe(c.seed_sat);
    expect(c.lines.some((l) => l.kind === 'fees')).toBe(false);
    expect(c.lines.find((l) => l.kind === 'rounding')!.sat).toBe(1);
  });

  it('poison: says plainly that its sums overstate', () => {
    const r = runBin([...DEMO, '--model', 'poison']);
    expect(r.stdout).toContain('sum of the lines (overstates: poison)');
    expect(r.stdout).toContain('do not add up to the seed taint');
    expect(r.stdout).not.toContain('rounding');
  });
});
