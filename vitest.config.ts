import { mkdirSync, mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// One scratch root per run, removed by test/support/global-setup.ts when the run ends.
const root = mkdtempSync(path.join(tmpdir(), 'btctrace-test-'));
const dir = (name: string) => {
  mkdirSync(path.join(root, name));
  return path.join(root, name);
};

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    // Vitest's default is one worker fewer than the cores: one on the 2-core CI machine, where
    // each file's fork and imports (about a second) then add up one after another, and the
    // worker sits idle while a spawned CLI or loopback server works. Two files at a time there.
    maxWorkers: availableParallelism(),
    globalSetup: ['test/support/global-setup.ts'],
    // The CLI caches explorer answers under the XDG cache dir and keeps labels under the XDG data
    // dir by default: keep tests (and the binaries they spawn, which inherit this) away from the
    // user's real cache and label store. TMPDIR too: what a test leaves in os.tmpdir() goes with
    // the root.
    env: {
      XDG_CACHE_HOME: dir('cache'),
      XDG_DATA_HOME: dir('data'),
      TMPDIR: dir('tmp'),
    },
  },
});
