// An analyst's own labels as CSV: address,label,category plus optional abuse, actor, confidence
// (a TagPack name or 0-100), source and defines_cluster, in any column order. `labels export
// --format csv` writes this layout, so an export imports again as is.
import { parse } from 'csv-parse/sync';
import { InputError } from '../model/errors.js';
import { labelAddress } from './label-address.js';
import { emptyList, type ImportedList } from './record.js';
import { confidenceLevel } from './taxonomy.js';

export const CSV_COLUMNS = [
  'address',
  'label',
  'category',
  'abuse',
  'actor',
  'confidence',
  'source',
  'defines_cluster',
] as const;

/** A cell; a leading quote that guarded a formula-like cell ("'=x", written by export) comes off. */
const orNull = (s: string | undefined): string | null => {
  const t = (s ?? '').trim();
  if (t === '') return null;
  return /^'[=+\-@\t\r]/.test(t) ? t.slice(1) : t;
};

/** True when the first line is a header naming address and label. */
export function looksLikeLabelCsv(firstLine: string): boolean {
  const cols = firstLine
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .split(',')
    .map((c) => c.trim());
  return cols.includes('address') && cols.includes('label');
}

export function readCsvLabels(source: string, file: string, name: string): ImportedList {
  let records: string[][];
  try {
    records = parse(source, { bom: true, skip_empty_lines: true, relax_column_count: true });
  } catch (e) {
    throw new InputError(`${file}: not a readable CSV (${e instanceof Error ? e.message : String(e)})`);
  }
  const header = (records[0] ?? []).map((h) => h.trim().toLowerCase());
  const at = (c: string) => header.indexOf(c);
  for (const c of ['address', 'label', 'category'])
    if (at(c) < 0)
      throw new InputError(`${file}: the header must have an "${c}" column (found: ${header.join(',')})`);
  const list = emptyList(name, 'csv', file);
  const col = Object.fromEntries(CSV_COLUMNS.map((c) => [c, at(c)])) as Record<string, number>;
  for (let r = 1; r < records.length; r++) {
    const row = records[r]!;
    const get = (c: string) => (col[c]! >= 0 ? orNull(row[col[c]!]) : null);
    const line = r + 1; // csv-parse counts records; with no quoted newlines this is the line
    const raw = get('address');
    if (raw !== null && raw.startsWith('#')) continue;
    const addr = labelAddress(raw ?? '');
    if ('reason' in addr) {
      list.bad.push({ file, line, reason: addr.reason });
      continue;
    }
    const label = get('label');
    if (label === null) {
      list.bad.push({ file, line, reason: `${addr.address}: no label` });
      continue;
    }
    const confidence = confidenceLevel(get('confidence'));
    if (confidence === undefined) {
      list.bad.push({ file, line, reason: `${addr.address}: unknown confidence ${get('confidence')}` });
      continue;
    }
    list.labels.push({
      address: addr.address,
      label,
      category: get('category')?.toLowerCase() ?? null,
      abuse: get('abuse')?.toLowerCase() ?? null,
      actor: get('actor'),
      confidence,
      source: get('source'),
      definesCluster: /^(true|1|yes)$/i.test(get('defines_cluster') ?? ''),
    });
  }
  return list;
}
