// Issue 9 item 9, through the built CLI: seed lists from files and stdin read alike by
// `trace -`, `cluster -` and `batch` (one per line, or a CSV column with --column); a CSV with a
// header given without --column names the column that holds seeds; a first line that is a
// column name (`cut -d, -f2 leads.csv | btctrace batch -`) is skipped and stderr says so.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_DIR, runBin, SHOP_A } from '../cli/helpers.js';
import { removeScratchDirs, scratchDir } from '../support/scratch.js';

afterAll(removeScratchDirs);

const OTHER = '3DcAsiagxGibYHvtvXZLCxtCPQcA8B73u1';
const LEADS = `name,address,amount\nshop,${SHOP_A},1\nmule,${OTHER},2\n`;
const ADDRESS_COLUMN = `address\n${SHOP_A}\n${OTHER}\n`; // what cut -d, -f2 leads.csv prints
const tmp = () => scratchDir('btctrace-ux9-');
const HINT =
  'looks like a CSV with a header (name,address,amount); column "address" holds addresses or txids (2 of the first 2 rows): add --column address';

describe('a CSV with a header given without --column', () => {
  it('batch <file>: exit 2 naming the column, nothing traced', () => {
    const dir = tmp();
    const file = path.join(dir, 'leads.csv');
    writeFileSync(file, LEADS);
    const r = runBin(['batch', file, '--out-dir', path.join(dir, 'out'), '--offline', DEMO_DIR]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`btctrace: ${file}: ${HINT}\n`);
  });

  it('trace - and cluster -: the same message for standard input', () => {
    for (const cmd of ['trace', 'cluster']) {
      const r = runBin([cmd, '-', '--offline', DEMO_DIR], { input: LEADS });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`btctrace: standard input: ${HINT}\n`);
    }
  });

  it('a header whose rows hold no seed at all says so', () => {
    const r = runBin(['trace', '-', '--offline', DEMO_DIR], { input: 'name,city\nbob,paris\nann,rome\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'looks like a CSV with a header (name,city), and no column holds addresses or txids',
    );
  });
});

describe('--column reads one CSV column', () => {
  it('batch, trace - and cluster - read the address column', () => {
    const dir = tmp();
    const file = path.join(dir, 'leads.csv');
    writeFileSync(file, LEADS);
    const out = path.join(dir, 'out');
    const b = runBin(['batch', file, '--column', 'address', '--out-dir', out, '--offline', DEMO_DIR]);
    expect(b.code).toBe(0);
    const summary = readFileSync(path.join(out, 'summary.csv'), 'utf8').trimEnd().split('\n');
    expect(summary.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
      `2,${SHOP_A},ok`,
      `3,${OTHER},ok`,
    ]);
    const t = runBin(['trace', '-', '--column', 'address', '--offline', DEMO_DIR, '--format', 'json'], {
      input: LEADS,
    });
    expect(t.code).toBe(0);
    expect((JSON.parse(t.stdout) as { trace: { seeds: string[] } }).trace.seeds).toEqual([SHOP_A, OTHER]);
    const c = runBin(['cluster', '-', '--column', 'address', '--offline', DEMO_DIR, '--format', 'json'], {
      input: LEADS,
    });
    expect(c.code).toBe(0);
    expect((JSON.parse(c.stdout) as { seeds: string[] }).seeds).toEqual([OTHER, SHOP_A]); // sorted
  });

  it('--column without "-" is exit 2', () => {
    const r = runBin(['cluster', SHOP_A, '--column', 'address', '--offline', DEMO_DIR]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--column address: applies to a list read from stdin ("-")');
  });
});

describe('a first line that is a column name', () => {
  it('cut -d, -f2 leads.csv | btctrace batch -: the header is skipped with a note, 2 seeds traced, none invalid', () => {
    const out = path.join(tmp(), 'out');
    const r = runBin(['batch', '-', '--out-dir', out, '--offline', DEMO_DIR], { input: ADDRESS_COLUMN });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'btctrace: skipped the first line "address": it looks like a column name, not a seed',
    );
    const summary = readFileSync(path.join(out, 'summary.csv'), 'utf8').trimEnd().split('\n');
    expect(summary).toHaveLength(3); // header + 2 seeds
    expect(summary.join('\n')).not.toContain('invalid');
  });

  it('cluster - skips it too; a first line that is a seed is never skipped', () => {
    const c = runBin(['cluster', '-', '--offline', DEMO_DIR, '--format', 'json'], { input: ADDRESS_COLUMN });
    expect(c.code).toBe(0);
    expect(c.stderr).toContain('skipped the first line "address"');
    expect((JSON.parse(c.stdout) as { seeds: string[] }).seeds).toEqual([OTHER, SHOP_A]); // sorted
    const t = runBin(['trace', '-', '--offline', DEMO_DIR, '--format', 'json'], { input: `${SHOP_A}\n` });
    expect(t.stderr).not.toContain('skipped');
    expect((JSON.parse(t.stdout) as { trace: { seeds: string[] } }).trace.seeds).toEqual([SHOP_A]);
  });
});
