// Where a command's result goes and in which format, the same way for every command: --format,
// else the -o extension, else a table; `-o -` is stdout; a file gets a manifest beside it.
import { writeOutputAndManifest } from '../output/manifest.js';
import { resolveFormat, STDOUT_FILE } from '../output/format.js';
import type { RunMeta } from '../output/meta.js';
import type { IO } from './io.js';
import { checkWritableFile } from './parse.js';

export interface OutputTarget<T extends string> {
  format: T;
  /** The file to write; null = stdout. */
  output: string | null;
}

/** Checks --format and -o before any request is made. */
export function outputTarget<T extends string>(
  opts: Record<string, unknown>,
  allowed: readonly T[],
  fallback: T,
): OutputTarget<T> {
  const file = typeof opts.output === 'string' && opts.output !== STDOUT_FILE ? opts.output : null;
  const format = resolveFormat(
    typeof opts.format === 'string' ? opts.format : undefined,
    file,
    allowed,
    fallback,
  );
  return { format, output: file === null ? null : checkWritableFile('--output', file) };
}

/** Writes the result (with its manifest) or prints it; says where it went unless quiet. */
export async function deliver(
  target: OutputTarget<string>,
  text: string,
  meta: RunMeta,
  counts: Record<string, number>,
  io: IO,
  quiet: boolean,
): Promise<void> {
  if (target.output === null) {
    io.stdout(text);
    return;
  }
  const manifest = await writeOutputAndManifest(target.output, text, { meta, counts });
  if (!quiet) io.stderr(`wrote ${target.output} (manifest ${manifest})\n`);
}
