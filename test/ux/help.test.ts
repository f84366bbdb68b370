// Issue 9 items 8 (cluster -o by extension) and 16 (help starts with examples, lists exit codes).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_DIR, runBin, SHOP_A } from '../cli/helpers.js';
import { removeScratchDirs, scratchDir } from '../support/scratch.js';

afterAll(removeScratchDirs);

describe('--help of every subcommand', () => {
  for (const cmd of ['trace', 'batch', 'address', 'cluster', 'tx', 'verify']) {
    it(`${cmd}: starts with examples and lists exit codes 0, 1, 2, 130`, () => {
      const r = runBin([cmd, '--help']);
      expect(r.code).toBe(0);
      const lines = r.stdout.split('\n');
      expect(lines[0]).toBe('Examples:');
      const examples = lines.slice(1, lines.indexOf(''));
      expect(examples.length).toBeGreaterThanOrEqual(2);
      for (const e of examples) expect(e).toMatch(new RegExp(`^  \\$ (.+ \\| )?btctrace ${cmd} `));
      expect(r.stdout).toContain('Exit codes: 0 ok; 1 network/explorer failure or partial result');
      expect(r.stdout).toContain('2 bad input; 130 interrupted (Ctrl-C).');
    });
  }
});

describe('cluster follows the same output conventions', () => {
  it('-o wallet.csv writes CSV and a manifest; a contradicting --format is exit 2', () => {
    const dir = scratchDir('btctrace-ux-');
    const out = path.join(dir, 'wallet.csv');
    expect(runBin(['cluster', SHOP_A, '--offline', DEMO_DIR, '-o', out, '-q']).code).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[0]).not.toContain('│');
    expect(existsSync(`${out}.manifest.json`)).toBe(true);
    const bad = runBin(['cluster', SHOP_A, '--offline', DEMO_DIR, '-o', out, '--format', 'json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format json contradicts the output file');
  });
});

describe('--wide', () => {
  it('prints full txids and addresses in the table; without it they are shortened', () => {
    const base = ['trace', SHOP_A, '--offline', DEMO_DIR, '--hops', '1'];
    const full = '6a682812860066167e7e97724f7a7a200689ea89fe62212c11adff063d3cd5c1:0';
    const wide = runBin([...base, '--wide']).stdout;
    expect(wide).toContain(`│ ${full} │ ${SHOP_A} │`);
    const narrow = runBin(base).stdout;
    expect(narrow).not.toContain(full);
    expect(narrow).toContain('6a682812…d5c1:0');
  });
});

describe('messages use correct plurals', () => {
  it('cluster summary: "1 cluster", "0 CoinJoins"; never "(s)"', () => {
    const r = runBin(['cluster', SHOP_A, '--offline', DEMO_DIR]);
    expect(r.stdout).toContain('5 addresses in 1 cluster; 5 histories and 17 transactions read;');
    expect(r.stdout).not.toContain('(s)');
  });

  it('a cut at one transaction says "1 transaction"', () => {
    const r = runBin([
      'trace',
      SHOP_A,
      '--offline',
      DEMO_DIR,
      '--hops',
      '1',
      '--max-address-txs',
      '1',
      '-q',
      '--format',
      'json',
    ]);
    const j = JSON.parse(r.stdout) as { meta: { partial_reasons: string[] } };
    expect(j.meta.partial_reasons[0]).toBe(
      `history of seed ${SHOP_A} cut at 1 transaction (--max-address-txs 1)`,
    );
  });
});

describe('trace - (seeds from stdin)', () => {
  it('reads one seed per line, skipping a column-name first line and saying so', () => {
    const input = `address\n${SHOP_A}\n\n# a comment\n`;
    const r = runBin(['trace', '-', '--offline', DEMO_DIR, '--hops', '1', '--format', 'csv'], { input });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('skipped the first line "address": it looks like a column name, not a seed');
    expect(
      r.stdout
        .split('\n')
        .filter((l) =>
          l.endsWith(
            ',seed,0.12500000,0.12500000,850004,2024-06-26T09:00:00Z,,,v0_p2wpkh,bb1b8f8f9efc9e1ebb1582427938a9dcfdc32322ce424d91518bfbce23d02e31,,,,,',
          ),
        ),
    ).toHaveLength(1);
    expect(r.stdout.split('\n').filter((l) => l.includes(',seed,'))).toHaveLength(5);
  });

  it('a first line that is a seed is kept; empty stdin is exit 2', () => {
    const r = runBin(['trace', '-', '--offline', DEMO_DIR, '--hops', '1', '--format', 'csv'], {
      input: `${SHOP_A}\n`,
    });
    expect(r.stderr).not.toContain('skipped');
    expect(r.stdout.split('\n').filter((l) => l.includes(',seed,'))).toHaveLength(5);
    const e = runBin(['trace', '-', '--offline', DEMO_DIR], { input: 'address\n' });
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('no seeds on standard input');
  });
});
