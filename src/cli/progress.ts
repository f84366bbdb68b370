import type { IO } from './io.js';

/**
 * One self-overwriting progress line on stderr, only on a terminal and not with --quiet;
 * warnings always go to stderr (unless --quiet), each on its own line.
 */
export class Progress {
  private shown = false;
  private last = 0;
  /** Each warning is printed once, however often the walk meets its cause. */
  private readonly warned = new Set<string>();

  constructor(
    private readonly io: IO,
    private readonly quiet: boolean,
  ) {}

  update(text: string): void {
    if (this.quiet || !this.io.stderrIsTTY) return;
    const now = Date.now();
    if (now - this.last < 100) return; // a terminal repaint per answer would slow a fast walk
    this.last = now;
    this.io.stderr(`\r\x1b[2K${text}`);
    this.shown = true;
  }

  warn(text: string): void {
    if (this.quiet || this.warned.has(text)) return;
    this.warned.add(text);
    this.clear();
    this.io.stderr(`warning: ${text}\n`);
  }

  done(): void {
    this.clear();
  }

  private clear(): void {
    if (this.shown) this.io.stderr('\r\x1b[2K');
    this.shown = false;
  }
}
