// Resuming a batch: a seed is finished when its manifest is complete, made with this run's row
// inputs, and its file still has the recorded sha256; such seeds are not traced again.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { MiB, readInputTextSync } from '../model/input-file.js';
import { seedKey, type Seed } from '../model/seed.js';
import { MANIFEST_SUFFIX } from '../output/manifest.js';
import { verifyManifest } from '../output/manifest-verify.js';
import { conflictError, inputDifferences, type Conflict, type RowInputs } from './batch-fingerprint.js';
import type { SeedLine as BatchLine } from './seed-list.js';
import type { SummaryRow } from './batch-summary.js';

export interface BatchJob {
  line: BatchLine;
  seed: Seed;
  file: string;
}

/**
 * A file name for a seed that is safe on every OS: only [A-Za-z0-9_]. Names that carry upper
 * case (base58 addresses) get a short hash suffix, so two addresses that differ only in case
 * never share a file on a case-insensitive file system.
 */
export function seedFileBase(seed: Seed): string {
  const base = seedKey(seed)
    .replace(/[^A-Za-z0-9]/g, '_')
    .slice(0, 100);
  if (base === base.toLowerCase()) return base;
  return `${base}-${createHash('sha256').update(seedKey(seed)).digest('hex').slice(0, 8)}`;
}

/**
 * A finished seed from an earlier run: its manifest is complete, its files unchanged, and it was
 * made with this run's row inputs. A manifest made with other inputs is a Conflict (never reused,
 * never silently overwritten).
 */
async function finishedRow(
  line: BatchLine,
  file: string,
  inputs: RowInputs,
): Promise<SummaryRow | Conflict | null> {
  const manifest = file + MANIFEST_SUFFIX;
  if (!existsSync(manifest)) return null;
  try {
    const m = JSON.parse(readInputTextSync(manifest, { what: 'manifest', maxBytes: 64 * MiB })) as {
      partial?: boolean;
      counts?: Record<string, number>;
      row_inputs?: unknown;
    };
    const differences = inputDifferences(m.row_inputs, inputs);
    if (differences.length > 0) return { file: path.basename(file), differences };
    if (!existsSync(file)) return null;
    const check = await verifyManifest(manifest);
    if (!check.ok) return null;
    if (m.partial !== false || !m.counts) return null;
    const byStatus: Record<string, number> = {};
    const byLabel: Record<string, number> = {};
    for (const [k, v] of Object.entries(m.counts)) {
      if (k.startsWith('status:')) byStatus[k.slice(7)] = v;
      if (k.startsWith('label:')) byLabel[k.slice(6)] = v;
    }
    return {
      line: line.line,
      seed: line.input,
      status: 'ok',
      error: '',
      file: path.basename(file),
      rows: m.counts.rows ?? 0,
      byStatus,
      byLabel,
      resources: m.counts.resources ?? 0,
      resumed: true,
    };
  } catch {
    return null; // unreadable manifest: trace the seed again
  }
}

/** Seeds already finished (and still valid) in outDir; InputError when some were made otherwise. */
export async function finishedRows(
  jobs: BatchJob[],
  req: { force: boolean; outDir: string },
  inputs: RowInputs,
): Promise<{ done: SummaryRow[]; todo: BatchJob[] }> {
  const done: SummaryRow[] = [];
  const todo: BatchJob[] = [];
  const conflicts: Conflict[] = [];
  for (const job of jobs) {
    const r = req.force ? null : await finishedRow(job.line, job.file, inputs);
    if (r === null) todo.push(job);
    else if ('differences' in r) conflicts.push(r);
    else done.push(r);
  }
  if (conflicts.length > 0) throw conflictError(req.outDir, conflicts);
  return { done, todo };
}
