import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    // The CLI caches explorer answers under the XDG cache dir and keeps labels under the XDG data
    // dir by default: keep tests (and the binaries they spawn, which inherit this) away from the
    // user's real cache and label store.
    env: {
      XDG_CACHE_HOME: mkdtempSync(path.join(tmpdir(), 'btctrace-test-cache-')),
      XDG_DATA_HOME: mkdtempSync(path.join(tmpdir(), 'btctrace-test-data-')),
    },
  },
});
