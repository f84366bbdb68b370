// Explorer answers, labels files and error bodies are text from outside: printed raw, a control
// character could rewrite the analyst's terminal (ESC sequences clear lines, hide or recolour
// text) or break a CSV cell. Every such string is passed through safeText() where it is printed.

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
