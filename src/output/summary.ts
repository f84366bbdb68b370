// Totals and plain sentences for people reading a trace: where did the tainted money end up
// (forward), where did it come from (backward), and what the model's numbers mean.
//
// Every total is a sum of the per-row amounts as printed (roundSat), so a spreadsheet SUM over the
// CSV's tainted_sat column gives the same figure as the summary.
//
// Label and cluster totals count what a group received from outside itself: a row of group G is
// "internal" when every row that fed it in the trace (forward: the outputs its transaction spent;
// backward: the outputs its spender created) also belongs to G, e.g. an exchange sweeping a
// deposit address into its hot wallet, or a wallet's change. Counting those again would
// double-count the same money, so they are reported separately (internalOutputs) and left out of
// the amount. Seed rows are never part of a group's total: they are where the trace starts.

import type { ModelName } from '../trace/taint.js';
import type { Direction, FlowRow, RowStatus, TraceResult } from '../trace/result.js';
import { formatBtc, roundSat } from './amount.js';
import { sortRows, sortTxs } from '../trace/order.js';

export const STATUS_ORDER: readonly RowStatus[] = [
  'seed',
  'spent',
  'unspent',
  'stopped',
  'hop-limit',
  'below-min',
  'truncated',
  'error',
  'coinbase',
];

export interface StatusTotal {
  status: RowStatus;
  outputs: number;
  taintedSat: number;
}

export interface GroupTotal {
  /** "ExchangeX (exchange)", "ExchangeX", "exchange (unnamed)", or a cluster id. */
  name: string;
  /** Outputs the group received from outside itself. */
  outputs: number;
  taintedSat: number;
  /** Outputs moved between the group's own addresses (not in `taintedSat`). */
  internalOutputs: number;
  internalTaintedSat: number;
  /** Clusters only: distinct addresses of the group among the trace's rows (seeds included). */
  members?: number;
  /** Clusters only: seed outputs in the group and their taint (where the trace started). */
  seedOutputs?: number;
  seedSat?: number;
}

export interface TraceSummary {
  direction: Direction;
  model: ModelName;
  rows: number;
  /** Taint at the seeds, whole satoshis. */
  seedSat: number;
  /** Taint that went to miners as fees (sum of the per-transaction printed values). */
  feeTaintedSat: number;
  /** Statuses present, in STATUS_ORDER. */
  byStatus: StatusTotal[];
  /** Labelled groups, highest amount first (ties by name). */
  byLabel: GroupTotal[];
  /** Cluster groups, highest first; null when the trace was not clustered. */
  byCluster: GroupTotal[] | null;
  /** One sentence per labelled group (highest first), then newly mined coins (backward). */
  sentences: string[];
  /** What the model's numbers mean (poison overstates, haircut estimates). */
  caveats: string[];
}

export interface SummaryOptions {
  /** Total by cluster even if no row carries a cluster id. */
  cluster?: boolean;
}

/** The display name of a row's attribution, or null when it has none. */
export function labelName(label: string | null, category: string | null): string | null {
  if (label && category) return `${label} (${category})`;
  if (label) return label;
  if (category) return `${category} (unnamed)`;
  return null;
}

/** "1 output", "2 outputs". */
export function plural(n: number, word: string, many?: string): string {
  if (n === 1) return `${n} ${word}`;
  if (many !== undefined) return `${n} ${many}`;
  if (/(s|x|ch|sh)$/.test(word)) return `${n} ${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${n} ${word.slice(0, -1)}ies`;
  return `${n} ${word}s`;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Groups rows by `key`, splitting each group's receipts from its internal moves (see top). */
function groupTotals(
  rows: readonly FlowRow[],
  direction: Direction,
  key: (r: FlowRow) => string | null,
): GroupTotal[] {
  // Forward, a row is fed by the rows its transaction spent (r.spentBy === row.txid).
  // Backward, by the rows its spender created (r.txid === row.spentBy).
  const feeders = new Map<string, FlowRow[]>();
  for (const r of rows) {
    const link = direction === 'forward' ? r.spentBy : r.txid;
    if (link === null) continue;
    const list = feeders.get(link);
    if (list) list.push(r);
    else feeders.set(link, [r]);
  }
  const groups = new Map<string, GroupTotal>();
  for (const row of rows) {
    if (row.status === 'seed') continue;
    const name = key(row);
    if (name === null) continue;
    let g = groups.get(name);
    if (!g) {
      g = { name, outputs: 0, taintedSat: 0, internalOutputs: 0, internalTaintedSat: 0 };
      groups.set(name, g);
    }
    const link = direction === 'forward' ? row.txid : row.spentBy;
    const fed = link === null ? undefined : feeders.get(link);
    const internal =
      fed !== undefined && fed.length > 0 && fed.every((f) => f.status !== 'seed' && key(f) === name);
    const sat = roundSat(row.taintedSat);
    if (internal) {
      g.internalOutputs++;
      g.internalTaintedSat += sat;
    } else {
      g.outputs++;
      g.taintedSat += sat;
    }
  }
  return [...groups.values()]
    .filter((g) => g.outputs > 0 || g.internalOutputs > 0)
    .sort((a, b) => b.taintedSat - a.taintedSat || cmpStr(a.name, b.name));
}

/** Cluster totals: groupTotals plus the members seen and the seed taint that started there. */
function clusterTotals(rows: readonly FlowRow[], direction: Direction): GroupTotal[] {
  const received = new Map(groupTotals(rows, direction, (r) => r.cluster ?? null).map((g) => [g.name, g]));
  const members = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!r.cluster) continue;
    let g = received.get(r.cluster);
    if (!g) {
      g = { name: r.cluster, outputs: 0, taintedSat: 0, internalOutputs: 0, internalTaintedSat: 0 };
      received.set(r.cluster, g);
    }
    g.seedOutputs ??= 0;
    g.seedSat ??= 0;
    if (r.status === 'seed') {
      g.seedOutputs++;
      g.seedSat += roundSat(r.taintedSat);
    }
    let m = members.get(r.cluster);
    if (!m) members.set(r.cluster, (m = new Set()));
    if (r.address) m.add(r.address);
  }
  for (const g of received.values()) g.members = members.get(g.name)?.size ?? 0;
  return [...received.values()].sort(
    (a, b) => b.taintedSat + (b.seedSat ?? 0) - (a.taintedSat + (a.seedSat ?? 0)) || cmpStr(a.name, b.name),
  );
}

function groupSentence(g: GroupTotal, direction: Direction, model: ModelName): string {
  const btc = `${formatBtc(g.taintedSat)} BTC`;
  const outputs = plural(g.outputs, 'output');
  let s: string;
  if (direction === 'forward') {
    s =
      model === 'poison'
        ? `Tainted funds reached ${g.name} in ${outputs} worth ${btc}`
        : `${g.name} received ${btc} of tainted funds in ${outputs}`;
  } else {
    s =
      model === 'poison'
        ? `Funds from ${g.name} reached the traced outputs: ${outputs} worth ${btc}`
        : `${btc} came from ${g.name} in ${outputs}`;
  }
  if (g.internalOutputs > 0) {
    s += ` (plus ${plural(g.internalOutputs, 'output')} moving it between its own addresses, not counted again)`;
  }
  return `${s}.`;
}

function caveats(model: ModelName, direction: Direction): string[] {
  if (model === 'poison') {
    return [
      'Poison model: every output touched by taint counts in full, so these sums are values reached, ' +
        'not amounts of tainted funds; they overstate and must not be read as the amount moved.',
    ];
  }
  if (model === 'haircut') {
    const how =
      direction === 'forward'
        ? "each output carries its transaction's tainted share of the inputs"
        : 'each input is credited with a share of the amount traced in proportion to its value';
    return [
      `Haircut model: amounts are proportional estimates (${how}), ` +
        'rounded to whole satoshis per output only when printed.',
    ];
  }
  return [];
}

export function summarize(result: TraceResult, opts: SummaryOptions = {}): TraceSummary {
  const rows = sortRows(result.rows);

  const statusTotals = new Map<RowStatus, StatusTotal>();
  for (const r of rows) {
    let t = statusTotals.get(r.status);
    if (!t) {
      t = { status: r.status, outputs: 0, taintedSat: 0 };
      statusTotals.set(r.status, t);
    }
    t.outputs++;
    t.taintedSat += roundSat(r.taintedSat);
  }
  const byStatus = STATUS_ORDER.flatMap((s) => statusTotals.get(s) ?? []);

  let feeTaintedSat = 0;
  for (const tx of sortTxs(result.txs)) feeTaintedSat += roundSat(tx.feeTainted);

  const byLabel = groupTotals(rows, result.direction, (r) => labelName(r.label, r.category));
  const clustered = opts.cluster === true || rows.some((r) => r.cluster != null);
  const byCluster = clustered ? clusterTotals(rows, result.direction) : null;

  const sentences = byLabel
    .filter((g) => g.outputs > 0)
    .map((g) => groupSentence(g, result.direction, result.model));
  const mined = statusTotals.get('coinbase');
  if (mined && result.direction === 'backward') {
    const btc = `${formatBtc(mined.taintedSat)} BTC`;
    const outputs = plural(mined.outputs, 'output');
    sentences.push(
      result.model === 'poison'
        ? `Newly mined coins (coinbase) reached the traced outputs: ${outputs} worth ${btc}.`
        : `${btc} of newly mined coins (coinbase) in ${outputs}.`,
    );
  }

  return {
    direction: result.direction,
    model: result.model,
    rows: rows.length,
    seedSat: roundSat(result.seedTotal),
    feeTaintedSat,
    byStatus,
    byLabel,
    byCluster,
    sentences,
    caveats: caveats(result.model, result.direction),
  };
}
