// Where each tag of a TagPack starts in the text. The YAML parser gives values, not positions;
// the packs write `tags:` at the top level followed by one `- ` item per tag, so the item lines
// are found by indentation. When the count disagrees with the parsed tags (an unusual layout),
// no lines are claimed rather than wrong ones.

/** 1-based line of every item of the top-level `tags:` list, or null when not located. */
export function tagLines(text: string, expected: number): number[] | null {
  const lines = text.split('\n');
  let i = lines.findIndex((l) => /^tags:\s*(#.*)?\r?$/.test(l));
  if (i < 0) return null;
  let indent: string | null = null;
  const found: number[] = [];
  for (i = i + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^\s*(#.*)?\r?$/.test(l)) continue; // blank or comment
    const m = /^(\s*)-(\s|$)/.exec(l);
    if (indent === null) {
      if (!m) return null;
      indent = m[1]!;
    }
    if (m && m[1] === indent) found.push(i + 1);
    else if (l.length - l.trimStart().length <= indent.length && !m) break; // the list ended
  }
  return found.length === expected ? found : null;
}
