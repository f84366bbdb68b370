// Attribution labels: which entity an address belongs to (an exchange's deposit address, a
// sanctioned service...). Read from a CSV the analyst keeps with columns address,label,category.
import { parse } from 'csv-parse/sync';
import { checkAddress, normalizeAddress, type NetworkName } from '../model/address.js';
import { InputError } from '../model/errors.js';
import { MiB, readInputTextSync } from '../model/input-file.js';

export interface Tag {
  label: string;
  /** Lower case, e.g. "exchange", "gambling", "mixer", "sanctioned". */
  category: string;
}

export type TagBook = ReadonlyMap<string, Tag>;

export const EMPTY_TAGS: TagBook = new Map();

/**
 * Parses a tags CSV. The header must name address, label and category (in any order; other
 * columns are ignored). A bad row is an InputError naming the file, line and value: a wrong
 * label in a case file is worse than no label. An address listed twice with different tags is
 * an error too.
 */
export function parseTags(text: string, file: string, network: NetworkName): TagBook {
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
  const tags = new Map<string, Tag>();
  for (let r = 1; r < records.length; r++) {
    const row = records[r]!;
    const line = r + 1;
    const raw = row[ai] ?? '';
    if (raw === '' || raw.startsWith('#')) continue;
    try {
      checkAddress(raw, network);
    } catch (e) {
      throw new InputError(`${file} line ${line}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const label = row[li] ?? '';
    const category = (row[ci] ?? '').toLowerCase();
    if (label === '') throw new InputError(`${file} line ${line}: ${raw} has an empty label`);
    const address = normalizeAddress(raw);
    const prev = tags.get(address);
    if (prev && (prev.label !== label || prev.category !== category)) {
      throw new InputError(
        `${file} line ${line}: ${raw} is tagged twice (${prev.label}/${prev.category} and ${label}/${category})`,
      );
    }
    tags.set(address, { label, category });
  }
  return tags;
}

/**
 * A tags file larger than this is refused: 256 MiB holds some 3 million address,label,category
 * rows (a full TagPack export is far smaller), while parsing it already takes a few GiB of memory.
 */
export const MAX_TAGS_BYTES = 256 * MiB;

export function loadTags(file: string, network: NetworkName): TagBook {
  return parseTags(readInputTextSync(file, { what: 'tags file', maxBytes: MAX_TAGS_BYTES }), file, network);
}
