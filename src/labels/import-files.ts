// Which files an import reads and how: a directory is walked (sorted, hidden folders such as
// .git skipped, only .yaml/.yml/.csv/.txt/.xml files) and each file's format is recognised from
// its content, not its name. Files are read and parsed one at a time, so memory stays that of
// the largest file, not of the collection.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../model/errors.js';
import { MiB, readInputTextSync } from '../model/input-file.js';
import { readActorPack } from './actorpack.js';
import { looksLikeLabelCsv, readCsvLabels } from './csv-labels.js';
import { looksLikeSdnXml, readSdnXml } from './ofac-xml.js';
import { looksLikePlainList, readPlainList, type PlainListOptions } from './plain-list.js';
import type { ImportedList } from './record.js';
import { isActorPack, isTagPack, loadYaml, readTagPack } from './tagpack.js';

/** OFAC's full sdn_advanced.xml is around 100 MB; nothing a label import reads is larger. */
export const MAX_LABEL_FILE_BYTES = 512 * MiB;
export const MAX_FILES = 20_000;
const MAX_DEPTH = 16;
const IMPORTABLE = /\.(ya?ml|csv|txt|xml)$/i;

export interface ImportOptions extends PlainListOptions {
  /** The list name for a single file (default: its file name; OFAC_LIST_NAME for OFAC lists). */
  list?: string;
  /** The list's date when the file does not give one. */
  date?: string;
}

/** OFAC lists, XML or plain, share one name: importing a newer one replaces the older. */
export const OFAC_LIST_NAME = 'ofac-sdn';

function named(list: ImportedList, o: ImportOptions): ImportedList {
  if (o.list === undefined && list.kind === 'ofac') list.name = OFAC_LIST_NAME;
  if (list.date === null && o.date !== undefined) list.date = o.date;
  return list;
}

/** A file that was looked at and not imported, with why (a directory's README, CI config). */
export interface Passed {
  file: string;
  reason: string;
  /** True when the file looked like a label file but could not be read (a YAML error). */
  failed: boolean;
}

export interface FoundFile {
  file: string;
  /** Found by walking a directory (not named by the user): unknown files are passed over. */
  fromDirectory: boolean;
}

/** Every file to read for these arguments, in a stable order. */
export function collectFiles(args: readonly string[]): FoundFile[] {
  const files: FoundFile[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > MAX_DEPTH) throw new InputError(`${dir}: folders nested deeper than ${MAX_DEPTH} levels`);
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (e.isFile() && IMPORTABLE.test(e.name)) files.push({ file: p, fromDirectory: true });
      if (files.length > MAX_FILES) throw new InputError(`${dir}: more than ${MAX_FILES} files to import`);
    }
  };
  for (const a of args) {
    let st;
    try {
      st = statSync(a);
    } catch {
      throw new InputError(`${a}: no such file or directory`);
    }
    if (st.isDirectory()) walk(a, 0);
    else files.push({ file: a, fromDirectory: false });
  }
  return files;
}

/** The list a file holds, or why it was passed over (only for files found in a directory). */
export function readLabelFile(file: string, o: ImportOptions, fromDirectory: boolean): ImportedList | Passed {
  const source = readInputTextSync(file, { what: 'label file', maxBytes: MAX_LABEL_FILE_BYTES });
  const name = o.list ?? path.basename(file);
  const head = source.slice(0, 4096).replace(/^\uFEFF/, '');
  if (looksLikeSdnXml(head)) return named(readSdnXml(source, file, name), o);
  const firstLine = head.split('\n', 1)[0]!;
  if (looksLikeLabelCsv(firstLine)) return named(readCsvLabels(source, file, name), o);
  if (looksLikePlainList(head)) return named(readPlainList(source, file, name, o), o);
  let doc: unknown;
  try {
    doc = loadYaml(source, file);
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    if (fromDirectory && !/\.ya?ml$/i.test(file)) return { file, reason: 'not a label file', failed: false };
    if (fromDirectory) return { file, reason: `YAML error: ${why}`, failed: true };
    throw new InputError(`${file}: not a label file this importer knows (as YAML: ${why})`);
  }
  if (isTagPack(doc)) return named(readTagPack(doc, source, file, name), o);
  if (isActorPack(doc)) return readActorPack(doc, file, name);
  if (fromDirectory) return { file, reason: 'not a TagPack or actor pack', failed: false };
  throw new InputError(
    `${file}: not a label file this importer knows (TagPack or actor pack YAML, CSV with address,label,category, OFAC sdn_advanced.xml, or one address per line)`,
  );
}
