// Flow graph outputs of a trace JSON: html (the case report), dot (Graphviz), graphml (Gephi,
// yEd, Maltego). One model (buildGraph) feeds all three.
import { sha256 } from '../../output/write.js';
import { graphDot } from './dot.js';
import { graphGraphml } from './graphml.js';
import { parseTraceDoc } from './input.js';
import { buildGraph, DEFAULT_NODE_BUDGET } from './model.js';
import { graphHtml } from './page.js';

export type GraphFormat = 'html' | 'dot' | 'graphml';
export const GRAPH_FORMATS: readonly GraphFormat[] = ['html', 'dot', 'graphml'];

/** The graph format an output file name implies (.html/.htm, .dot/.gv, .graphml), or null. */
export function graphFormatOfFile(file: string): GraphFormat | null {
  const ext = /\.([A-Za-z]+)$/.exec(file)?.[1]?.toLowerCase();
  if (ext === 'html' || ext === 'htm') return 'html';
  if (ext === 'dot' || ext === 'gv') return 'dot';
  if (ext === 'graphml') return 'graphml';
  return null;
}

/** Renders a trace JSON (the file's bytes, or text); `name` is how the page names the trace. */
export function renderGraph(
  format: GraphFormat,
  trace: string | Uint8Array,
  name: string,
  budget = DEFAULT_NODE_BUDGET,
): string {
  const traceText = typeof trace === 'string' ? trace : Buffer.from(trace).toString('utf8');
  const doc = parseTraceDoc(traceText, name);
  const model = buildGraph(doc, budget);
  if (format === 'dot') return graphDot(model);
  if (format === 'graphml') return graphGraphml(model);
  return graphHtml(doc, model, {
    traceName: name,
    traceSha256: sha256(trace),
    traceBytes: typeof trace === 'string' ? Buffer.byteLength(trace, 'utf8') : trace.byteLength,
  });
}
