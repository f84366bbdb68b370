// What an importer hands the store: one list (a pack, a CSV, an OFAC file) with its labels, the
// actors it defines, and the tags it could not use (file, line and why), so that one bad line is
// counted and reported instead of losing the whole import.

export interface LabelRecord {
  /** Normalised address (bech32 lower case). */
  address: string;
  label: string;
  category: string | null;
  abuse: string | null;
  actor: string | null;
  confidence: number | null;
  source: string | null;
  definesCluster: boolean;
}

export interface ActorRecord {
  id: string;
  label: string;
  uri: string | null;
  categories: string[];
  jurisdictions: string[];
}

export interface BadTag {
  file: string;
  /** 1-based line of the tag in the file, when it could be located. */
  line: number | null;
  reason: string;
}

/** Which kind of list: an OFAC list supersedes the bundled OFAC snapshot. */
export type ListKind = 'tagpack' | 'actorpack' | 'csv' | 'ofac' | 'plain';

export interface ImportedList {
  /** The list's name in the store (its file name unless --list gives one). */
  name: string;
  kind: ListKind;
  /** The list's own date (TagPack lastmod, OFAC date of issue), yyyy-mm-dd, or null. */
  date: string | null;
  /** The file it was read from, as given. */
  file: string;
  labels: LabelRecord[];
  actors: ActorRecord[];
  bad: BadTag[];
  /** Tags left out on purpose (other currencies, transaction tags), by reason. */
  skipped: Record<string, number>;
}

export function emptyList(name: string, kind: ListKind, file: string): ImportedList {
  return { name, kind, date: null, file, labels: [], actors: [], bad: [], skipped: {} };
}

export function countSkip(list: ImportedList, reason: string): void {
  list.skipped[reason] = (list.skipped[reason] ?? 0) + 1;
}

/** yyyy-mm-dd from a YAML date, a string starting with one, or null. */
export function isoDate(value: unknown): string | null {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  if (typeof value === 'string') {
    const m = /^\s*(\d{4}-\d{2}-\d{2})/.exec(value);
    if (m) return m[1]!;
  }
  return null;
}
