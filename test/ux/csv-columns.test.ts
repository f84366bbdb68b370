// Issue 9 item 11: BTC as exact 8-decimal strings after the first seven columns; --excel BOM.
import { describe, expect, it } from 'vitest';
import { DEMO_DIR, DEMO_TAGS, runBin, SHOP_A } from '../cli/helpers.js';

const DEMO = ['trace', SHOP_A, '--offline', DEMO_DIR, '--tags', DEMO_TAGS, '--hops', '6', '--format', 'csv'];
const CSV_COLUMNS =
  'hop,txid,vout,address,value_sat,tainted_sat,status,value_btc,tainted_btc,block_height,block_time,label,category,script_type,spent_by,flags,note,abuse,label_confidence,label_source';

// The plain demo CSV, spawned once: both tests only read it.
let demoRun: ReturnType<typeof runBin> | undefined;
const demo = () => (demoRun ??= runBin(DEMO));

describe('CSV column contract', () => {
  it('keeps the first seven columns and adds value_btc,tainted_btc right after them', () => {
    const r = demo();
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(CSV_COLUMNS);
    for (const l of lines.slice(1)) {
      const c = l.split(',');
      const btc = (sat: string) =>
        `${Math.floor(Number(sat) / 1e8)}.${String(Number(sat) % 1e8).padStart(8, '0')}`;
      expect(c[7]).toBe(btc(c[4]!));
      expect(c[8]).toBe(btc(c[5]!));
      expect(c[7]).toMatch(/^\d+\.\d{8}$/);
    }
    // a row with an exact value that a float would print differently: 0.05000260 keeps its zeros
    expect(r.stdout).toContain(',5000260,2118094,spent,0.05000260,0.02118094,');
  });

  it('--excel starts the file with a UTF-8 BOM; without it there is none', () => {
    expect(runBin([...DEMO, '--excel']).stdout.startsWith('\uFEFFhop,txid,')).toBe(true);
    expect(demo().stdout.startsWith('hop,txid,')).toBe(true);
    const bad = runBin([...DEMO.slice(0, -2), '--format', 'json', '--excel']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--excel applies to CSV output only');
  });
});
