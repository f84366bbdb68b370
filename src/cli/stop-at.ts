// --stop-at names categories and abuse terms; a mistyped one would silently stop nothing, so
// every name must be a known taxonomy term or a word present in the loaded labels.
import type { LabelBook } from '../labels/label.js';
import { closestTerm, KNOWN_TERMS } from '../labels/taxonomy.js';
import { InputError } from '../model/errors.js';

export function checkStopAt(stopAt: readonly string[], book: LabelBook): void {
  // the book's words only when a term is not a taxonomy one: the default ("exchange") never
  // makes the bundled OFAC book index its list before the first request (books.ts)
  const terms = new Set<string>([...KNOWN_TERMS, 'coinjoin']);
  if (stopAt.every((c) => terms.has(c))) return;
  const known = new Set<string>([...terms, ...book.vocabulary()]);
  for (const c of stopAt) {
    if (known.has(c)) continue;
    const near = closestTerm(c, [...known].sort());
    throw new InputError(
      `unknown category "${c}" for --stop-at${near ? ` (did you mean "${near}"?)` : ''}; ` +
        'known: the label taxonomy (see --help), categories and abuse terms in the labels, "coinjoin", or "none"',
    );
  }
}

/** --stop-at-label a,b: entity names, split on commas; empty names are refused. */
export function parseStopAtLabels(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  const names = value.split(',').map((s) => s.trim());
  if (names.some((n) => n === ''))
    throw new InputError(`--stop-at-label ${value}: give entity labels separated by commas`);
  return [...new Set(names)];
}
