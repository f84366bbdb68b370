import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { IO } from '../../src/cli/io.js';

export const REPO = path.resolve(fileURLToPath(import.meta.url), '../../..');
export const DEMO_DIR = path.join(REPO, 'fixtures/demo');
export const DEMO_TAGS = path.join(DEMO_DIR, 'tags.csv');
export const SHOP_A = 'bc1qgxa0vq022w24wgcw78zr2zvla445qujuhm6wq8';

export interface Captured extends IO {
  out: string;
  err: string;
}

/** IO that captures output; a fixed clock so metadata is reproducible. */
export function captureIO(env: Record<string, string | undefined> = {}): Captured {
  const io: Captured = {
    out: '',
    err: '',
    stdout: (t) => void (io.out += t),
    stderr: (t) => void (io.err += t),
    stderrIsTTY: false,
    stdoutIsTTY: false,
    env,
    now: () => new Date('2026-01-01T00:00:00Z'),
  };
  return io;
}

/** Runs the built binary (dist/ is compiled by `npm test`'s pretest step). */
export function runBin(args: string[], opts: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin/btctrace.js'), ...args], {
    cwd: opts.cwd ?? REPO,
    encoding: 'utf8',
    input: opts.input ?? '',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
