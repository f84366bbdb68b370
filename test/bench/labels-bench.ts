// The label store against the real TagPack collection (../shared/realdata/tagpacks):
//   import   the CLI's own `labels import <dir>` (runLabelsImport) into a fresh store, in a child
//            process so that its peak RSS is the import's alone; goal < 30 s, < 400 MB
//   lookup   labels of a 2,000-row trace (1,000 labelled addresses, 1,000 without labels) through
//            openLabelBook, as a command would ask; goal < 20 ms. Cold (first call after opening)
//            and the median of 20 calls.
//
//   npx tsx test/bench/labels-bench.ts [<tagpacks dir>]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLabelBook } from '../../src/cli/label-options.js';
import { runLabelsImport } from '../../src/cli/labels-import.js';
import { LabelStore } from '../../src/labels/store.js';
import { storeStats } from '../../src/labels/store-query.js';

const REPO = path.resolve(fileURLToPath(import.meta.url), '../../..');
export const DEFAULT_TAGPACKS = path.resolve(REPO, '..', 'shared', 'realdata', 'tagpacks');

export interface LabelsFigures {
  files: number;
  labels: number;
  addresses: number;
  actors: number;
  badTags: number;
  importMs: number;
  importCpuMs: number;
  importPeakRssMB: number;
  storeMB: number;
  lookupAddresses: number;
  lookupFound: number;
  lookupColdMs: number;
  lookupMedianMs: number;
  lookupCpuMs: number;
}

function importChild(
  dir: string,
  db: string,
): Omit<
  LabelsFigures,
  'lookupAddresses' | 'lookupFound' | 'lookupColdMs' | 'lookupMedianMs' | 'lookupCpuMs'
> {
  let out = '';
  const io = {
    stdout: (t: string) => void (out += t),
    stderr: () => undefined,
    stderrIsTTY: false,
    stdoutIsTTY: false,
    env: {},
    now: () => new Date(),
  };
  const cpu = process.cpuUsage();
  const t = performance.now();
  const code = runLabelsImport([dir], { labelsDb: db, quiet: true }, io);
  const importMs = performance.now() - t;
  const used = process.cpuUsage(cpu);
  if (code !== 0) throw new Error(`import exited ${code}: ${out}`);
  const s = LabelStore.open(db, { create: false });
  const st = storeStats(s);
  const pages = s.db.pragma('page_count', { simple: true }) as number;
  const pageSize = s.db.pragma('page_size', { simple: true }) as number;
  s.close();
  return {
    files: st.lists.length,
    labels: st.labels,
    addresses: st.addresses,
    actors: st.actors,
    badTags: st.lists.reduce((a, l) => a + l.bad, 0),
    importMs,
    importCpuMs: (used.user + used.system) / 1000,
    importPeakRssMB: process.resourceUsage().maxRSS / 1024,
    storeMB: (pages * pageSize) / 2 ** 20,
  };
}

function lookupFigures(db: string) {
  const s = LabelStore.open(db, { create: false });
  const labelled = s.db
    .prepare('SELECT DISTINCT address FROM labels WHERE rowid % 400 = 7 ORDER BY address LIMIT 1000')
    .pluck()
    .all() as string[];
  s.close();
  const unlabelled = labelled.map((a) => `${a.slice(0, -1)}${a.endsWith('z') ? 'y' : 'z'}`);
  const rows = labelled.flatMap((a, i) => [a, unlabelled[i]!]);
  const book = openLabelBook({ labelsDb: db }, 'mainnet', {})!;
  let t = performance.now();
  const found = book.lookup(rows).size;
  const cold = performance.now() - t;
  const times: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < 20; i++) {
    t = performance.now();
    book.lookup(rows);
    times.push(performance.now() - t);
  }
  const used = process.cpuUsage(cpu);
  times.sort((a, b) => a - b);
  return {
    lookupAddresses: rows.length,
    lookupFound: found,
    lookupColdMs: cold,
    lookupMedianMs: times[10]!,
    // CPU time says what the lookup costs when other jobs share the machine (wall time does not)
    lookupCpuMs: (used.user + used.system) / 1000 / 20,
  };
}

/** Runs the import in a child process, then the lookups here. Null when the collection is absent. */
export function runLabelsBench(dir = DEFAULT_TAGPACKS): LabelsFigures | null {
  if (!existsSync(dir)) return null;
  const work = mkdtempSync(path.join(tmpdir(), 'btctrace-labels-bench-'));
  try {
    const db = path.join(work, 'labels.sqlite');
    const self = fileURLToPath(import.meta.url);
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', dir, db], {
      encoding: 'utf8',
      timeout: 600_000,
    });
    if (r.status !== 0) throw new Error(`labels bench child failed (${r.status}): ${r.stderr}`);
    const imported = JSON.parse(r.stdout) as ReturnType<typeof importChild>;
    return { ...imported, ...lookupFigures(db) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function formatLabelsFigures(f: LabelsFigures): string {
  const n = (x: number) => x.toLocaleString('en');
  return [
    `Label store: import of the real TagPack collection (${n(f.files)} lists): ${n(f.labels)} BTC labels, ${n(f.addresses)} addresses, ${n(f.actors)} actors, ${n(f.badTags)} bad tags skipped`,
    `  import ${(f.importMs / 1000).toFixed(2)} s wall, ${(f.importCpuMs / 1000).toFixed(2)} s CPU, peak RSS ${f.importPeakRssMB.toFixed(0)} MB, store ${f.storeMB.toFixed(0)} MB (goals: < 30 s, < 400 MB)`,
    `  lookup of ${n(f.lookupAddresses)} addresses (${n(f.lookupFound)} labelled): ${f.lookupColdMs.toFixed(1)} ms cold, ${f.lookupMedianMs.toFixed(1)} ms median of 20, ${f.lookupCpuMs.toFixed(1)} ms CPU each (goal: < 20 ms)`,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--child') {
    process.stdout.write(JSON.stringify(importChild(process.argv[3]!, process.argv[4]!)) + '\n');
  } else {
    const f = runLabelsBench(process.argv[2] ?? DEFAULT_TAGPACKS);
    process.stdout.write(
      f ? formatLabelsFigures(f) + '\n' : `labels bench: skipped, ${DEFAULT_TAGPACKS} is absent\n`,
    );
  }
}
