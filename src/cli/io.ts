/** Where a command writes: injected so commands run in-process in tests (GitHub CLI's IOStreams). */
export interface IO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal: progress lines are shown only then. */
  stderrIsTTY: boolean;
  /** True when stdout is a terminal: tables get colour only then (and not with NO_COLOR). */
  stdoutIsTTY: boolean;
  /** The terminal's width when stdout is one (tables fit it; src/output/fit.ts). */
  stdoutColumns?: number | undefined;
  env: Record<string, string | undefined>;
  now: () => Date;
}

export function processIO(): IO {
  // `btctrace ... | head`: the reader left; stop quietly instead of printing a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    stderrIsTTY: process.stderr.isTTY === true,
    stdoutIsTTY: process.stdout.isTTY === true,
    stdoutColumns: process.stdout.isTTY ? process.stdout.columns : undefined,
    env: process.env,
    now: () => new Date(),
  };
}
