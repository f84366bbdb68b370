// A second process for the concurrency test: opens the shared cache file at an agreed moment,
// writes `n` entries (reading each back, and reading the other process's entries as they appear),
// and prints a JSON summary. Run with: node --import tsx child.ts <file> <id> <other-id> <goFile> <n>
// Progress-driven, not timed: it writes <goFile>.<id>.ready, waits for <goFile> (the parent makes
// it once both are ready), and halfway waits until the other's first half is readable, so the
// two writers overlap by construction whatever the machine's load.
import { existsSync, writeFileSync } from 'node:fs';
import { setImmediate as tick } from 'node:timers/promises';
import { CacheStore } from '../../src/sources/cache-store.js';
import { ORIGIN, entryBody, entryPath } from './fake.js';

async function main(): Promise<void> {
  const [file, id, other, goFile, count] = process.argv.slice(2) as [string, string, string, string, string];
  const n = Number(count);
  writeFileSync(`${goFile}.${id}.ready`, '');
  // bounded by the parent's timeout, which kills this process
  while (!existsSync(goFile)) await new Promise((r) => setTimeout(r, 5));
  const startedAt = Date.now();
  const warnings: string[] = [];
  const store = CacheStore.open(file, { onWarning: (w) => warnings.push(w) });
  let crossReads = 0;
  let waitedAtMidpoint = false;
  for (let i = 0; i < n; i++) {
    if (i === n / 2) {
      while (store.get(ORIGIN, entryPath(other, n / 2 - 1)) === null)
        await new Promise((r) => setTimeout(r, 2));
      waitedAtMidpoint = true;
    }
    const path = entryPath(id, i);
    store.put({
      origin: ORIGIN,
      path,
      kind: 'tx',
      body: entryBody(id, i),
      fetchedAt: Date.now(),
      tipHeight: i,
    });
    if (store.get(ORIGIN, path)?.body !== entryBody(id, i))
      throw new Error(`${id}: entry ${i} did not read back`);
    const seen = store.get(ORIGIN, entryPath(other, i));
    if (seen !== null) {
      if (seen.body !== entryBody(other, i)) throw new Error(`${id}: ${other}'s entry ${i} reads wrong`);
      crossReads++;
    }
    if (i % 10 === 0) await tick();
  }
  store.close();
  const report = {
    id,
    written: n,
    crossReads,
    waitedAtMidpoint,
    warnings,
    startedAt,
    finishedAt: Date.now(),
  };
  process.stdout.write(JSON.stringify(report) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
