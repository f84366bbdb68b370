import { execFile } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
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
    // both open the (not yet existing) file once both are ready: a go file, not a wall-clock moment
    const go = join(dir, 'go');
    const child = (id: string, other: string) =>
      run(process.execPath, ['--import', 'tsx', join(here, 'child.ts'), file, id, other, go, String(N)], {
        cwd: repoRoot,
        timeout: 60_000,
      });
    const children = Promise.all([child('p', 'q'), child('q', 'p')]);
    const ready = () => existsSync(`${go}.p.ready`) && existsSync(`${go}.q.ready`);
    const state: { failed: Error | null } = { failed: null };
    children.catch((e: unknown) => (state.failed = e instanceof Error ? e : new Error(String(e))));
    // bounded: a child that dies (or hits its timeout) before it is ready ends the wait
    while (!ready()) {
      if (state.failed !== null) throw state.failed;
      await new Promise((r) => setTimeout(r, 5));
    }
    writeFileSync(go, '');
    const [p, q] = await children;
    const reports = [p, q].map(
      (r) =>
        JSON.parse(r.stdout) as {
          id: string;
          written: number;
          warnings: string[];
          waitedAtMidpoint: boolean;
          startedAt: number;
          finishedAt: number;
        },
    );
    expect(reports.map((r) => [r.id, r.written, r.warnings, r.waitedAtMidpoint])).toEqual([
      ['p', N, [], true],
      ['q', N, [], true],
    ]);
    // They really ran at the same time (guaranteed by the midpoint wait): each started before the
    // other finished.
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
