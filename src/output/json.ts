// Trace JSON: the run manifest, the rows (the CSV's columns and values), the transactions that
// carried taint, and the totals. Keys in a fixed order, 2-space indent, trailing newline, rows in
// the one sorted order, so the same trace and meta give the same bytes.
//
// Differences from the CSV, by design: no formula-injection quote (JSON is not opened by
// spreadsheets, and the quote would change the value); null instead of an empty cell; `flags` as
// an array of strings. Under haircut, `tainted_sat` stays the rounded integer the CSV shows and
// `tainted_sat_exact` follows it with the unrounded value (likewise `*_exact` for transactions).

import type { TraceResult, TxTaintSummary } from '../trace/result.js';
import { roundSat } from './amount.js';
import { metaJson, type RunMeta } from './meta.js';
import { printRow } from './rows.js';
import { sortRows, sortTxs } from '../trace/order.js';
import { STATUS_ORDER, summarize, type GroupTotal } from './summary.js';
import { FIAT_COLUMNS, fiatTotals, type FiatValues } from '../prices/fiat.js';
import { conservation } from './conservation.js';
import { safeJson } from './escape.js';

export interface JsonOptions {
  /** Add `cluster` to each row and `by_cluster` to the totals. */
  cluster?: boolean;
  /** With --fiat: the fiat fields last in each row, fiat totals, the prices in meta. */
  fiat?: FiatValues;
}

function txJson(tx: TxTaintSummary, exact: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    txid: tx.txid,
    hop: tx.hop,
    taint_in_sat: roundSat(tx.taintIn),
    taint_out_sat: roundSat(tx.taintOut),
    fee_tainted_sat: roundSat(tx.feeTainted),
  };
  if (exact) {
    out.taint_in_sat_exact = tx.taintIn;
    out.taint_out_sat_exact = tx.taintOut;
    out.fee_tainted_sat_exact = tx.feeTainted;
  }
  return out;
}

function groupJson(g: GroupTotal): Record<string, unknown> {
  return {
    name: g.name,
    outputs: g.outputs,
    tainted_sat: g.taintedSat,
    internal_outputs: g.internalOutputs,
    internal_tainted_sat: g.internalTaintedSat,
  };
}

function rowsJson(result: TraceResult, cluster: boolean, opts: JsonOptions): Record<string, unknown>[] {
  const exact = result.model === 'haircut';
  return sortRows(result.rows).map((row) => {
    const p = printRow(row, cluster);
    const out: Record<string, unknown> = {
      hop: p.hop,
      txid: p.txid,
      vout: p.vout,
      address: p.address,
      value_sat: p.value_sat,
      tainted_sat: p.tainted_sat,
    };
    if (exact) out.tainted_sat_exact = row.taintedSat;
    out.status = p.status;
    out.block_height = p.block_height;
    out.block_time = p.block_time;
    out.label = p.label;
    out.category = p.category;
    out.script_type = p.script_type;
    out.spent_by = p.spent_by;
    out.flags = p.flags;
    out.note = p.note;
    out.abuse = p.abuse;
    out.label_confidence = p.label_confidence;
    out.label_source = p.label_source;
    out.label_via = row.labelVia ?? null;
    if (cluster) out.cluster = p.cluster ?? null;
    if (opts.fiat) {
      const f = opts.fiat.cells.get(`${row.txid}:${row.vout}`);
      for (const c of FIAT_COLUMNS) out[c] = f?.[c] ?? null;
    }
    return out;
  });
}

function totalsJson(result: TraceResult, cluster: boolean, opts: JsonOptions): Record<string, unknown> {
  const s = summarize(result, { cluster });
  const totals: Record<string, unknown> = {
    rows: s.rows,
    seed_sat: s.seedSat,
    fee_tainted_sat: s.feeTaintedSat,
    // Output counts only: taint summed by status across hops counts money once per hop.
    by_status: s.byStatus.map((t) => ({ status: t.status, outputs: t.outputs })),
    conservation: conservationJson(result),
    by_label: s.byLabel.map(groupJson),
  };
  if (s.byCluster)
    totals.by_cluster = s.byCluster.map((g) => ({
      ...groupJson(g),
      members_seen: g.members ?? 0,
      seed_outputs: g.seedOutputs ?? 0,
      seed_tainted_sat: g.seedSat ?? 0,
    }));
  if (opts.fiat) totals.fiat = fiatTotals(opts.fiat, result.rows, STATUS_ORDER);
  totals.sentences = s.sentences;
  totals.caveats = s.caveats;
  return totals;
}

/** totals.conservation of the JSON, also written into the trace's manifest. */
export function conservationJson(result: TraceResult): Record<string, unknown> {
  const c = conservation(result);
  return {
    seed_sat: c.seedSat,
    lines: c.lines.map((l) => ({ kind: l.kind, label: l.label, outputs: l.outputs, sat: l.sat })),
    total_sat: c.totalSat,
    overstated: c.overstated,
  };
}

function traceHead(result: TraceResult): Record<string, unknown> {
  return { direction: result.direction, model: result.model, seeds: [...result.seeds] };
}

export function traceJson(result: TraceResult, meta: RunMeta, opts: JsonOptions = {}): string {
  const cluster = opts.cluster ?? false;
  const exact = result.model === 'haircut';
  const doc = {
    meta: metaJson(meta, result, { runRecord: false }),
    trace: traceHead(result),
    rows: rowsJson(result, cluster, opts),
    transactions: sortTxs(result.txs).map((tx) => txJson(tx, exact)),
    totals: totalsJson(result, cluster, opts),
  };
  return `${safeJson(JSON.stringify(doc, null, 2))}\n`;
}

/**
 * JSON Lines: a first line {"meta", "trace", "totals"} (the JSON document without its rows and
 * transactions), then one line per row with the JSON rows' keys and values, in the same order.
 */
export function traceJsonl(result: TraceResult, meta: RunMeta, opts: JsonOptions = {}): string {
  const cluster = opts.cluster ?? false;
  const head = {
    meta: metaJson(meta, result, { runRecord: false }),
    trace: traceHead(result),
    totals: totalsJson(result, cluster, opts),
  };
  const lines = [JSON.stringify(head), ...rowsJson(result, cluster, opts).map((r) => JSON.stringify(r))];
  return `${safeJson(lines.join('\n'))}\n`;
}
