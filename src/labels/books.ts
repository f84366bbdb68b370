// The bundled OFAC snapshot as a book held in memory, so a fresh install still screens
// against a dated OFAC list.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Label, LabelBook } from './label.js';
import { MemoryLabelBook } from './memory-book.js';
import { readPlainList } from './plain-list.js';

export const BUNDLED_OFAC_NAME = 'ofac-bundled';

/**
 * The package's fixtures/ofac/: one level above the bundled CLI (dist/btctrace.js, where this
 * module is inlined), two above this module in src/labels and dist/labels.
 */
function ofacDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const oneUp = path.resolve(here, '..', 'fixtures', 'ofac');
  return existsSync(oneUp) ? oneUp : path.resolve(here, '..', '..', 'fixtures', 'ofac');
}

/** The dated OFAC XBT snapshot shipped in fixtures/ofac/. */
export function bundledOfacFile(): string {
  const dir = ofacDir();
  const files = readdirSync(dir)
    .filter((f) => /^sanctioned_addresses_XBT-\d{4}-\d{2}-\d{2}\.txt$/.test(f))
    .sort();
  if (files.length === 0) throw new Error(`no bundled OFAC list in ${dir}`);
  return path.join(dir, files[files.length - 1]!);
}

/**
 * The bundled OFAC snapshot as a book (mainnet addresses). The file is read now; its addresses
 * are checked and indexed when the book is first asked (some 10 ms for its 435 lines), so a
 * live trace sends its first request before, not after, that work.
 */
export function bundledOfacBook(file = bundledOfacFile()): LabelBook {
  const text = readFileSync(file, 'utf8');
  let book: MemoryLabelBook | undefined;
  const open = (): MemoryLabelBook => (book ??= ofacBook(text, file));
  return {
    lookup: (addresses) => open().lookup(addresses),
    vocabulary: () => open().vocabulary(),
    lists: () => open().lists(),
  };
}

function ofacBook(text: string, file: string): MemoryLabelBook {
  const list = readPlainList(text, file, BUNDLED_OFAC_NAME, {});
  const byAddress = new Map<string, Label[]>();
  for (const r of list.labels) {
    const l: Label = {
      label: r.label,
      category: r.category,
      abuse: r.abuse,
      actor: r.actor,
      confidence: r.confidence,
      source: r.source,
      list: BUNDLED_OFAC_NAME,
      listDate: list.date,
      definesCluster: false,
    };
    byAddress.set(r.address, [...(byAddress.get(r.address) ?? []), l]);
  }
  return new MemoryLabelBook(byAddress, [
    { name: BUNDLED_OFAC_NAME, date: list.date, labels: list.labels.length },
  ]);
}
