// GraphSense actor packs: who an `actor:` id in a tag is (name, categories, jurisdictions).
import { emptyList, isoDate, type ActorRecord, type ImportedList } from './record.js';
import { isFields, term, text } from './tagpack.js';

function terms(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v
    .map((x) => (typeof x === 'string' ? x : isFields(x) ? text(x.id) : null))
    .flatMap((x) => {
      const t = term(x);
      return t === null ? [] : [t];
    });
}

export function readActorPack(doc: Record<string, unknown>, file: string, name: string): ImportedList {
  const list = emptyList(name, 'actorpack', file);
  list.date = isoDate(doc.lastmod);
  const actors = doc.actors as unknown[];
  for (let i = 0; i < actors.length; i++) {
    const a = actors[i];
    const id = isFields(a) ? text(a.id) : null;
    if (!isFields(a) || id === null) {
      list.bad.push({ file, line: null, reason: `actor ${i + 1} has no id` });
      continue;
    }
    const actor: ActorRecord = {
      id,
      label: text(a.label) ?? id,
      uri: text(a.uri),
      categories: terms(a.categories),
      jurisdictions: terms(a.jurisdictions).map((j) => j.toUpperCase()),
    };
    list.actors.push(actor);
  }
  return list;
}
