// Label books for tests: address -> label/category (and optional fields), as a --tags file holds them.
import type { Label } from '../../src/labels/label.js';
import { MemoryLabelBook } from '../../src/labels/memory-book.js';

export type TestLabel = Pick<Label, 'label'> & Partial<Label>;

export function bookOf(
  entries: readonly (readonly [string, TestLabel | TestLabel[]])[],
  list = 'test.csv',
): MemoryLabelBook {
  const m = new Map<string, Label[]>();
  for (const [a, ls] of entries) {
    const arr = Array.isArray(ls) ? ls : [ls];
    m.set(
      a,
      arr.map((l) => ({
        category: null,
        abuse: null,
        actor: null,
        confidence: null,
        source: list,
        list,
        listDate: null,
        definesCluster: false,
        ...l,
      })),
    );
  }
  return new MemoryLabelBook(m, [{ name: list, date: null, labels: entries.length }]);
}
