// The page's own style sheet and script (plain ES2017, no build step). The script reads the JSON
// data element, draws the graph with cytoscape + dagre (left to right), and writes every string
// with textContent: nothing from the trace is ever parsed as HTML.

export const PAGE_CSS = `
*{box-sizing:border-box}
body{font:13px/1.4 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0;padding:12px 16px;color:#0f172a}
h1{font-size:18px;margin:0 0 4px;word-break:break-all}h2{font-size:15px;margin:16px 0 6px}
header p{margin:2px 0;color:#334155}#grouped{color:#92400e;font-weight:600}
#toolbar{display:flex;gap:6px;align-items:center;margin:8px 0}#search{width:34em;max-width:60vw;padding:4px 6px}
#search-result{color:#334155}
main{display:flex;gap:10px;height:72vh;min-height:440px}
#graph{flex:1 1 auto;border:1px solid #cbd5e1;border-radius:4px;min-width:0}
#details{flex:0 0 26%;overflow:auto;border:1px solid #cbd5e1;border-radius:4px;padding:8px}
#details h3{margin:0 0 4px;font-size:14px;word-break:break-all}.hint{color:#64748b}
table{border-collapse:collapse;width:100%;margin:4px 0}
th,td{border:1px solid #e2e8f0;padding:2px 5px;text-align:left;vertical-align:top}
td{word-break:break-all}th{background:#f1f5f9}td.num{text-align:right;white-space:nowrap;word-break:normal}
#legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 16px;margin:0}
.sw{display:inline-block;width:12px;height:12px;border:1px solid #64748b;border-radius:3px;margin-right:5px;vertical-align:-2px}
.src{color:#64748b;font-size:12px}#manifest th{width:11em}
table.row{margin:0 0 8px}table.row th{font-weight:600}td.k{width:7.5em;color:#475569;word-break:normal}
#graph-print{display:none}footer{margin-top:14px;color:#64748b;font-size:11px}
@page{margin:12mm}
@media print{
 body{padding:0;font-size:10px}#toolbar,#graph,#details .hint{display:none}
 main{display:block;height:auto;min-height:0}#details{border:none;padding:0;overflow:visible}
 #graph-print{display:block;max-width:100%;max-height:170mm;margin:0 auto;object-fit:contain;break-inside:avoid}
 table,tr{break-inside:avoid}section{break-inside:auto}
}
`;

export const APP_JS = String.raw`(function () {
'use strict';
var data = JSON.parse(document.getElementById('btctrace-data').textContent);
function $(id) { return document.getElementById(id); }
function el(tag, text, cls) {
  var e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}
function table(columns, rows, numeric) {
  var t = el('table'), head = el('tr');
  columns.forEach(function (c) { head.appendChild(el('th', c)); });
  t.appendChild(head);
  rows.forEach(function (r) {
    var tr = el('tr');
    r.forEach(function (v, i) { tr.appendChild(el('td', v, numeric && numeric.indexOf(i) >= 0 ? 'num' : '')); });
    t.appendChild(tr);
  });
  return t;
}

document.title = data.title;
$('title').textContent = data.title;
$('counts').textContent = data.nodes.length + ' nodes, ' + data.edges.length + ' edges, ' + data.rows.length +
  ' rows; money flows left to right' + (data.direction === 'backward' ? ' (backward trace: the seeds are on the right)' : '');
if (data.grouped) {
  $('grouped').hidden = false;
  $('grouped').textContent = 'Grouped: the trace has ' + data.grouped.fullNodeCount + ' nodes, more than the budget of ' +
    data.grouped.budget + '; outputs other than seeds and labelled entities are grouped by hop and class.';
}
data.legend.forEach(function (l) {
  var li = el('li'), sw = el('span', null, 'sw');
  sw.style.background = data.colors[l[0]];
  li.appendChild(sw);
  li.appendChild(document.createTextNode(l[1]));
  $('legend').appendChild(li);
});
data.tables.forEach(function (t) {
  var s = $('tables');
  s.appendChild(el('h2', t.title));
  s.appendChild(el('p', 'Source: ' + t.source, 'src'));
  s.appendChild(table(t.columns, t.rows));
});
data.manifest.forEach(function (m) {
  var tr = el('tr');
  tr.appendChild(el('th', m[0]));
  tr.appendChild(el('td', m[1]));
  $('manifest').appendChild(tr);
});

var maxSat = 1;
data.edges.forEach(function (e) { if (e.sat > maxSat) maxSat = e.sat; });
var nodeById = {};
var elements = [];
data.nodes.forEach(function (n) {
  nodeById[n.id] = n;
  var name = n.kind === 'address' && n.label.length > 20 ? n.label.slice(0, 10) + '…' + n.label.slice(-6) : n.label;
  if (n.kind === 'entity' && n.addresses.length > 1) name += ' (' + n.addresses.length + ' addr.)';
  if (n.kind === 'cluster') name += ' (' + n.addresses.length + ' addr.)';
  elements.push({ group: 'nodes', data: { id: n.id, name: name + '\n' + n.btc + ' BTC', color: data.colors[n.cls] }, classes: n.kind + ' ' + n.cls });
});
var edgeLabels = data.edges.length <= 200;
data.edges.forEach(function (e) {
  elements.push({ group: 'edges', data: { id: e.id, source: e.source, target: e.target,
    name: edgeLabels ? e.btc + ' BTC · hop ' + e.hop : '', w: 1 + 7 * Math.sqrt(e.sat / maxSat) } });
});

cytoscape.use(cytoscapeDagre);
var cy = cytoscape({
  container: $('graph'),
  elements: elements,
  boxSelectionEnabled: false,
  style: [
    { selector: 'node', style: { shape: 'round-rectangle', width: 136, height: 40, 'background-color': 'data(color)',
      'border-width': 1, 'border-color': '#475569', label: 'data(name)', 'text-wrap': 'wrap', 'text-max-width': 132,
      'text-valign': 'center', 'text-halign': 'center', 'font-size': 11, color: '#0f172a' } },
    { selector: 'node.seed, node.sanctioned, node.coinjoin, node.labelled', style: { color: '#ffffff' } },
    { selector: 'node.tx', style: { shape: 'diamond', width: 70, height: 40, 'font-size': 8 } },
    { selector: 'node.group', style: { shape: 'round-rectangle', width: 170, height: 50, 'border-style': 'double', 'border-width': 3 } },
    { selector: 'node.match', style: { 'border-width': 4, 'border-color': '#dc2626' } },
    { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#0f172a' } },
    { selector: 'edge', style: { width: 'data(w)', 'curve-style': 'bezier', 'target-arrow-shape': 'triangle',
      'line-color': '#64748b', 'target-arrow-color': '#64748b', 'arrow-scale': 0.8, label: 'data(name)', 'font-size': 10,
      'text-rotation': 'autorotate', 'text-background-color': '#ffffff', 'text-background-opacity': 0.85,
      'text-background-padding': 1, color: '#1e293b' } },
    { selector: 'edge:selected', style: { 'line-color': '#dc2626', 'target-arrow-color': '#dc2626' } }
  ],
  layout: { name: 'dagre', rankDir: 'LR', nodeSep: 12, rankSep: 84, edgeSep: 8, fit: true, padding: 16, animate: false }
});

function showRows(title, sub, idx) {
  var d = $('details');
  d.textContent = '';
  d.appendChild(el('h3', title));
  sub.forEach(function (s) { d.appendChild(el('p', s)); });
  var list = el('div');
  list.id = 'detail-rows';
  idx.forEach(function (i) {
    var r = data.rows[i];
    var card = el('table', null, 'row');
    var head = el('tr');
    var th = el('th', 'hop ' + r.hop + ' · ' + r.status + ' · ' + r.tainted + ' of ' + r.value + ' BTC tainted');
    th.colSpan = 2;
    head.appendChild(th);
    card.appendChild(head);
    [['output', r.txid + ':' + r.vout], ['address', r.address], ['label', r.label ? r.label + (r.category ? ' (' + r.category + ')' : '') : null],
      ['label source', r.source], ['flags', r.flags], ['spent by', r.spent_by]].forEach(function (kv) {
      if (!kv[1]) return;
      var tr = el('tr');
      tr.appendChild(el('td', kv[0], 'k'));
      tr.appendChild(el('td', kv[1]));
      card.appendChild(tr);
    });
    list.appendChild(card);
  });
  d.appendChild(list);
}
function showNode(n) {
  var sub = [n.kind + ', ' + n.cls + (n.category ? ', category ' + n.category : '') + ', hop ' + n.hop,
    'received ' + n.btc + ' BTC tainted in ' + n.rows.length + ' outputs'];
  if (n.addresses.length > 0 && n.addresses.length <= 50) sub.push('addresses: ' + n.addresses.join(' '));
  else if (n.addresses.length > 50) sub.push(n.addresses.length + ' addresses');
  showRows(n.label, sub, n.rows);
}
function showEdge(e) {
  var idx = [];
  data.rows.forEach(function (r, i) { if (e.txids.indexOf(r.txid) >= 0 && nodeById[e.target].rows.indexOf(i) >= 0) idx.push(i); });
  showRows(e.btc + ' BTC, hop ' + e.hop, ['from ' + nodeById[e.source].label, 'to ' + nodeById[e.target].label,
    'transactions: ' + e.txids.join(' ')], idx);
}
cy.on('tap', 'node', function (ev) { showNode(nodeById[ev.target.id()]); });
cy.on('tap', 'edge', function (ev) { showEdge(data.edges.filter(function (e) { return e.id === ev.target.id(); })[0]); });

function search() {
  var q = $('search').value.trim().toLowerCase();
  cy.nodes().removeClass('match');
  if (!q) { $('search-result').textContent = ''; return; }
  var hits = data.nodes.filter(function (n) {
    if (n.label.toLowerCase().indexOf(q) >= 0) return true;
    if (n.addresses.some(function (a) { return a.toLowerCase().indexOf(q) >= 0; })) return true;
    return n.rows.some(function (i) { var r = data.rows[i]; return r.txid.indexOf(q) >= 0 || (r.spent_by || '').indexOf(q) >= 0; });
  });
  var col = cy.collection();
  hits.forEach(function (n) { col = col.union(cy.getElementById(n.id)); });
  col.addClass('match');
  $('search-result').textContent = hits.length + (hits.length === 1 ? ' matching node' : ' matching nodes');
  if (hits.length > 0) cy.fit(col, 80);
  if (hits.length === 1) showNode(hits[0]);
}
$('search-go').addEventListener('click', search);
$('search').addEventListener('keydown', function (ev) { if (ev.key === 'Enter') search(); });
$('fit').addEventListener('click', function () { cy.fit(undefined, 16); });

function snapshot() {
  $('graph-print').src = cy.png({ full: true, scale: 2, bg: '#ffffff', maxWidth: 4000, maxHeight: 4000 });
}
// A wide, flat flow leaves the box half empty: shrink it to the drawing's proportions.
var bb = cy.elements().boundingBox();
var box = $('graph');
var want = Math.max(440, Math.min(box.clientHeight, box.clientWidth * (bb.h / Math.max(bb.w, 1)) + 40));
if (want < box.clientHeight) {
  box.parentNode.style.height = want + 'px';
  cy.resize();
  cy.fit(undefined, 16);
}
window.addEventListener('beforeprint', snapshot);
if (window.matchMedia) window.matchMedia('print').addListener(function (q) { if (q.matches) snapshot(); });
document.body.setAttribute('data-ready', '1');
// The graph object, for an analyst who wants to query it from the browser console.
window.btctraceGraph = cy;
})();
`;
