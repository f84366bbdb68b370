// The case report page: one HTML file, styles and scripts inline, data as JSON in a
// <script type="application/json"> with <, >, &, U+2028 and U+2029 escaped (it cannot end the
// element or start markup), and every explorer-supplied string put on the page with textContent.
import { formatBtc } from '../../output/amount.js';
import { graphLibraries } from './assets.js';
import { APP_JS, PAGE_CSS } from './app.js';
import type { TraceDoc } from './input.js';
import type { GraphModel } from './model.js';
import { NODE_CLASSES } from './model.js';
import { CLASS_LEGEND, NODE_COLORS } from './style.js';
import { conservationTables, manifestLines, type ManifestInfo } from './summary.js';

export function jsonForScript(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** What the page's script reads. */
export function pageData(doc: TraceDoc, m: GraphModel, info: ManifestInfo): unknown {
  const used = new Set(m.nodes.map((n) => n.cls));
  const tags =
    typeof doc.meta.options === 'object' && doc.meta.options
      ? (doc.meta.options as Record<string, unknown>).tags
      : null;
  return {
    title: `btctrace flow graph: ${doc.seeds.join(', ')}`,
    direction: doc.direction,
    grouped: m.grouped ? { budget: m.grouped.budget, fullNodeCount: m.fullNodeCount } : null,
    nodes: m.nodes.map((n) => ({
      id: n.id,
      kind: n.kind,
      label: n.label,
      cls: n.cls,
      category: n.category,
      hop: n.hop,
      sat: n.taintedSat,
      btc: n.btc,
      addresses: n.addresses,
      rows: n.rows,
    })),
    edges: m.edges.map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      hop: e.hop,
      sat: e.taintedSat,
      btc: e.btc,
      txids: e.txids,
    })),
    rows: doc.rows.map((r) => ({
      hop: r.hop,
      txid: r.txid,
      vout: r.vout,
      address: r.address,
      value: formatBtc(r.value_sat),
      tainted: formatBtc(r.tainted_sat),
      status: r.status,
      label: r.label,
      category: r.category,
      spent_by: r.spent_by,
      flags: r.flags.join(' '),
      source: r.label_source ?? (r.label !== null && typeof tags === 'string' ? `tags ${tags}` : null),
    })),
    colors: NODE_COLORS,
    legend: NODE_CLASSES.filter((c) => used.has(c)).map((c) => [c, CLASS_LEGEND[c]]),
    tables: conservationTables(doc),
    manifest: manifestLines(doc, info),
  };
}

export function graphHtml(doc: TraceDoc, m: GraphModel, info: ManifestInfo): string {
  const libs = graphLibraries()
    .map((js) => `<script>${js}</script>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>btctrace flow graph</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<header><h1 id="title">btctrace flow graph</h1><p id="counts"></p><p id="grouped" hidden></p></header>
<div id="toolbar"><input id="search" type="search" placeholder="address or txid" aria-label="search by address or txid"><button id="search-go" type="button">Search</button><button id="fit" type="button">Fit</button><span id="search-result"></span></div>
<main><div id="graph" aria-label="flow graph"></div><aside id="details"><p class="hint">Click a node or an edge to see its rows.</p></aside></main>
<img id="graph-print" alt="flow graph">
<section><h2>Legend</h2><ul id="legend"></ul></section>
<section id="tables"></section>
<section><h2>Manifest</h2><table id="manifest"></table></section>
<footer>Made by btctrace. Amounts are tainted satoshis as in the trace JSON; BTC strings are exact (8 decimals).</footer>
<script type="application/json" id="btctrace-data">${jsonForScript(pageData(doc, m, info))}</script>
${libs}
<script>${APP_JS}</script>
</body>
</html>
`;
}
