// --stop-at names categories; a mistyped one would silently stop nothing, so every name must be
// a known taxonomy term or a category present in the loaded labels.
import { closestTerm, KNOWN_TERMS } from '../labels/taxonomy.js';
import { InputError } from '../model/errors.js';
import type { TagBook } from '../tags/tags.js';

export function checkStopAt(stopAt: readonly string[], tags: TagBook): void {
  if (stopAt.length === 0) return;
  const known = new Set<string>([...KNOWN_TERMS, 'coinjoin']);
  for (const t of tags.values()) if (t.category) known.add(t.category);
  for (const c of stopAt) {
    if (known.has(c)) continue;
    const near = closestTerm(c, [...known]);
    throw new InputError(
      `unknown category "${c}" for --stop-at${near ? ` (did you mean "${near}"?)` : ''}; ` +
        'known: the label taxonomy (see --help), categories in --tags, "coinjoin", or "none"',
    );
  }
}
