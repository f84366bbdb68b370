// A demo trace JSON whose explorer-supplied strings try to break out of every format: an address
// and a label with <script>, quotes, & and backslashes (what a hostile tags file or explorer
// could put there).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const BIN = path.join(ROOT, 'bin/btctrace.js');
export const SEED = 'bc1qgxa0vq022w24wgcw78zr2zvla445qujuhm6wq8';
export const EVIL_LABEL = `<script>globalThis.pwned=1</script> "Q" & 'A' \\N \\\\ </script><!--`;
export const EVIL_ADDRESS = `"><img src=x onerror="globalThis.pwned=2">&amp;\u2028`;

/** Traces the demo into dir/demo.json and returns its path. */
export function demoTrace(dir: string): string {
  const file = path.join(dir, 'demo.json');
  execFileSync(
    'node',
    [
      BIN,
      'trace',
      SEED,
      '--offline',
      'fixtures/demo',
      '--tags',
      'fixtures/demo/tags.csv',
      '--hops',
      '6',
      '--format',
      'json',
      '-o',
      file,
      '-q',
    ],
    { cwd: ROOT },
  );
  return file;
}

/** The demo trace with ExchangeX relabelled and the LuckyDice address replaced by hostile strings. */
export function tamperedTrace(dir: string): string {
  const doc = JSON.parse(readFileSync(demoTrace(dir), 'utf8')) as { rows: Record<string, unknown>[] };
  for (const r of doc.rows) {
    if (r.label === 'ExchangeX') r.label = EVIL_LABEL;
    if (r.label === 'LuckyDice') {
      r.label = null;
      r.address = EVIL_ADDRESS;
    }
  }
  const file = path.join(dir, 'tampered.json');
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}
