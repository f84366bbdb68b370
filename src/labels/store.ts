// The SQLite label store as a LabelBook: imports replace a list's labels in one transaction per
// list (so importing the same file again changes nothing, and a failed import leaves the old
// labels), lookups ask for LOOKUP_BATCH addresses per query instead of one query per row.
import type Database from 'better-sqlite3';
import type { Label, LabelBook, LabelList } from './label.js';
import type { ImportedList, LabelRecord } from './record.js';
import { compareLabels } from './label-order.js';
import { openLabelsDb } from './store-db.js';

/** Addresses per lookup query: well under SQLite's 32,766 bound parameters. */
export const LOOKUP_BATCH = 500;

export interface StoredList extends LabelList {
  kind: string;
  file: string;
  importedAt: string;
  bad: number;
}

export interface ImportOutcome {
  name: string;
  labels: number;
  actors: number;
  /** Labels the list held before this import (0 for a new list). */
  replaced: number;
}

interface LabelRow {
  address: string;
  label: string;
  category: string | null;
  abuse: string | null;
  actor: string | null;
  confidence: number | null;
  source: string | null;
  defines_cluster: number;
  list: string;
  list_date: string | null;
  actor_label: string | null;
  jurisdictions: string | null;
}

type LookupRow = Omit<LabelRow, 'list' | 'list_date' | 'actor_label' | 'jurisdictions'> & { list_id: number };

export const LABEL_COLUMNS = `l.address, l.label, l.category, l.abuse, l.actor, l.confidence, l.source,
  l.defines_cluster, s.name AS list, s.date AS list_date, a.label AS actor_label, a.jurisdictions
  FROM labels l JOIN lists s ON s.id = l.list_id LEFT JOIN actors a ON a.id = l.actor`;

export function rowToLabel(r: LabelRow): Label {
  const label: Label = {
    label: r.label,
    category: r.category,
    abuse: r.abuse,
    actor: r.actor,
    confidence: r.confidence,
    source: r.source,
    list: r.list,
    listDate: r.list_date,
    definesCluster: r.defines_cluster === 1,
  };
  if (r.actor_label !== null) {
    label.actorName = r.actor_label;
    label.jurisdictions = JSON.parse(r.jurisdictions ?? '[]') as string[];
  }
  return label;
}

export class LabelStore implements LabelBook {
  private readonly byCount = new Map<number, Database.Statement<string[], LookupRow>>();
  private cache:
    | {
        lists: Map<number, { name: string; date: string | null }>;
        actors: Map<string, { label: string; jurisdictions: string[] }>;
      }
    | undefined;

  private constructor(
    readonly db: Database.Database,
    readonly file: string,
  ) {}

  /** Opens the store at file; with create, makes the file (and its directory) when absent. */
  static open(file: string, opts: { create: boolean }): LabelStore {
    return new LabelStore(openLabelsDb(file, opts.create), file);
  }

  close(): void {
    this.db.close();
  }

  /** Stores one list, replacing every label and actor a list of the same name held. */
  importList(list: ImportedList, now: Date): ImportOutcome {
    this.cache = undefined;
    const db = this.db;
    const insert = db.prepare(
      `INSERT INTO labels (list_id, address, label, category, abuse, actor, confidence, source, defines_cluster)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const actor = db.prepare(
      'INSERT OR REPLACE INTO actors (id, list_id, label, uri, categories, jurisdictions) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const run = db.transaction((): ImportOutcome => {
      const old = db.prepare('SELECT id FROM lists WHERE name = ?').pluck().get(list.name) as
        number | undefined;
      let replaced = 0;
      if (old !== undefined) {
        replaced = db.prepare('DELETE FROM labels WHERE list_id = ?').run(old).changes;
        db.prepare('DELETE FROM actors WHERE list_id = ?').run(old);
        db.prepare('DELETE FROM lists WHERE id = ?').run(old);
      }
      const id = db
        .prepare('INSERT INTO lists (name, kind, date, file, imported_at, bad) VALUES (?, ?, ?, ?, ?, ?)')
        .run(list.name, list.kind, list.date, list.file, now.toISOString(), list.bad.length).lastInsertRowid;
      for (const r of list.labels) insertLabel(insert, id, r);
      for (const a of list.actors)
        actor.run(a.id, id, a.label, a.uri, JSON.stringify(a.categories), JSON.stringify(a.jurisdictions));
      return { name: list.name, labels: list.labels.length, actors: list.actors.length, replaced };
    });
    return run();
  }

  /** Removes a list and its labels; the number of labels removed, or null when no such list. */
  removeList(name: string): number | null {
    this.cache = undefined;
    return this.db.transaction((): number | null => {
      const id = this.db.prepare('SELECT id FROM lists WHERE name = ?').pluck().get(name) as
        number | undefined;
      if (id === undefined) return null;
      const n = this.db.prepare('DELETE FROM labels WHERE list_id = ?').run(id).changes;
      this.db.prepare('DELETE FROM actors WHERE list_id = ?').run(id);
      this.db.prepare('DELETE FROM lists WHERE id = ?').run(id);
      return n;
    })();
  }

  lookup(addresses: readonly string[]): ReadonlyMap<string, readonly Label[]> {
    const out = new Map<string, Label[]>();
    const unique = [...new Set(addresses)];
    const { lists, actors } = this.joined();
    for (let i = 0; i < unique.length; i += LOOKUP_BATCH) {
      const batch = unique.slice(i, i + LOOKUP_BATCH);
      for (const r of this.statement(batch.length).all(...batch)) {
        const list = lists.get(r.list_id)!;
        const actor = r.actor === null ? undefined : actors.get(r.actor);
        const label: Label = {
          label: r.label,
          category: r.category,
          abuse: r.abuse,
          actor: r.actor,
          confidence: r.confidence,
          source: r.source,
          list: list.name,
          listDate: list.date,
          definesCluster: r.defines_cluster === 1,
        };
        if (actor) [label.actorName, label.jurisdictions] = [actor.label, actor.jurisdictions];
        const labels = out.get(r.address) ?? [];
        labels.push(label);
        out.set(r.address, labels);
      }
    }
    for (const labels of out.values()) labels.sort(compareLabels);
    return out;
  }

  /**
   * Lists and actors held in memory for lookups (85 lists and 3,813 actors for the whole
   * GraphSense collection): joining them in SQL per row took half the lookup time.
   */
  private joined(): NonNullable<typeof this.cache> {
    if (!this.cache) {
      const lists = new Map<number, { name: string; date: string | null }>();
      for (const r of this.db.prepare('SELECT id, name, date FROM lists').all() as {
        id: number;
        name: string;
        date: string | null;
      }[])
        lists.set(r.id, { name: r.name, date: r.date });
      const actors = new Map<string, { label: string; jurisdictions: string[] }>();
      for (const a of this.db.prepare('SELECT id, label, jurisdictions FROM actors').all() as {
        id: string;
        label: string;
        jurisdictions: string;
      }[])
        actors.set(a.id, { label: a.label, jurisdictions: JSON.parse(a.jurisdictions) as string[] });
      this.cache = { lists, actors };
    }
    return this.cache;
  }

  vocabulary(): ReadonlySet<string> {
    const terms = this.db
      .prepare(
        'SELECT DISTINCT category FROM labels WHERE category IS NOT NULL UNION SELECT DISTINCT abuse FROM labels WHERE abuse IS NOT NULL',
      )
      .pluck()
      .all() as string[];
    return new Set(terms);
  }

  lists(): readonly StoredList[] {
    const rows = this.db
      .prepare(
        `SELECT s.name, s.date, s.kind, s.file, s.imported_at AS importedAt, s.bad,
           (SELECT COUNT(*) FROM labels l WHERE l.list_id = s.id) AS labels FROM lists s ORDER BY s.name`,
      )
      .all() as StoredList[];
    return rows;
  }

  /** True when an imported OFAC list is present: it supersedes the bundled snapshot. */
  hasOfacList(): boolean {
    return this.db.prepare("SELECT 1 FROM lists WHERE kind = 'ofac' LIMIT 1").get() !== undefined;
  }

  private statement(n: number): Database.Statement<string[], LookupRow> {
    let s = this.byCount.get(n);
    if (!s) {
      s = this.db.prepare<string[], LookupRow>(
        `SELECT address, label, category, abuse, actor, confidence, source, defines_cluster, list_id
         FROM labels WHERE address IN (${Array(n).fill('?').join(',')})`,
      );
      this.byCount.set(n, s);
    }
    return s;
  }
}

function insertLabel(stmt: Database.Statement, listId: number | bigint, r: LabelRecord): void {
  stmt.run(
    listId,
    r.address,
    r.label,
    r.category,
    r.abuse,
    r.actor,
    r.confidence,
    r.source,
    r.definesCluster ? 1 : 0,
  );
}
