// A LabelBook held in memory: the analyst's own --tags CSV (address,label,category plus optional
// abuse,actor,confidence,source,is_cluster_definer). The file is read bounded (a regular file,
// at most MAX_TAGS_BYTES) and every bad row is an error naming the file, line and value: a wrong
// label in a case file is worse than no label.
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { checkAddress, normalizeAddress, type NetworkName } from '../model/address.js';
import { InputError } from '../model/errors.js';
import { safeText } from '../output/escape.js';
import { MiB, readInputTextSync } from '../model/input-file.js';
import type { Label, LabelBook, LabelList } from './label.js';
import { CONFIDENCE_LEVELS } from './taxonomy.js';
import { compareLabels } from './label-order.js';

export { compareLabels };

export class MemoryLabelBook implements LabelBook {
  private readonly byAddress = new Map<string, Label[]>();
  private readonly listInfo: LabelList[];

  /** `labels`: normalised address -> labels (any order; sorted here). */
  constructor(labels: ReadonlyMap<string, readonly Label[]>, lists: readonly LabelList[]) {
    for (const [a, ls] of labels) if (ls.length > 0) this.byAddress.set(a, [...ls].sort(compareLabels));
    this.listInfo = [...lists];
  }

  lookup(addresses: readonly string[]): ReadonlyMap<string, readonly Label[]> {
    const out = new Map<string, readonly Label[]>();
    for (const a of addresses) {
      const ls = this.byAddress.get(a);
      if (ls) out.set(a, ls);
    }
    return out;
  }

  vocabulary(): ReadonlySet<string> {
    const words = new Set<string>();
    for (const ls of this.byAddress.values())
      for (const l of ls) {
        if (l.category) words.add(l.category);
        if (l.abuse) words.add(l.abuse);
      }
    return words;
  }

  lists(): readonly LabelList[] {
    return this.listInfo;
  }

  /** Addresses held (for counts in messages). */
  get size(): number {
    return this.byAddress.size;
  }
}

export const EMPTY_BOOK: LabelBook = new MemoryLabelBook(new Map(), []);

/**
 * A tags file larger than this is refused: 256 MiB holds some 3 million address,label,category
 * rows (a full TagPack export is far smaller), while parsing it already takes a few GiB of memory.
 */
export const MAX_TAGS_BYTES = 256 * MiB;

const TRUE = new Set(['true', 'yes', '1']);
const FALSE = new Set(['false', 'no', '0', '']);

/** 0-100, or a TagPack confidence name ("service_data" -> 50); empty = unknown. */
function parseConfidence(raw: string, where: string): number | null {
  if (raw === '') return null;
  const named = CONFIDENCE_LEVELS[raw.toLowerCase()];
  if (named !== undefined) return named;
  if (/^\d{1,3}$/.test(raw) && Number(raw) <= 100) return Number(raw);
  throw new InputError(`${where}: confidence "${raw}" is neither 0-100 nor a TagPack confidence name`);
}

/**
 * Parses a tags CSV. The header must name address, label and category (in any order; unknown
 * columns are ignored). An address may carry several labels; the same label twice with a
 * different category or abuse is an error (which one would be right?).
 */
export function parseLabelCsv(text: string, file: string, network: NetworkName): MemoryLabelBook {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (e) {
    throw new InputError(`${file}: not a readable CSV (${e instanceof Error ? e.message : String(e)})`);
  }
  const written = records[0] ?? [];
  const header = written.map((h) => h.toLowerCase());
  const col = (name: string) => {
    const i = header.indexOf(name);
    // the header is quoted as written (not lower-cased), so the analyst can find it in the file
    if (i < 0)
      throw new InputError(
        `${file}: the header must have a column named "${name}" (found: ${written.join(',') || 'nothing'})`,
      );
    return i;
  };
  const [ai, li, ci] = [col('address'), col('label'), col('category')];
  const opt = (name: string) => header.indexOf(name);
  const [bi, ri, fi, si, di] = ['abuse', 'actor', 'confidence', 'source', 'is_cluster_definer'].map(opt);
  const list = path.basename(file);
  const labels = new Map<string, Label[]>();
  let count = 0;
  for (let r = 1; r < records.length; r++) {
    const row = records[r]!;
    const where = `${file} line ${r + 1}`;
    const get = (i: number | undefined) => (i === undefined || i < 0 ? '' : (row[i] ?? ''));
    const raw = get(ai);
    if (raw === '' || raw.startsWith('#')) continue;
    try {
      checkAddress(raw, network);
    } catch (e) {
      throw new InputError(`${where}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const label = get(li);
    if (label === '') throw new InputError(`${where}: ${raw} has an empty label`);
    const definer = get(di).toLowerCase();
    if (!TRUE.has(definer) && !FALSE.has(definer))
      throw new InputError(`${where}: is_cluster_definer "${get(di)}" is not true or false`);
    const l: Label = {
      label,
      category: get(ci).toLowerCase() || null,
      abuse: get(bi).toLowerCase() || null,
      actor: get(ri) || null,
      confidence: parseConfidence(get(fi), where),
      source: get(si) || file,
      list,
      listDate: null,
      definesCluster: TRUE.has(definer),
    };
    // A label is printed in tables and case files: control characters there are refused.
    for (const what of ['label', 'category', 'abuse', 'actor', 'source'] as const) {
      const text = l[what];
      if (text !== null && safeText(text) !== text)
        throw new InputError(`${where}: the ${what} of ${raw} has control characters (${safeText(text)})`);
    }
    const address = normalizeAddress(raw);
    const have = labels.get(address) ?? [];
    const same = have.find((h) => h.label === l.label);
    if (same && (same.category !== l.category || same.abuse !== l.abuse)) {
      throw new InputError(
        `${where}: ${raw} is tagged twice as ${label} (${same.category ?? ''}/${same.abuse ?? ''} and ${l.category ?? ''}/${l.abuse ?? ''})`,
      );
    }
    if (same) continue;
    have.push(l);
    labels.set(address, have);
    count++;
  }
  return new MemoryLabelBook(labels, [{ name: list, date: null, labels: count }]);
}

export function loadLabelCsv(file: string, network: NetworkName): MemoryLabelBook {
  return parseLabelCsv(
    readInputTextSync(file, { what: 'tags file', maxBytes: MAX_TAGS_BYTES }),
    file,
    network,
  );
}
