import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheStore, cacheFile } from '../../src/sources/cache.js';
import { ORIGIN, entryBody, entryPath, tempDir } from './fake.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const N = 500;

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

describe('two processes sharing one cache file', () => {
  it(`both write ${N} entries at once into a new file: all present, no damage`, async () => {
    const file = cacheFile(dir);
    const startAt = String(Date.now() + 1500); // both open the (not yet existing) file together
    const child = (id: string, other: string) =>
      run(
        process.execPath,
        ['--import', 'tsx', join(here, 'child.ts'), file, id, other, startAt, String(N)],
        {
          cwd: repoRoot,
          timeout: 20_000,
        },
      );
    const [p, q] = await Promise.all([child('p', 'q'), child('q', 'p')]);
    const reports = [p, q].map(
      (r) =>
        JSON.parse(r.stdout) as {
          id: string;
          written: number;
          warnings: string[];
          startedAt: number;
          finishedAt: number;
        },
    );
    expect(reports.map((r) => [r.id, r.written, r.warnings])).toEqual([
      ['p', N, []],
      ['q', N, []],
    ]);
    // They really ran at the same time: each started before the other finished.
    expect(Math.max(...reports.map((r) => r.startedAt))).toBeLessThan(
      Math.min(...reports.map((r) => r.finishedAt)),
    );

    const store = CacheStore.open(file);
    try {
      expect(store.quickCheck()).toBe('ok');
      expect(store.summary().get('tx')?.entries).toBe(2 * N);
      let good = 0;
      for (const id of ['p', 'q']) {
        for (let i = 0; i < N; i++)
          if (store.get(ORIGIN, entryPath(id, i))?.body === entryBody(id, i)) good++;
      }
      expect(good).toBe(2 * N);
    } finally {
      store.close();
    }
    expect(readdirSync(dir).filter((f) => f.includes('corrupt'))).toEqual([]);
  });
});
