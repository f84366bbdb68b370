// The bundled OFAC snapshot as a book held in memory, so a fresh install still screens
// against a dated OFAC list.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeAddress } from '../model/address.js';
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
 * The bundled OFAC snapshot as a book (mainnet addresses). The file is read now (a missing or
 * unreadable list fails before any request), but its 435 addresses are not all checked (some
 * 10 ms) to answer a lookup: the lines are indexed by their normalised text, and only the lines
 * a lookup hits are checked, as readPlainList checks every line, so the answer is the one the
 * whole checked list gives. Its words and lists (a count of the valid lines) check them all.
 */
export function bundledOfacBook(file = bundledOfacFile()): LabelBook {
  const text = readFileSync(file, 'utf8');
  let whole: MemoryLabelBook | undefined;
  const all = (): MemoryLabelBook => (whole ??= ofacBook(text, file));
  let index: Map<string, string[]> | undefined;
  return {
    lookup(addresses) {
      index ??= lineIndex(text);
      const hit: string[] = [];
      for (const a of new Set(addresses)) hit.push(...(index.get(a) ?? []));
      return hit.length === 0 ? new Map() : ofacBook(hit.join('\n'), file).lookup(addresses);
    },
    vocabulary: () => all().vocabulary(),
    lists: () => all().lists(),
  };
}

/** Lines that may hold an address, by the address they would normalise to (not yet checked). */
function lineIndex(text: string): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const key = normalizeAddress(t);
    index.set(key, [...(index.get(key) ?? []), t]);
  }
  return index;
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
