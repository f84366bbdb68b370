// `btctrace requests <trace.json> --out-dir <dir>`: records-request sheets from a case file.
// The trace's manifest is checked first and the bytes read are the bytes hashed: a trace changed
// since it was written (or one without a manifest) is refused with exit 2 — the sheets go to
// third parties and must come from the file the case record names.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../model/errors.js';
import { MiB, readInputFileSync } from '../model/input-file.js';
import { manifestPathFor, writeManifestFile } from '../output/manifest.js';
import { verifyManifest } from '../output/manifest-verify.js';
import type { RunMeta } from '../output/meta.js';
import { sha256, writeOutputAtomic } from '../output/write.js';
import { entitySheets, fileStem, traceRows } from '../requests/sheets.js';
import {
  indexCsv,
  indexMarkdown,
  sheetCsv,
  sheetMarkdown,
  type CaseRef,
  type IndexEntry,
} from '../requests/render.js';
import { toolVersion } from '../version.js';
import type { IO } from './io.js';
import { optString } from './parse.js';

/** Same bound as other case inputs: a trace JSON of 2,000 rows is about 2 MB. */
const MAX_TRACE_BYTES = 512 * MiB;

/** The trace's bytes, once its manifest says they are unchanged; InputError otherwise. */
async function checkedTrace(file: string): Promise<{ bytes: Buffer; sha: string }> {
  const manifest = manifestPathFor(file);
  if (!existsSync(manifest))
    throw new InputError(
      `${file}: no manifest ${manifest}: requests are made only from a trace written with -o, whose manifest can be checked`,
    );
  const check = await verifyManifest(manifest);
  const entry = check.files.find((f) => f.resolved === path.resolve(file));
  if (!entry) throw new InputError(`${file}: ${manifest} does not list this file`);
  if (!check.ok || entry.status !== 'ok')
    throw new InputError(
      `${file}: does not match its manifest (${entry.status}: expected sha256 ${entry.expected}, found ${entry.actual ?? 'nothing'}); refusing to make requests from a changed case file`,
    );
  const bytes = readInputFileSync(file, { what: 'trace JSON', maxBytes: MAX_TRACE_BYTES });
  const sha = sha256(bytes);
  // the file could change between the check and the read: what is used must be what was checked
  if (sha !== entry.expected)
    throw new InputError(`${file}: changed while it was read (sha256 ${sha}, manifest ${entry.expected})`);
  return { bytes, sha };
}

function networkOf(doc: unknown): string {
  const n = (doc as { meta?: { network?: unknown } } | null)?.meta?.network;
  return typeof n === 'string' ? n : 'unknown';
}

export async function runRequestsCommand(
  file: string,
  opts: Record<string, unknown>,
  io: IO,
): Promise<number> {
  const outDir = optString(opts, 'outDir', '');
  if (outDir === '') throw new InputError('--out-dir is required: the directory the sheets are written to');
  const startedAt = io.now();
  const { bytes, sha } = await checkedTrace(file);
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new InputError(`${file}: not JSON (${(e as Error).message})`);
  }
  const t = traceRows(doc, file);
  if (t.direction !== 'forward')
    throw new InputError(
      `${file}: a ${t.direction} trace; records requests need a forward trace (where the funds went)`,
    );
  const sheets = entitySheets(t.rows);
  const ref: CaseRef = { file, sha256: sha, direction: t.direction, model: t.model, seeds: t.seeds };
  mkdirSync(outDir, { recursive: true });
  const taken = new Set<string>(['index', 'requests']);
  const entries: IndexEntry[] = sheets.map((sheet) => ({ sheet, stem: fileStem(sheet.entity, taken) }));
  const files: { path: string; role: string; content: string }[] = [];
  for (const { sheet, stem } of entries) {
    files.push({ path: path.join(outDir, `${stem}.csv`), role: 'request-csv', content: sheetCsv(sheet) });
    files.push({
      path: path.join(outDir, `${stem}.md`),
      role: 'request-markdown',
      content: sheetMarkdown(sheet, ref),
    });
  }
  files.push({ path: path.join(outDir, 'index.csv'), role: 'index-csv', content: indexCsv(entries) });
  files.push({
    path: path.join(outDir, 'index.md'),
    role: 'index-markdown',
    content: indexMarkdown(entries, ref),
  });
  for (const f of files) await writeOutputAtomic(f.path, f.content);
  const meta: RunMeta = {
    tool: 'btctrace',
    version: toolVersion(),
    command: ['requests', file, '--out-dir', outDir],
    options: { trace: file, traceSha256: sha, outDir },
    source: `trace JSON ${file}`,
    network: networkOf(doc),
    tipHeight: null,
    startedAt: startedAt.toISOString(),
    finishedAt: io.now().toISOString(),
    modelConventions: `sheets list the trace's tainted outputs to service addresses (model ${t.model})`,
    partial: false,
    warnings: [],
  };
  const manifest = await writeManifestFile(path.join(outDir, 'requests.manifest.json'), {
    meta,
    files: [{ path: file, role: 'input-trace', content: bytes }, ...files],
    counts: { entities: sheets.length, deposits: sheets.reduce((n, s) => n + s.deposits.length, 0) },
  });
  if (opts.quiet !== true)
    io.stderr(
      `wrote ${sheets.length} request sheet${sheets.length === 1 ? '' : 's'} (${entries.map((e) => e.sheet.entity).join(', ') || 'none'}) to ${outDir} (manifest ${manifest})\n`,
    );
  return 0;
}
