// The manifest of a trace written with -o (and of each batch seed) carries the conservation
// summary: where the seed taint ended up, adding up exactly to the seed taint.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_DIR, DEMO_TAGS, runBin, SHOP_A } from '../cli/helpers.js';
import { removeScratchDirs, scratchDir } from '../support/scratch.js';

afterAll(removeScratchDirs);

interface Conservation {
  seed_sat: number;
  lines: { kind: string; label: string; outputs: number; sat: number }[];
  total_sat: number;
  overstated: boolean;
}

describe('conservation in the manifest', () => {
  it('trace -o: the same figures as totals.conservation, summing to the seed taint', () => {
    const dir = scratchDir('btctrace-uxc-');
    const out = path.join(dir, 'case.json');
    const args = ['trace', SHOP_A, '--offline', DEMO_DIR, '--tags', DEMO_TAGS, '--hops', '6'];
    expect(runBin([...args, '-o', out]).code).toBe(0);
    const m = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')) as { conservation: Conservation };
    const j = JSON.parse(readFileSync(out, 'utf8')) as { totals: { conservation: Conservation } };
    expect(m.conservation).toEqual(j.totals.conservation);
    expect(m.conservation.seed_sat).toBe(122100000);
    expect(m.conservation.total_sat).toBe(122100000);
    expect(m.conservation.lines.reduce((s, l) => s + l.sat, 0)).toBe(122100000);
    expect(m.conservation.lines.find((l) => l.kind === 'fees')!.sat).toBe(5810);
    // a batch seed's manifest too
    runBin(['batch', '-', '--out-dir', path.join(dir, 'b'), '--offline', DEMO_DIR, '--hops', '6'], {
      input: `${SHOP_A}\n`,
    });
    const seedManifest = readdirSync(path.join(dir, 'b')).find((f) => f.endsWith('.csv.manifest.json'))!;
    const b = JSON.parse(readFileSync(path.join(dir, 'b', seedManifest), 'utf8')) as {
      conservation: Conservation;
    };
    expect(b.conservation.total_sat).toBe(122100000);
  });
});
