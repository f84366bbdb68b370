// Graphviz DOT of the flow graph: left to right, seeds in the first rank. Every string is a quoted
// DOT ID with `"` and `\` escaped and line breaks as \n, so an address or label can never end the
// string or be read as an escape (\N, \G) or an HTML label.
import { NODE_COLORS } from './style.js';
import type { GraphModel } from './model.js';

export function dotString(s: string): string {
  return `"${s
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\r\n|\r|\n/g, '\\n')}"`;
}

export function graphDot(m: GraphModel): string {
  const out: string[] = [
    'digraph btctrace {',
    '  rankdir=LR;',
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  if (m.grouped)
    out.push(
      `  label=${dotString(`grouped by hop and class: ${m.fullNodeCount} nodes > budget ${m.grouped.budget}`)};`,
    );
  for (const n of m.nodes) {
    const attrs = [
      `label=${dotString(`${n.label}\n${n.btc} BTC`)}`,
      `fillcolor=${dotString(NODE_COLORS[n.cls])}`,
      `kind=${dotString(n.kind)}`,
      `class=${dotString(n.cls)}`,
      `category=${dotString(n.category ?? '')}`,
      `hop=${n.hop}`,
      `tainted_sat=${n.taintedSat}`,
      `addresses=${dotString(n.addresses.join(' '))}`,
      `rows=${n.rows.length}`,
    ];
    if (n.kind === 'tx') attrs.push('shape=diamond');
    out.push(`  ${dotString(n.id)} [${attrs.join(', ')}];`);
  }
  const seeds = m.nodes.filter((n) => n.cls === 'seed');
  if (seeds.length > 0) out.push(`  { rank=min; ${seeds.map((n) => dotString(n.id)).join('; ')}; }`);
  for (const e of m.edges) {
    const attrs = [
      `label=${dotString(`${e.btc} BTC\nhop ${e.hop}`)}`,
      `hop=${e.hop}`,
      `tainted_sat=${e.taintedSat}`,
      `txids=${dotString(e.txids.join(' '))}`,
    ];
    out.push(`  ${dotString(e.source)} -> ${dotString(e.target)} [${attrs.join(', ')}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
