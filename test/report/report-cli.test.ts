// The report command and the trace hunk through the built binary: formats from -o, the same
// DOT from `trace` and from `report` of its JSON, and one-line errors with exit code 2.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, SEED, demoTrace } from './tampered.js';
import { removeScratchDirs, scratchDir } from '../support/scratch.js';

afterAll(removeScratchDirs);

const dir = scratchDir('btctrace-report-cli-');
const run = (...args: string[]) => spawnSync('node', [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
const demoArgs = [
  'trace',
  SEED,
  '--offline',
  'fixtures/demo',
  '--tags',
  'fixtures/demo/tags.csv',
  '--hops',
  '6',
  '-q',
];

describe('btctrace report / trace -o case.html', () => {
  const json = demoTrace(dir);

  it('picks the format from -o and writes DOT identical to trace --format dot', () => {
    const dot = path.join(dir, 'r.dot');
    expect(run('report', json, '-o', dot, '-q').status).toBe(0);
    const traced = run(...demoArgs, '--format', 'dot');
    expect(traced.status).toBe(0);
    expect(readFileSync(dot, 'utf8')).toBe(traced.stdout);
    expect(traced.stdout.startsWith('digraph btctrace {\n')).toBe(true);
    const gml = path.join(dir, 'r.graphml');
    expect(run('report', json, '-o', gml, '-q').status).toBe(0);
    expect(readFileSync(gml, 'utf8')).toContain('<graphml xmlns="http://graphml.graphdrawing.org/xmlns"');
  });

  it('trace -o case.html writes the page and its manifest', () => {
    const html = path.join(dir, 'case.html');
    const r = run(...demoArgs, '-o', html);
    expect(r.status).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).toContain('<script type="application/json" id="btctrace-data">');
    expect(page).not.toMatch(/<script[^>]+src=|<link /);
    expect(existsSync(`${html}.manifest.json`)).toBe(true);
  });

  it('bad input: one line, exit 2', () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(
      bad,
      '{"rows":[{"hop":1,"txid":"aa","vout":0,"value_sat":5,"tainted_sat":-1,"status":"spent"}]}',
    );
    const cases: [string[], RegExp][] = [
      [['report', path.join(dir, 'missing.json')], /missing\.json: cannot read \(ENOENT\)/],
      [['report', bad], /rows\[0\]\.tainted_sat is not a whole number >= 0: -1/],
      [['report', json, '--format', 'svg'], /--format svg: must be one of html, dot, graphml/],
      [['report', json, '--node-budget', '0'], /--node-budget/],
    ];
    for (const [args, msg] of cases) {
      const r = run(...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
