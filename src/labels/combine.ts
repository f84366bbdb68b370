// Several books read as one: the --tags file (the analyst's own claims) before the label store.
// An address's labels are the first book's, then the next book's, each book's own order kept;
// the same label from the same list twice is shown once.
import type { Label, LabelBook, LabelList } from './label.js';

export function combineBooks(books: readonly LabelBook[]): LabelBook {
  if (books.length === 1) return books[0]!;
  return {
    lookup(addresses) {
      const out = new Map<string, Label[]>();
      for (const book of books) {
        for (const [a, ls] of book.lookup(addresses)) {
          const have = out.get(a) ?? [];
          for (const l of ls)
            if (!have.some((h) => h.label === l.label && h.list === l.list && h.category === l.category))
              have.push(l);
          out.set(a, have);
        }
      }
      return out;
    },
    vocabulary() {
      const words = new Set<string>();
      for (const b of books) for (const w of b.vocabulary()) words.add(w);
      return words;
    },
    lists() {
      const out: LabelList[] = [];
      for (const b of books) out.push(...b.lists());
      return out;
    },
  };
}
