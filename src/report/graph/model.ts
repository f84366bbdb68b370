// The flow graph of a trace, built once from the trace JSON rows; the HTML, DOT and GraphML
// renderers all draw this same model, so the three files show the same nodes, edges and amounts.
//
// Nodes: an address; all addresses with the same label collapse into one entity node; without a
// label, addresses sharing a cluster id (trace --cluster) collapse into one cluster node.
// Edges: a row r (an output) spent by transaction T flows to every row whose txid is T. When T
// spends outputs of one node only, the edge goes straight to each output's node with that
// output's tainted amount. When T merges outputs of several nodes, the graph goes through a
// transaction node, so each edge amount is a row's own integer value and nothing is apportioned.
// Amounts are integer satoshis; BTC strings are made here (formatBtc), never by division.
import { formatBtc } from '../../output/amount.js';
import type { ReportRow, TraceDoc } from './input.js';

export type NodeKind = 'address' | 'entity' | 'cluster' | 'tx' | 'group';
/** The colour class, in priority order: a node shows the first that any of its rows has. */
export const NODE_CLASSES = [
  'seed',
  'sanctioned',
  'exchange',
  'coinjoin',
  'labelled',
  'unspent',
  'hop-limit',
  'stopped',
  'spent',
  'other',
  'tx',
] as const;
export type NodeClass = (typeof NODE_CLASSES)[number];

export interface GraphNode {
  id: string;
  kind: NodeKind;
  /** What the node shows: the label, the address, "cluster ...", "tx ..." or the group. */
  label: string;
  cls: NodeClass;
  category: string | null;
  /** Addresses in the node, sorted (empty for a tx node). */
  addresses: string[];
  /** Indices into the trace rows received by this node (its outputs), in trace order. */
  rows: number[];
  /** Lowest hop among its rows (the tx's hop for a tx node). */
  hop: number;
  /** Tainted satoshis received by the node (sum of its rows). */
  taintedSat: number;
  btc: string;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** Transactions carrying this flow, sorted. */
  txids: string[];
  /** Lowest hop of the transactions. */
  hop: number;
  taintedSat: number;
  btc: string;
}

export interface GraphModel {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Nodes before grouping; equals nodes.length when not grouped. */
  fullNodeCount: number;
  /** Set when the graph had more nodes than the budget and was grouped by hop and class. */
  grouped: { budget: number } | null;
}

export const DEFAULT_NODE_BUDGET = 300;

function rowClass(r: ReportRow): NodeClass {
  const cat = (r.category ?? '').toLowerCase();
  if (r.status === 'seed') return 'seed';
  if (cat === 'sanctioned' || cat === 'sanctions') return 'sanctioned';
  if (cat === 'exchange') return 'exchange';
  if (cat === 'coinjoin' || cat === 'mixer' || r.flags.some((f) => f.startsWith('coinjoin')))
    return 'coinjoin';
  if (r.label !== null) return 'labelled';
  if (r.status === 'unspent') return 'unspent';
  if (r.status === 'hop-limit') return 'hop-limit';
  if (r.status === 'stopped') return 'stopped';
  if (r.status === 'spent') return 'spent';
  return 'other';
}

const rank = (c: NodeClass) => NODE_CLASSES.indexOf(c);
const short = (s: string) => (s.length > 16 ? `${s.slice(0, 8)}…${s.slice(-6)}` : s);

function nodeKey(
  r: ReportRow,
  clusterSize: Map<string, number>,
): { id: string; kind: NodeKind; label: string } {
  if (r.label !== null) return { id: `entity:${r.label}`, kind: 'entity', label: r.label };
  if (r.cluster !== null && (clusterSize.get(r.cluster) ?? 0) > 1)
    return { id: `cluster:${r.cluster}`, kind: 'cluster', label: `cluster ${short(r.cluster)}` };
  if (r.address !== null) return { id: `addr:${r.address}`, kind: 'address', label: r.address };
  return { id: `out:${r.txid}:${r.vout}`, kind: 'address', label: `${short(r.txid)}:${r.vout} (no address)` };
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Builds the graph; above `budget` nodes, groups all but seeds and labelled entities by hop and class. */
export function buildGraph(doc: TraceDoc, budget = DEFAULT_NODE_BUDGET): GraphModel {
  const rows = doc.rows;
  const clusterAddrs = new Map<string, Set<string>>();
  for (const r of rows)
    if (r.cluster !== null && r.address !== null)
      clusterAddrs.set(r.cluster, (clusterAddrs.get(r.cluster) ?? new Set()).add(r.address));
  const clusterSize = new Map([...clusterAddrs].map(([k, v]) => [k, v.size]));

  const nodes = new Map<string, GraphNode>();
  const rowNode: string[] = [];
  rows.forEach((r, i) => {
    const k = nodeKey(r, clusterSize);
    let n = nodes.get(k.id);
    if (!n) {
      n = {
        ...k,
        cls: rowClass(r),
        category: r.category,
        addresses: [],
        rows: [],
        hop: r.hop,
        taintedSat: 0,
        btc: '',
      };
      nodes.set(k.id, n);
    }
    if (rank(rowClass(r)) < rank(n.cls)) n.cls = rowClass(r);
    if (n.category === null) n.category = r.category;
    if (r.address !== null && !n.addresses.includes(r.address)) n.addresses.push(r.address);
    n.rows.push(i);
    n.hop = Math.min(n.hop, r.hop);
    n.taintedSat += r.tainted_sat;
    rowNode.push(k.id);
  });

  // Transaction T -> the rows it spent (its tainted inputs) and the rows it created.
  const outputsOf = new Map<string, number[]>();
  rows.forEach((r, i) => outputsOf.set(r.txid, [...(outputsOf.get(r.txid) ?? []), i]));
  const inputsOf = new Map<string, number[]>();
  rows.forEach((r, i) => {
    if (r.spent_by !== null && outputsOf.has(r.spent_by))
      inputsOf.set(r.spent_by, [...(inputsOf.get(r.spent_by) ?? []), i]);
  });

  const edges = new Map<string, GraphEdge>();
  const addEdge = (source: string, target: string, txid: string, hop: number, sat: number) => {
    const id = `${source}->${target}`;
    const e = edges.get(id) ?? { id, source, target, txids: [], hop, taintedSat: 0, btc: '' };
    if (!e.txids.includes(txid)) e.txids.push(txid);
    e.hop = Math.min(e.hop, hop);
    e.taintedSat += sat;
    edges.set(id, e);
  };
  for (const [txid, ins] of inputsOf) {
    const outs = outputsOf.get(txid)!;
    const hop = Math.min(...outs.map((i) => rows[i]!.hop));
    const sources = [...new Set(ins.map((i) => rowNode[i]!))];
    if (sources.length === 1) {
      for (const o of outs) addEdge(sources[0]!, rowNode[o]!, txid, hop, rows[o]!.tainted_sat);
      continue;
    }
    const txNode = `tx:${txid}`;
    nodes.set(txNode, {
      id: txNode,
      kind: 'tx',
      label: `tx ${short(txid)}`,
      cls: 'tx',
      category: null,
      addresses: [],
      rows: [],
      hop,
      taintedSat: ins.reduce((s, i) => s + rows[i]!.tainted_sat, 0),
      btc: '',
    });
    for (const i of ins) addEdge(rowNode[i]!, txNode, txid, hop, rows[i]!.tainted_sat);
    for (const o of outs) addEdge(txNode, rowNode[o]!, txid, hop, rows[o]!.tainted_sat);
  }

  let model: GraphModel = {
    nodes: [...nodes.values()],
    edges: [...edges.values()],
    fullNodeCount: nodes.size,
    grouped: null,
  };
  if (nodes.size > budget) model = groupGraph(model, budget);
  return finish(model);
}

/** Keeps seeds and labelled entities; every other node joins "hop H: class" (one per hop and class). */
function groupGraph(m: GraphModel, budget: number): GraphModel {
  const map = new Map<string, string>();
  const groups = new Map<string, GraphNode>();
  for (const n of m.nodes) {
    if (n.cls === 'seed' || n.kind === 'entity') {
      groups.set(n.id, n);
      map.set(n.id, n.id);
      continue;
    }
    const id = `group:${String(n.hop).padStart(4, '0')}:${n.cls}`;
    const g = groups.get(id) ?? {
      id,
      kind: 'group' as const,
      label: '',
      cls: n.cls,
      category: null,
      addresses: [],
      rows: [],
      hop: n.hop,
      taintedSat: 0,
      btc: '',
    };
    g.addresses.push(...n.addresses);
    g.rows.push(...n.rows);
    g.taintedSat += n.taintedSat;
    g.label = `hop ${n.hop}: ${g.rows.length} ${n.cls === 'tx' ? 'joint transactions' : `${n.cls} outputs`}`;
    if (n.kind === 'tx') g.label = `hop ${n.hop}: joint transactions`;
    groups.set(id, g);
    map.set(n.id, id);
  }
  const edges = new Map<string, GraphEdge>();
  for (const e of m.edges) {
    const source = map.get(e.source)!;
    const target = map.get(e.target)!;
    const id = `${source}->${target}`;
    const g = edges.get(id) ?? { id, source, target, txids: [], hop: e.hop, taintedSat: 0, btc: '' };
    for (const t of e.txids) if (!g.txids.includes(t)) g.txids.push(t);
    g.hop = Math.min(g.hop, e.hop);
    g.taintedSat += e.taintedSat;
    edges.set(id, g);
  }
  return {
    nodes: [...groups.values()],
    edges: [...edges.values()],
    fullNodeCount: m.fullNodeCount,
    grouped: { budget },
  };
}

/** Sorted everything and BTC strings: the same trace always gives the same model (and bytes). */
function finish(m: GraphModel): GraphModel {
  for (const n of m.nodes) {
    n.addresses.sort();
    n.rows.sort((a, b) => a - b);
    n.btc = formatBtc(n.taintedSat);
  }
  for (const e of m.edges) {
    e.txids.sort();
    e.btc = formatBtc(e.taintedSat);
  }
  m.nodes.sort((a, b) => a.hop - b.hop || byId(a, b));
  m.edges.sort(byId);
  return m;
}
