// Explorer answers, labels files and error bodies are text from outside: printed raw, a control
// character could rewrite the analyst's terminal (ESC sequences clear lines, hide or recolour
// text) or break a CSV cell. Every such string is passed through safeText() where it is printed.

import type Table from 'cli-table3';

// C0 controls, DEL and C1 controls (which include the one-byte CSI, U+009B), and the Unicode
// bidirectional overrides and line separators that reorder or split what a terminal shows.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// The same without newline and tab, for whole messages that are meant to span lines.
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LAYOUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Control characters as visible escapes: "\u001b[31m" -> "\x1b[31m", U+202E -> "\u202e". */
export function safeText(text: string): string {
  return text.replace(CONTROL, visible);
}

/** safeText() that keeps newlines and tabs: for multi-line messages (warnings, errors). */
export function safeLines(text: string): string {
  return text.replace(CONTROL_BUT_LAYOUT, visible);
}

/** A table row with every text cell passed through safeText() (cli-table3 cell objects too). */
export function safeCells<C extends Table.Cell>(row: C[]): C[] {
  return row.map((c) => {
    if (typeof c === 'string') return safeText(c) as C;
    if (c !== null && typeof c === 'object' && typeof c.content === 'string') {
      return { ...c, content: safeText(c.content) };
    }
    return c;
  });
}

// Characters JSON.stringify leaves raw but a terminal acts on: DEL, C1, bidi, line separators.
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** JSON text with those characters written as \uXXXX escapes: the same JSON value, safe to print. */
export function safeJson(json: string): string {
  return json.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
