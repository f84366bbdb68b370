// Issue 9 items 5, 6, 7: backward wording, cluster totals, byte-identical JSON across runs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_DIR, DEMO_TAGS, runBin, SHOP_A } from '../cli/helpers.js';
import { removeScratchDirs, scratchDir } from '../support/scratch.js';

afterAll(removeScratchDirs);

const DEMO = ['trace', SHOP_A, '--offline', DEMO_DIR, '--tags', DEMO_TAGS, '--hops', '6'];

describe('determinism', () => {
  it('trace --format json is byte-identical across runs; run times live in the manifest', async () => {
    const a = runBin([...DEMO, '--format', 'json']).stdout;
    await new Promise((r) => setTimeout(r, 1100)); // a later second on the clock
    const b = runBin([...DEMO, '--format', 'json']).stdout;
    expect(b).toBe(a);
    expect(a).not.toMatch(/started_at|finished_at|"requests"/);
    const dir = scratchDir('btctrace-ux-');
    const out = path.join(dir, 'case.json');
    expect(runBin([...DEMO, '-o', out]).code).toBe(0);
    const first = readFileSync(out, 'utf8');
    expect(runBin([...DEMO, '-o', out]).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(first);
    const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')) as Record<string, unknown>;
    expect(typeof manifest.started_at).toBe('string');
    expect(typeof manifest.finished_at).toBe('string');
  });
});

describe('--cluster totals', () => {
  it('the demo seed wallet appears in by_cluster with its members seen and seed taint', () => {
    const j = JSON.parse(runBin([...DEMO, '--cluster', '--format', 'json']).stdout) as {
      totals: { by_cluster: Record<string, unknown>[] };
    };
    expect(j.totals.by_cluster).toEqual([
      {
        name: '3Q1nY8fjcEp7Yi2TtrF97pQQffdmqfK4Lg',
        outputs: 0,
        tainted_sat: 0,
        internal_outputs: 0,
        internal_tainted_sat: 0,
        members_seen: 1,
        seed_outputs: 5,
        seed_tainted_sat: 122100000,
      },
    ]);
    const t = runBin([...DEMO, '--cluster']).stdout;
    expect(t).toMatch(
      /│ 3Q1nY8fjcEp7Yi2TtrF97pQQffdmqfK4Lg │\s+1 │\s+5 │ 1\.22100000 │\s+0 │\s+0\.00000000 │/,
    );
  });
});

describe('backward traces speak backward', () => {
  it('source of funds, amounts attributed to sources, no fee-taint wording', () => {
    const r = runBin([
      'trace',
      '3DcAsiagxGibYHvtvXZLCxtCPQcA8B73u1',
      '--direction',
      'backward',
      '--offline',
      DEMO_DIR,
      '--tags',
      DEMO_TAGS,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('source of funds (where the traced amount came from)');
    expect(r.stdout).toContain('Amount traced back: 0.55000000 BTC');
    expect(r.stdout).toContain('0.04521829 BTC came from ExchangeZ (exchange) in 2 outputs.');
    expect(r.stdout).toContain('earlier history not traced (hop limit)');
    expect(r.stdout).not.toMatch(/fee|seed taint ended up|received .* of tainted funds/i);
  });
});
