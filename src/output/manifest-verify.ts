// `btctrace verify`: a manifest's files hashed again and compared with what it records, and a
// pending manifest left by an interrupted write recognised as such (src/output/manifest.ts writes
// both).
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../model/errors.js';
import { InputFileError, readInputTextSync } from '../model/input-file.js';
import { MANIFEST_FORMAT, MAX_MANIFEST_BYTES } from './manifest.js';
import { PENDING_SUFFIX, sha256File } from './write.js';

/**
 * ok: as recorded. changed / missing: not as recorded. interrupted: not as the manifest records,
 * but exactly as the pending manifest of an interrupted write records (the new output is in place,
 * its manifest was not yet).
 */
export type FileStatus = 'ok' | 'changed' | 'missing' | 'interrupted';

export interface FileCheck {
  /** As stored in the manifest (relative to its directory). */
  path: string;
  /** Where it was looked for. */
  resolved: string;
  expected: string;
  /** sha256 now; null when the file is missing. */
  actual: string | null;
  expectedBytes: number;
  actualBytes: number | null;
  status: FileStatus;
}

export interface ManifestCheck {
  manifest: string;
  ok: boolean;
  files: FileCheck[];
  /** `<manifest>.pending` when present: a write of this pair was interrupted. */
  pending: string | null;
  /** True when only the pending manifest exists (the write died before its manifest was in place). */
  manifestMissing: boolean;
}

function bad(manifestPath: string, what: string): InputError {
  return new InputError(`${manifestPath}: not a btctrace manifest: ${what}`);
}

interface StoredFile {
  path: string;
  sha256: string;
  bytes: number;
}

/** A manifest's file list; InputError when it cannot be read or is not a btctrace manifest. */
function readManifestFiles(manifestPath: string): StoredFile[] {
  let text: string;
  try {
    text = readInputTextSync(manifestPath, { what: 'manifest', maxBytes: MAX_MANIFEST_BYTES });
  } catch (e) {
    if (e instanceof InputFileError && /\(ENOENT\)$/.test(e.message))
      throw new InputError(`${manifestPath}: cannot read the manifest (ENOENT)`);
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw bad(manifestPath, `invalid JSON (${(e as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw bad(manifestPath, 'not a JSON object');
  const m = json as Record<string, unknown>;
  if (typeof m.format !== 'string' || !m.format.startsWith('btctrace-manifest/')) {
    throw bad(manifestPath, `format is ${JSON.stringify(m.format)}, expected "${MANIFEST_FORMAT}"`);
  }
  if (!Array.isArray(m.files) || m.files.length === 0) throw bad(manifestPath, 'it lists no files');
  return (m.files as unknown[]).map((raw, k) => {
    const f = raw as Record<string, unknown> | null;
    if (
      f === null ||
      typeof f !== 'object' ||
      typeof f.path !== 'string' ||
      f.path === '' ||
      typeof f.sha256 !== 'string' ||
      !/^[0-9a-f]{64}$/.test(f.sha256) ||
      typeof f.bytes !== 'number'
    ) {
      throw bad(manifestPath, `files[${k}] needs a path, bytes and a sha256 of 64 hex digits`);
    }
    return { path: f.path, sha256: f.sha256, bytes: f.bytes };
  });
}

/**
 * Recomputes the sha256 of every file a manifest lists (paths relative to the manifest's
 * directory). A `<manifest>.pending` next to it means a write was interrupted: files that match
 * it are reported as interrupted rather than changed, and the check is not ok. When only the
 * pending manifest exists, its files are checked. InputError when neither can be read or the
 * manifest is not a btctrace manifest.
 */
export async function verifyManifest(manifestPath: string): Promise<ManifestCheck> {
  const pendingPath = manifestPath + PENDING_SUFFIX;
  const hasPending = existsSync(pendingPath);
  const manifestMissing = hasPending && !existsSync(manifestPath);
  let pendingFiles: StoredFile[] = [];
  if (hasPending) {
    try {
      pendingFiles = readManifestFiles(pendingPath);
    } catch {
      pendingFiles = []; // a pending manifest only ever adds explanation
    }
  }
  const stored = manifestMissing ? pendingFiles : readManifestFiles(manifestPath);
  const newer = new Map(pendingFiles.map((f) => [f.path, f.sha256]));
  const dir = path.dirname(path.resolve(manifestPath));
  const files: FileCheck[] = [];
  for (const f of stored) {
    const resolved = path.resolve(dir, f.path);
    let actual: string | null = null;
    let actualBytes: number | null = null;
    if (existsSync(resolved) && statSync(resolved).isFile()) {
      actual = await sha256File(resolved);
      actualBytes = statSync(resolved).size;
    }
    let status: FileStatus = actual === null ? 'missing' : actual === f.sha256 ? 'ok' : 'changed';
    if (manifestMissing || (status === 'changed' && newer.get(f.path) === actual)) {
      if (actual !== null && newer.get(f.path) === actual) status = 'interrupted';
    }
    files.push({
      path: f.path,
      resolved,
      expected: f.sha256,
      actual,
      expectedBytes: f.bytes,
      actualBytes,
      status,
    });
  }
  return {
    manifest: manifestPath,
    ok: !hasPending && files.every((f) => f.status === 'ok'),
    files,
    pending: hasPending ? pendingPath : null,
    manifestMissing,
  };
}

/** One line per file for the terminal, then a verdict line. */
export function manifestCheckText(check: ManifestCheck): string {
  const lines = check.files.map((f) => {
    switch (f.status) {
      case 'ok':
        return `ok       ${f.path}  sha256 ${f.expected}`;
      case 'changed':
        return `CHANGED  ${f.path}  expected sha256 ${f.expected} (${f.expectedBytes} bytes), found ${f.actual} (${f.actualBytes} bytes)`;
      case 'missing':
        return `MISSING  ${f.path}  (looked for ${f.resolved})`;
      case 'interrupted':
        return `INTERRUPTED  ${f.path}  is the output of a write that was interrupted before its manifest was put in place (sha256 ${f.actual}, as in ${check.pending})`;
    }
  });
  if (check.pending !== null) {
    lines.unshift(
      check.manifestMissing
        ? `INTERRUPTED WRITE: ${check.manifest} was never put in place; checked against ${check.pending}`
        : `INTERRUPTED WRITE: ${check.pending} exists, a later write of these files did not finish`,
    );
  }
  const bad = check.files.filter((f) => f.status !== 'ok').length;
  if (bad === 0 && check.pending !== null) {
    lines.push(
      check.manifestMissing
        ? `the write was interrupted: the files match ${check.pending}, but the manifest was not put in place; run the command again`
        : `the write was interrupted: the files are still the earlier run's (they match ${check.manifest}); run the command again`,
    );
    return lines.join('\n') + '\n';
  }
  lines.push(
    bad === 0
      ? `all ${check.files.length} file${check.files.length === 1 ? '' : 's'} match ${check.manifest}`
      : `${bad} of ${check.files.length} file${check.files.length === 1 ? '' : 's'} do not match ${check.manifest}`,
  );
  return lines.join('\n') + '\n';
}
