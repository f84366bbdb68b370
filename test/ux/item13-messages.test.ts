// Issue 9 item 13, through the built CLI: each warning printed once; no internal names in
// messages or manifests; correct plurals; the tags-header error quotes the header as written.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_DIR, runBin, SHOP_A } from '../cli/helpers.js';
import { removeScratchDirs, scratchDir } from '../support/scratch.js';

afterAll(removeScratchDirs);

const tmp = () => scratchDir('btctrace-ux13-');
const count = (text: string, part: string) => text.split(part).length - 1;

describe('messages', () => {
  it('the --max-txs warning appears once on stderr; the closing line points to it', () => {
    const out = path.join(tmp(), 'case.csv');
    const r = runBin(['trace', SHOP_A, '--offline', DEMO_DIR, '--max-txs', '2', '-o', out]);
    expect(r.code).toBe(1);
    expect(count(r.stderr, '--max-txs 2 reached')).toBe(1);
    expect(r.stderr).toContain(
      'btctrace: PARTIAL RESULT: see the warning above; the result is written and marked partial',
    );
  });

  it('manifest counts are snake_case (verified_outspends_checked), no camelCase key anywhere', () => {
    const out = path.join(tmp(), 'case.csv');
    runBin(['trace', SHOP_A, '--offline', DEMO_DIR, '--verify-txids', '-o', out]);
    const m = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')) as { counts: Record<string, number> };
    expect(Object.keys(m.counts)).toContain('verified_outspends_checked');
    expect(Object.keys(m.counts).filter((k) => /[A-Z]/.test(k))).toEqual([]);
  });

  it('cluster limits name the option and count in words: "1 transaction (--max-txs)", "1 address"', () => {
    const r = runBin(['cluster', SHOP_A, '--offline', DEMO_DIR, '--max-addresses', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /stopped at 1 address \(--max-addresses\); \d+ further linked address(es)? not listed/,
    );
    expect(r.stderr).not.toMatch(/max[A-Z]|\(es\)|\b1 (addresses|transactions|histories)\b/);
    const t = runBin(['cluster', SHOP_A, '--offline', DEMO_DIR, '--max-txs', '1']);
    expect(t.stderr).toMatch(/stopped after 1 transaction \(--max-txs\); \d+ member histor(y|ies) not read/);
  });

  it('the tags-header error quotes the header as written, with "a column named"', () => {
    const dir = tmp();
    const tags = path.join(dir, 'tags.csv');
    writeFileSync(tags, `Address,Label,Kategorie\n${SHOP_A},Shop,exchange\n`);
    const r = runBin(['trace', SHOP_A, '--offline', DEMO_DIR, '--tags', tags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `btctrace: ${tags}: the header must have a column named "category" (found: Address,Label,Kategorie)\n`,
    );
  });
});
