// Tables that fit the terminal: without --wide, text columns (labels, flags, notes) wrap so that
// the whole table is at most the terminal's width; numbers and identifiers never wrap.
//
// The width: the terminal's own when stdout is one; otherwise $COLUMNS when it is a whole number
// (so `COLUMNS=160 btctrace ... | less` can ask for more), else 100: a table piped or written to a
// file does not change with the window it was started from.
import Table from 'cli-table3';

/** Width used when stdout is not a terminal and $COLUMNS is not set. */
export const DEFAULT_WIDTH = 100;
/** Narrowest a wrapped column gets (text plus its two padding spaces). */
const MIN_WRAPPED = 10;

export interface WidthSource {
  stdoutIsTTY: boolean;
  /** process.stdout.columns when stdout is a terminal. */
  stdoutColumns?: number | undefined;
  env: Record<string, string | undefined>;
}

export function terminalWidth(io: WidthSource): number {
  if (io.stdoutIsTTY && io.stdoutColumns !== undefined && io.stdoutColumns > 0) return io.stdoutColumns;
  const env = io.env.COLUMNS?.trim();
  if (env !== undefined && /^\d{2,4}$/.test(env) && Number(env) >= 40) return Number(env);
  return DEFAULT_WIDTH;
}

/**
 * Breaks text into lines of at most `width` code points: at spaces, after ", " / ";" / ":"
 * where possible, inside a word only when the word alone is longer. Nothing is cut off.
 */
export function wrapText(text: string, width: number): string {
  if (width < 1) return text;
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    // tokens keep their trailing separator, so "a:b" can break after the colon
    for (const token of para.match(/[^\s:;,]*[:;,]?\s*/g)?.filter((t) => t !== '') ?? ['']) {
      let t = token;
      if ([...line].length + [...t.trimEnd()].length <= width) {
        line += t;
        continue;
      }
      if (line.trim() !== '') out.push(line.trimEnd());
      while ([...t.trimEnd()].length > width) {
        // never leave a separator alone on its line: cut one character earlier
        const cut = /^[:;,]$/.test([...t].slice(width).join('').trim()) && width > 1 ? width - 1 : width;
        out.push([...t].slice(0, cut).join(''));
        t = [...t].slice(cut).join('');
      }
      line = t;
    }
    out.push(line.trimEnd());
  }
  return out.join('\n');
}

/** Display width of a cell: its longest line, in code points. */
function cellWidth(text: string): number {
  return Math.max(0, ...text.split('\n').map((l) => [...l].length));
}

/**
 * Column widths (cli-table3 colWidths, padding included) that fit `max` columns by narrowing the
 * `wrappable` ones, widest first; null when the table fits as it is. Fixed columns keep their
 * width, so a table of long identifiers can still exceed `max` (that is what --wide is for).
 */
export function fitWidths(rows: string[][], wrappable: boolean[], max: number): number[] | null {
  const n = wrappable.length;
  const natural = Array.from(
    { length: n },
    (_, c) => 2 + Math.max(0, ...rows.map((r) => cellWidth(r[c] ?? ''))),
  );
  const borders = n + 1;
  if (natural.reduce((a, b) => a + b, 0) + borders <= max) return null;
  const widths = [...natural];
  let budget = max - borders - natural.reduce((a, w, c) => (wrappable[c] ? a : a + w), 0);
  // water-filling: the narrow wrappable columns keep their width, the wide ones share the rest
  const open = natural
    .map((w, c) => ({ w, c }))
    .filter((x) => wrappable[x.c])
    .sort((a, b) => a.w - b.w);
  for (let k = 0; k < open.length; k++) {
    const share = Math.max(MIN_WRAPPED, Math.floor(budget / (open.length - k)));
    const { w, c } = open[k]!;
    const given = Math.min(w, share);
    widths[c] = given;
    budget -= given;
  }
  return widths;
}

export type FitCell = string | number | { content: string; hAlign: 'left' | 'right' };

const cellText = (c: FitCell): string => (typeof c === 'object' ? c.content : String(c));

/**
 * A cli-table3 table whose `wrap` columns are wrapped to fit `width` (null: --wide, as wide as
 * the cells). For the tx and cluster tables; the trace table does the same with its own layout.
 */
export function fittedTable(
  head: string[],
  rows: FitCell[][],
  wrap: boolean[],
  style: Record<string, unknown>,
  width: number | null,
): string {
  const widths = width === null ? null : fitWidths([head, ...rows.map((r) => r.map(cellText))], wrap, width);
  const t = new Table({ head, style, ...(widths && { colWidths: widths }) });
  for (const r of rows)
    t.push(
      widths
        ? r.map((c, k) =>
            !wrap[k]
              ? c
              : typeof c === 'object'
                ? { ...c, content: wrapText(c.content, widths[k]! - 2) }
                : wrapText(String(c), widths[k]! - 2),
          )
        : r,
    );
  return t.toString();
}
