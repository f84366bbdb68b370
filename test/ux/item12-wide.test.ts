// Issue 9 item 12, through the built CLI: without --wide, tables fit the width (stdout not a
// terminal: $COLUMNS, else 100) with ids shortened in the middle and text wrapped, nothing cut
// off; --wide prints full txids and addresses.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { DEMO_DIR, DEMO_TAGS, REPO, SHOP_A } from '../cli/helpers.js';

const PEEL = '0d5d12795b1e97ad0db7457b8077cd1fc76abce0fa06f2eabf28814af73425e0';
const PARENT = 'ca3a302c'; // the peel step's input comes from ca3a302c…fa5d:0

function run(args: string[], columns?: string) {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  delete env.COLUMNS;
  if (columns !== undefined) env.COLUMNS = columns;
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin/btctrace.js'), ...args], {
    encoding: 'utf8',
    env,
  });
  return { code: r.status, stdout: r.stdout };
}
const tableWidth = (text: string) =>
  Math.max(
    ...text
      .split('\n')
      .filter((l) => /^[┌│└├]/.test(l))
      .map((l) => [...l].length),
  );
/** A table's cells of one column, joined back (wrapped lines included). */
const words = (text: string) => text.replace(/[│┌┐└┘├┤┬┴┼─]/g, ' ').split(/\s+/);

describe('tables fit the width unless --wide', () => {
  it('trace: 100 columns by default, the long note wrapped with every word kept; --wide gives full ids', () => {
    const args = ['trace', SHOP_A, '--offline', DEMO_DIR, '--max-address-txs', '3'];
    const r = run(args);
    expect(r.code).toBe(1); // partial: the cut history
    expect(tableWidth(r.stdout)).toBe(100);
    expect(r.stdout).toContain('08019024…f832:1');
    for (const w of ['partial:', 'seed', 'history', 'receipts', 'missing'])
      expect(words(r.stdout)).toContain(w);
    const wide = run([...args, '--wide']);
    expect(wide.stdout).toContain('08019024e954781d111a0a0f2e951fa047767cf85251a21abfd0a7d7ce81f832:1');
    expect(wide.stdout).toContain(SHOP_A);
    expect(tableWidth(wide.stdout)).toBeGreaterThan(200);
  });

  it('$COLUMNS sets the width when stdout is not a terminal (a narrower table, at most that wide)', () => {
    const args = ['tx', PEEL, '--offline', DEMO_DIR, '--tags', DEMO_TAGS];
    expect(tableWidth(run(args).stdout)).toBeLessThanOrEqual(100);
    const narrow = run(args, '95');
    expect(tableWidth(narrow.stdout)).toBeLessThanOrEqual(95);
    expect(narrow.stdout).toContain(`${PARENT}…fa5d:0`);
    expect(words(narrow.stdout)).toContain('(exchange)');
    const wide = run([...args, '--wide']);
    expect(wide.stdout).toContain('ca3a302c');
    expect(wide.stdout).toMatch(/ca3a302c[0-9a-f]{56}:0/);
  });

  it('cluster: member addresses stay whole, linking txids are shortened; --wide shows them in full', () => {
    const args = ['cluster', SHOP_A, '--offline', DEMO_DIR, '--tags', DEMO_TAGS];
    const r = run(args);
    expect(tableWidth(r.stdout)).toBeLessThanOrEqual(100);
    expect(r.stdout).toContain(`│ ${SHOP_A} │`);
    expect(r.stdout).toMatch(/│ [0-9a-f]{8}…[0-9a-f]{4} /);
    expect(run([...args, '--wide']).stdout).toMatch(/│ [0-9a-f]{64} /);
  });
});
