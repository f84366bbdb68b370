// The provenance manifest: <output>.manifest.json next to an output file (or one for a batch run),
// saying which tool version ran which command with which effective options on which data (source,
// chain tip), when, under which taint model and conventions, and the sha256 and size of every file
// written. `btctrace verify <manifest>` recomputes the hashes, so a case file can show years later
// that an attached CSV is the one the run produced.
//
// File paths are stored relative to the manifest's directory, with "/" separators, so a case
// folder can be moved or copied to another machine and still verify. Key order is fixed.
// The manifest does not protect itself: whoever can edit a CSV can edit its manifest too. Record
// the manifest's own sha256 (e.g. in the case log) where that matters.

import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { MiB } from '../model/input-file.js';
import { metaJson, type RunMeta, type TraceFlags } from './meta.js';
import { sha256, sha256File, writeOutputAtomic, writePairAtomic } from './write.js';

/** A manifest lists file names and hashes; one over 64 MiB is not a btctrace manifest. */
export const MAX_MANIFEST_BYTES = 64 * MiB;

export const MANIFEST_SUFFIX = '.manifest.json';
/** Names the layout; a reader of an older or newer layout can tell. */
export const MANIFEST_FORMAT = 'btctrace-manifest/1';

export interface ManifestFileInput {
  /** The file's path (absolute, or relative to the current directory). */
  path: string;
  /** What the file is, e.g. "output", "trace-csv", "input-list", "tags". */
  role: string;
  /** The bytes about to be written there (hashed instead of the file on disk). */
  content?: string | Uint8Array;
}

export interface ManifestInput {
  meta: RunMeta;
  files: ManifestFileInput[];
  /** Run counts (rows, transactions, requests, cache hits ...); keys are written sorted. */
  counts?: Record<string, number>;
  /** What the trace itself knows about being partial (merged as in JSON output). */
  trace?: TraceFlags;
  /** Directory the stored paths are relative to (default: the current directory). */
  baseDir?: string;
  /** What the output's rows depend on (a batch seed's options and tags hash), for reuse checks. */
  rowInputs?: Record<string, unknown>;
  /** A trace's conservation summary (json.ts conservationJson): where the seed taint ended up. */
  conservation?: Record<string, unknown>;
}

export interface ManifestFileEntry {
  path: string;
  role: string;
  bytes: number;
  sha256: string;
}

const SAFE_ARG = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** argv as one line a POSIX shell would read back as the same arguments. */
export function commandLine(args: readonly string[]): string {
  return ['btctrace', ...args.map((a) => (SAFE_ARG.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))].join(' ');
}

function relativePath(baseDir: string, file: string): string {
  const rel = path.relative(path.resolve(baseDir), path.resolve(file));
  return rel.split(path.sep).join('/');
}

/** The manifest as JSON text (two-space indent, trailing newline), hashing each file's bytes. */
export async function buildManifest(input: ManifestInput): Promise<string> {
  const baseDir = input.baseDir ?? process.cwd();
  const files: ManifestFileEntry[] = [];
  for (const f of input.files) {
    if (f.content !== undefined) {
      files.push({
        path: relativePath(baseDir, f.path),
        role: f.role,
        bytes: typeof f.content === 'string' ? Buffer.byteLength(f.content) : f.content.byteLength,
        sha256: sha256(f.content),
      });
      continue;
    }
    if (!existsSync(f.path)) throw new Error(`manifest: output file ${f.path} does not exist`);
    files.push({
      path: relativePath(baseDir, f.path),
      role: f.role,
      bytes: statSync(f.path).size,
      sha256: await sha256File(f.path),
    });
  }
  const run = metaJson(input.meta, input.trace);
  const counts: Record<string, number> = {};
  for (const k of Object.keys(input.counts ?? {}).sort()) {
    const v = input.counts![k]!;
    if (!Number.isFinite(v)) throw new RangeError(`manifest: count ${k} is ${v}, not a finite number`);
    counts[k] = v;
  }
  const model = input.meta.options.model;
  const manifest: Record<string, unknown> = {
    format: MANIFEST_FORMAT,
    tool: run.tool,
    version: run.version,
    command: run.command,
    command_line: commandLine(input.meta.command),
    options: run.options,
    ...(input.rowInputs !== undefined && { row_inputs: input.rowInputs }),
    source: run.source,
    network: run.network,
    ...(run.recording !== undefined && { recording: run.recording }),
    tip_height: run.tip_height,
    started_at: run.started_at,
    finished_at: run.finished_at,
    taint_model: typeof model === 'string' ? model : null,
    model_conventions: run.model_conventions,
    partial: run.partial,
    warnings: run.warnings,
    ...(run.requests !== undefined && { requests: run.requests }),
    ...(run.fiat !== undefined && { fiat: run.fiat }),
    counts,
    ...(input.conservation !== undefined && { conservation: input.conservation }),
    files,
  };
  return JSON.stringify(manifest, null, 2) + '\n';
}

export function manifestPathFor(outputFile: string): string {
  return outputFile + MANIFEST_SUFFIX;
}

/**
 * Writes `<outputFile>.manifest.json` atomically and returns its path. `files` defaults to the
 * output file alone (role "output").
 */
export async function writeManifest(
  outputFile: string,
  input: Omit<ManifestInput, 'baseDir' | 'files'> & { files?: ManifestFileInput[] },
): Promise<string> {
  const files = input.files ?? [{ path: outputFile, role: 'output' }];
  return writeManifestFile(manifestPathFor(outputFile), { ...input, files });
}

/** Writes a manifest at an explicit path (a batch run's one manifest); paths relative to it. */
export async function writeManifestFile(
  manifestPath: string,
  input: Omit<ManifestInput, 'baseDir'>,
): Promise<string> {
  const text = await buildManifest({ ...input, baseDir: path.dirname(path.resolve(manifestPath)) });
  await writeOutputAtomic(manifestPath, text);
  return manifestPath;
}

/**
 * Writes an output file and its manifest as one pair (see writePairAtomic): the manifest hashes
 * `content`, and a kill between the two renames is reported by `verify` as an interrupted write.
 * `files` defaults to the output alone (role "output"); returns the manifest's path.
 */
export async function writeOutputAndManifest(
  outputFile: string,
  content: string | Uint8Array,
  input: Omit<ManifestInput, 'baseDir' | 'files'> & { files?: ManifestFileInput[]; role?: string },
  manifestPath: string = manifestPathFor(outputFile),
): Promise<string> {
  const { role, files: rest, ...common } = input;
  const files = [{ path: outputFile, role: role ?? 'output', content }, ...(rest ?? [])];
  const text = await buildManifest({ ...common, files, baseDir: path.dirname(path.resolve(manifestPath)) });
  await writePairAtomic(outputFile, content, manifestPath, text);
  return manifestPath;
}
