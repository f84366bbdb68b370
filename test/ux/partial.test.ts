// Issue 9 item 3: a cut seed history is visible in the file itself, not only in the manifest.
import { describe, expect, it } from 'vitest';
import { DEMO_DIR, runBin, SHOP_A } from '../cli/helpers.js';

const CUT = ['trace', SHOP_A, '--offline', DEMO_DIR, '--hops', '2', '--max-address-txs', '2', '-q'];
const NOTE = 'partial: seed history cut at --max-address-txs 2; older receipts of this address are missing';

describe('--max-address-txs cut', () => {
  it('marks the seed rows in the CSV and exits 1', () => {
    const r = runBin([...CUT, '--format', 'csv']);
    expect(r.code).toBe(1);
    const seeds = r.stdout.split('\n').filter((l) => l.split(',')[6] === 'seed');
    expect(seeds.length).toBeGreaterThan(0);
    for (const l of seeds) expect(l.endsWith(`,${NOTE},,,`)).toBe(true);
  });

  it('says partial, with the reason, in the JSON meta', () => {
    const j = JSON.parse(runBin([...CUT, '--format', 'json']).stdout) as {
      meta: { partial: boolean; partial_reasons: string[] };
    };
    expect(j.meta.partial).toBe(true);
    expect(j.meta.partial_reasons).toEqual([
      `history of seed ${SHOP_A} cut at 2 transactions (--max-address-txs 2)`,
    ]);
  });

  it('puts a PARTIAL footer in the table even with -q (stderr stays quiet)', () => {
    const r = runBin(CUT);
    expect(r.stdout).toContain('PARTIAL RESULT: part of the flow was not explored');
    expect(r.stderr).toBe('');
  });

  it('boundary: a limit equal to the history (7 transactions) is complete, one less is cut', () => {
    const meta = (n: string) =>
      JSON.parse(
        runBin([
          'trace',
          SHOP_A,
          '--offline',
          DEMO_DIR,
          '--hops',
          '1',
          '--max-address-txs',
          n,
          '-q',
          '--format',
          'json',
        ]).stdout,
      ) as { meta: Record<string, unknown>; rows: { note: string | null }[] };
    const full = meta('7');
    expect(full.meta.partial).toBe(false);
    expect(full.meta.partial_reasons).toBeUndefined();
    expect(full.rows.some((x) => (x.note ?? '').startsWith('partial:'))).toBe(false);
    const cut = meta('6');
    expect(cut.meta.partial).toBe(true);
    expect(cut.meta.partial_reasons).toEqual([
      `history of seed ${SHOP_A} cut at 6 transactions (--max-address-txs 6)`,
    ]);
  });
});
