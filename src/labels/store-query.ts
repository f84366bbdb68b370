// Reading the store back for `labels list`, `labels stats` and `labels export`: filtered rows in
// a stable order (address, list, label), streamed rather than loaded, and counts per list and
// per category or abuse term.
import type { Label } from './label.js';
import { LABEL_COLUMNS, rowToLabel, type LabelStore } from './store.js';

export interface LabelFilter {
  /** Exact address (normalised by the caller). */
  address?: string;
  /** Part of the label, any case. */
  label?: string;
  /** A category or an abuse term. */
  category?: string;
  /** An imported list's name. */
  source?: string;
}

export type AddressedLabel = Label & { address: string };

export function* queryLabels(store: LabelStore, f: LabelFilter): Generator<AddressedLabel> {
  const where: string[] = [];
  const args: string[] = [];
  const add = (clause: string, ...values: string[]) => {
    where.push(clause);
    args.push(...values);
  };
  if (f.address !== undefined) add('l.address = ?', f.address);
  if (f.label !== undefined) add('instr(lower(l.label), lower(?)) > 0', f.label);
  if (f.category !== undefined) add('(l.category = ? OR l.abuse = ?)', f.category, f.category);
  if (f.source !== undefined) add('s.name = ?', f.source);
  const sql = `SELECT ${LABEL_COLUMNS} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY l.address, s.name, l.label, l.rowid`;
  for (const r of store.db.prepare(sql).iterate(...args))
    yield {
      address: (r as { address: string }).address,
      ...rowToLabel(r as Parameters<typeof rowToLabel>[0]),
    };
}

export interface StoreStats {
  lists: {
    name: string;
    kind: string;
    date: string | null;
    labels: number;
    addresses: number;
    bad: number;
  }[];
  categories: { term: string; kind: 'category' | 'abuse'; labels: number; addresses: number }[];
  labels: number;
  addresses: number;
  actors: number;
}

export function storeStats(store: LabelStore): StoreStats {
  const db = store.db;
  const lists = db
    .prepare(
      `SELECT s.name, s.kind, s.date, s.bad, COUNT(l.address) AS labels, COUNT(DISTINCT l.address) AS addresses
       FROM lists s LEFT JOIN labels l ON l.list_id = s.id GROUP BY s.id ORDER BY s.name`,
    )
    .all() as StoreStats['lists'];
  const categories = db
    .prepare(
      `SELECT term, kind, COUNT(*) AS labels, COUNT(DISTINCT address) AS addresses FROM (
         SELECT category AS term, 'category' AS kind, address FROM labels WHERE category IS NOT NULL
         UNION ALL SELECT abuse, 'abuse', address FROM labels WHERE abuse IS NOT NULL)
       GROUP BY kind, term ORDER BY kind DESC, labels DESC, term`,
    )
    .all() as StoreStats['categories'];
  const totals = db
    .prepare('SELECT COUNT(*) AS labels, COUNT(DISTINCT address) AS addresses FROM labels')
    .get() as { labels: number; addresses: number };
  const actors = db.prepare('SELECT COUNT(*) FROM actors').pluck().get() as number;
  return { lists, categories, ...totals, actors };
}
