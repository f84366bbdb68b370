// Books besides the store: one held in memory (the bundled OFAC snapshot) and one that asks
// several books and merges their answers, so a fresh install still screens against OFAC.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Label, LabelBook, LabelList } from './label.js';
import { readPlainList } from './plain-list.js';
import { compareLabels } from './label-order.js';

export class MemoryBook implements LabelBook {
  private readonly byAddress = new Map<string, Label[]>();
  private readonly listInfo: LabelList[];

  constructor(labels: readonly (Label & { address: string })[], lists: readonly LabelList[]) {
    for (const { address, ...label } of labels) {
      const l = this.byAddress.get(address) ?? [];
      l.push(label);
      this.byAddress.set(address, l);
    }
    for (const l of this.byAddress.values()) l.sort(compareLabels);
    this.listInfo = [...lists];
  }

  lookup(addresses: readonly string[]): ReadonlyMap<string, readonly Label[]> {
    const out = new Map<string, readonly Label[]>();
    for (const a of addresses) {
      const l = this.byAddress.get(a);
      if (l) out.set(a, l);
    }
    return out;
  }

  vocabulary(): ReadonlySet<string> {
    const terms = new Set<string>();
    for (const ls of this.byAddress.values())
      for (const l of ls) for (const t of [l.category, l.abuse]) if (t !== null) terms.add(t);
    return terms;
  }

  lists(): readonly LabelList[] {
    return this.listInfo;
  }
}

export const BUNDLED_OFAC_NAME = 'ofac-bundled';

/** The dated OFAC XBT snapshot shipped in fixtures/ofac/ (src/labels and dist/labels alike). */
export function bundledOfacFile(): string {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'ofac');
  const files = readdirSync(dir)
    .filter((f) => /^sanctioned_addresses_XBT-\d{4}-\d{2}-\d{2}\.txt$/.test(f))
    .sort();
  if (files.length === 0) throw new Error(`no bundled OFAC list in ${dir}`);
  return path.join(dir, files[files.length - 1]!);
}

/** The bundled OFAC snapshot as a book (mainnet addresses). */
export function bundledOfacBook(file = bundledOfacFile()): MemoryBook {
  const list = readPlainList(readFileSync(file, 'utf8'), file, BUNDLED_OFAC_NAME, {});
  const labels = list.labels.map((r) => ({
    address: r.address,
    label: r.label,
    category: r.category,
    abuse: r.abuse,
    actor: r.actor,
    confidence: r.confidence,
    source: r.source,
    list: BUNDLED_OFAC_NAME,
    listDate: list.date,
    definesCluster: false,
  }));
  return new MemoryBook(labels, [{ name: BUNDLED_OFAC_NAME, date: list.date, labels: labels.length }]);
}

/** Asks every book; an address's labels from all of them, best first. */
export function combinedBook(books: readonly LabelBook[]): LabelBook {
  if (books.length === 1) return books[0]!;
  return {
    lookup(addresses) {
      const out = new Map<string, Label[]>();
      for (const b of books)
        for (const [a, ls] of b.lookup(addresses)) out.set(a, [...(out.get(a) ?? []), ...ls]);
      for (const ls of out.values()) ls.sort(compareLabels);
      return out;
    },
    vocabulary() {
      return new Set(books.flatMap((b) => [...b.vocabulary()]));
    },
    lists() {
      return books.flatMap((b) => b.lists()).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    },
  };
}
