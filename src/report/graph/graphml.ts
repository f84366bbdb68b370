// GraphML (Gephi, yEd, Maltego import) of the flow graph: the same nodes, edges and attributes as
// the DOT file, typed keys, XML entities escaped and characters XML 1.0 cannot hold replaced.
import type { GraphModel } from './model.js';

export function xmlText(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const NODE_KEYS: [string, string][] = [
  ['label', 'string'],
  ['kind', 'string'],
  ['class', 'string'],
  ['category', 'string'],
  ['hop', 'int'],
  ['tainted_sat', 'long'],
  ['btc', 'string'],
  ['addresses', 'string'],
  ['rows', 'int'],
];
const EDGE_KEYS: [string, string][] = [
  ['hop', 'int'],
  ['tainted_sat', 'long'],
  ['btc', 'string'],
  ['txids', 'string'],
];

const data = (key: string, v: string | number) => `      <data key="${key}">${xmlText(String(v))}</data>`;

export function graphGraphml(m: GraphModel): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
  ];
  for (const [k, t] of NODE_KEYS)
    out.push(`  <key id="n_${k}" for="node" attr.name="${k}" attr.type="${t}"/>`);
  for (const [k, t] of EDGE_KEYS)
    out.push(`  <key id="e_${k}" for="edge" attr.name="${k}" attr.type="${t}"/>`);
  out.push('  <graph id="btctrace" edgedefault="directed">');
  if (m.grouped)
    out.push(
      `    <desc>${xmlText(`grouped by hop and class: ${m.fullNodeCount} nodes > budget ${m.grouped.budget}`)}</desc>`,
    );
  for (const n of m.nodes) {
    out.push(`    <node id="${xmlText(n.id)}">`);
    out.push(
      data('n_label', n.label),
      data('n_kind', n.kind),
      data('n_class', n.cls),
      data('n_category', n.category ?? ''),
      data('n_hop', n.hop),
      data('n_tainted_sat', n.taintedSat),
      data('n_btc', n.btc),
      data('n_addresses', n.addresses.join(' ')),
      data('n_rows', n.rows.length),
    );
    out.push('    </node>');
  }
  for (const e of m.edges) {
    out.push(`    <edge id="${xmlText(e.id)}" source="${xmlText(e.source)}" target="${xmlText(e.target)}">`);
    out.push(
      data('e_hop', e.hop),
      data('e_tainted_sat', e.taintedSat),
      data('e_btc', e.btc),
      data('e_txids', e.txids.join(' ')),
    );
    out.push('    </edge>');
  }
  out.push('  </graph>', '</graphml>');
  return `${out.join('\n')}\n`;
}
