// `btctrace labels import`: every file read, recognised and stored one at a time (one
// transaction each); a bad tag is reported with its file and line and skipped, and the summary
// says how many were skipped and why. Exit 0; 1 when a file found in a directory could not be
// read at all (the others are imported); 2 for bad arguments.
import { InputError } from '../model/errors.js';
import { collectFiles, readLabelFile, type ImportOptions } from '../labels/import-files.js';
import { labelsFile } from '../labels/paths.js';
import type { BadTag } from '../labels/record.js';
import { LabelStore } from '../labels/store.js';
import { confidenceLevel } from '../labels/taxonomy.js';
import { safeText } from '../output/table.js';
import type { IO } from './io.js';

/** Bad tags printed per file; the rest are counted in the summary. */
export const BAD_LINES_PER_FILE = 20;

const n = (x: number) => x.toLocaleString('en');

function importOptions(opts: Record<string, unknown>, files: number): ImportOptions {
  const str = (k: string) => (typeof opts[k] === 'string' ? opts[k] : undefined);
  const o: ImportOptions = {
    list: str('list'),
    label: str('label'),
    category: str('category'),
    abuse: str('abuse'),
    date: str('date'),
  };
  if (o.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(o.date))
    throw new InputError(`--date ${o.date}: give the list's date as yyyy-mm-dd`);
  if (o.list !== undefined && files !== 1)
    throw new InputError(`--list ${o.list}: names one file's list, but ${files} files are imported`);
  if (o.list !== undefined && !/^[^\s/\\][^/\\]{0,199}$/.test(o.list))
    throw new InputError(
      `--list ${o.list}: a list name is 1-200 characters, no slashes, not starting with a space`,
    );
  const c = str('confidence');
  if (c !== undefined) {
    const level = confidenceLevel(c);
    if (level === undefined || level === null)
      throw new InputError(`--confidence ${c}: not a TagPack confidence name (e.g. service_data) or 0-100`);
    o.confidence = level;
  }
  return o;
}

/** "address is not valid (bad base58 checksum)" without the address: reasons grouped in the summary. */
function reasonClass(b: BadTag): string {
  return b.reason.replace(/^\S+: /, '');
}

export function runLabelsImport(paths: string[], opts: Record<string, unknown>, io: IO): number {
  const found = collectFiles(paths);
  if (found.length === 0)
    throw new InputError(`${paths.join(' ')}: no .yaml, .csv, .txt or .xml files found`);
  const o = importOptions(opts, found.length);
  const { file: dbFile } = labelsFile(typeof opts.labelsDb === 'string' ? opts.labelsDb : undefined, io.env);
  const quiet = opts.quiet === true;
  const store = LabelStore.open(dbFile, { create: true });
  const badBy = new Map<string, number>();
  const skippedBy = new Map<string, number>();
  let [labels, actors, lists, failed, bad] = [0, 0, 0, 0, 0];
  const names = new Set<string>();
  try {
    for (const f of found) {
      const r = readLabelFile(f.file, o, f.fromDirectory);
      if (!('labels' in r)) {
        if (r.failed) failed++;
        io.stderr(
          `${safeText(r.file)}: ${r.failed ? 'NOT IMPORTED' : 'passed over'}: ${safeText(r.reason)}\n`,
        );
        continue;
      }
      if (names.has(r.name))
        io.stderr(
          `${safeText(r.file)}: a list named ${safeText(r.name)} was imported from another file in this run; it is replaced\n`,
        );
      names.add(r.name);
      const out = store.importList(r, io.now());
      [labels, actors, lists, bad] = [
        labels + out.labels,
        actors + out.actors,
        lists + 1,
        bad + r.bad.length,
      ];
      r.bad
        .slice(0, BAD_LINES_PER_FILE)
        .forEach((b) =>
          io.stderr(
            `${safeText(b.file)}${b.line === null ? '' : ` line ${b.line}`}: skipped: ${safeText(b.reason)}\n`,
          ),
        );
      if (r.bad.length > BAD_LINES_PER_FILE)
        io.stderr(`${safeText(r.file)}: ... and ${r.bad.length - BAD_LINES_PER_FILE} more bad tags\n`);
      for (const b of r.bad) badBy.set(reasonClass(b), (badBy.get(reasonClass(b)) ?? 0) + 1);
      for (const [k, v] of Object.entries(r.skipped)) skippedBy.set(k, (skippedBy.get(k) ?? 0) + v);
      if (!quiet) {
        const what = r.kind === 'actorpack' ? `${n(out.actors)} actors` : `${n(out.labels)} labels`;
        const extra = [
          out.replaced ? `replaced ${n(out.replaced)}` : '',
          r.bad.length ? `${n(r.bad.length)} bad` : '',
          r.date ? `dated ${r.date}` : '',
        ].filter(Boolean);
        io.stdout(`${safeText(r.name)}: ${what} (${r.kind}${extra.length ? `, ${extra.join(', ')}` : ''})\n`);
      }
    }
    const addresses = store.db.prepare('SELECT COUNT(DISTINCT address) FROM labels').pluck().get() as number;
    io.stdout(
      `imported ${n(labels)} labels and ${n(actors)} actors from ${n(lists)} ${lists === 1 ? 'file' : 'files'} into ${dbFile} (now ${n(addresses)} addresses)\n`,
    );
  } finally {
    store.close();
  }
  const group = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, v]) => `${n(v)} ${safeText(k)}`);
  io.stdout(bad ? `skipped ${n(bad)} bad tags: ${group(badBy).join('; ')}\n` : 'skipped 0 bad tags\n');
  if (skippedBy.size) {
    // the five largest reasons by name, the long tail of other currencies as one count
    const all = group(skippedBy);
    const rest = [...skippedBy.values()].sort((a, b) => b - a).slice(5);
    const tail = rest.length
      ? `, and ${n(rest.reduce((a, b) => a + b, 0))} more of ${rest.length} other kinds`
      : '';
    io.stdout(`left out (not Bitcoin address tags): ${all.slice(0, 5).join(', ')}${tail}\n`);
  }
  if (failed) {
    io.stderr(`btctrace: ${failed} files could not be read (NOT IMPORTED above); the others were imported\n`);
    return 1;
  }
  return 0;
}
