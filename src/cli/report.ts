// `btctrace report <trace.json>`: the flow graph of a trace JSON as a self-contained HTML case
// report, or as DOT / GraphML. The format follows -o's extension unless --format says.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../model/errors.js';
import { writeOutputAtomic } from '../output/write.js';
import { GRAPH_FORMATS, graphFormatOfFile, renderGraph, type GraphFormat } from '../report/graph/index.js';
import { DEFAULT_NODE_BUDGET } from '../report/graph/model.js';
import type { IO } from './io.js';
import { checkWritableFile, parseChoice, parseIntOption } from './parse.js';
import { safeLines } from '../output/escape.js';

/** A trace JSON larger than this is refused before reading (the page could not hold it anyway). */
const MAX_TRACE_BYTES = 512 * 1024 * 1024;

export async function runReportCommand(file: string, opts: Record<string, unknown>, io: IO): Promise<number> {
  const output = typeof opts.output === 'string' ? checkWritableFile('--output', opts.output) : null;
  const format: GraphFormat =
    typeof opts.format === 'string'
      ? parseChoice('--format', opts.format, GRAPH_FORMATS)
      : ((output !== null ? graphFormatOfFile(output) : null) ?? 'html');
  const budget = parseIntOption(
    '--node-budget',
    typeof opts.nodeBudget === 'string' ? opts.nodeBudget : String(DEFAULT_NODE_BUDGET),
    1,
    100_000,
  );
  let bytes: Buffer;
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new InputError(`${file}: not a file`);
    if (st.size > MAX_TRACE_BYTES)
      throw new InputError(`${file}: ${st.size} bytes, more than ${MAX_TRACE_BYTES}`);
    bytes = await readFile(file);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const rendered = renderGraph(format, bytes, path.basename(file), budget);
  if (output) {
    await writeOutputAtomic(output, rendered);
    if (opts.quiet !== true) io.stderr(`wrote the ${format} flow graph of ${file} to ${output}\n`);
  } else {
    // the trace file is local but may have been edited: no raw control character on a terminal
    io.stdout(safeLines(rendered));
  }
  return 0;
}
