// The terminal view of a trace: one line per tainted output, BTC with 8 decimals, then totals,
// the summary sentences and, when the walk was cut, a PARTIAL RESULT block that cannot be missed.
//
// Identifiers are shortened in the middle to stay readable ("943f2d57…f2a1:1"); 8 + 4 hex digits
// leave a 1 in 2^48 chance that two txids of one trace print alike, and the CSV/JSON always hold
// the full values. Given a terminal width of FULL_WIDTH columns or more, full ids are printed.
// Text that came from outside (labels, notes, warnings) has its control characters escaped, so a
// tags file cannot send escape sequences to the analyst's terminal.

import Table from 'cli-table3';
import { safeText } from './escape.js';
import type { FlowRow, TraceResult } from '../trace/result.js';
import { formatBtc, roundSat } from './amount.js';
import type { RunMeta } from './meta.js';
import { sortRows } from '../trace/order.js';
import { labelName, STATUS_ORDER, summarize, type GroupTotal } from './summary.js';
import { fiatTotals, type FiatValues } from '../prices/fiat.js';
import { conservation } from './conservation.js';
import { DEFAULT_WIDTH, fitWidths, wrapText } from './fit.js';

export { safeText };

export interface TableOptions {
  /** ANSI colours; the caller decides (TTY, NO_COLOR, --no-color). */
  color: boolean;
  /** Terminal columns (fit.ts terminalWidth; default 100): text columns wrap to fit; full txids and addresses from FULL_WIDTH up. */
  width?: number;
  /** --wide: full txids and addresses and no wrapping, however wide the table gets. */
  wide?: boolean;
  /** Adds a header line naming the source, tip height and tool version. */
  meta?: RunMeta;
  cluster?: boolean;
  /** With --fiat: a tainted-value column in the currency and fiat totals by status. */
  fiat?: FiatValues;
}

/** Wide enough for a 64-digit txid:vout and a 62-character address on one line. */
export const FULL_WIDTH = 200;

const TXID_HEAD = 8;
const TXID_TAIL = 4;
const ADDRESS_MAX = 20;
const ADDRESS_HEAD = 10;
const ADDRESS_TAIL = 6;

/** "abcdef…wxyz": the first `head` and last `tail` characters when `text` is longer than both plus one. */
export function shortMiddle(text: string, head: number, tail: number): string {
  return text.length <= head + tail + 1 ? text : `${text.slice(0, head)}…${text.slice(-tail)}`;
}

function outpointCell(row: FlowRow, full: boolean): string {
  const txid = full ? row.txid : shortMiddle(row.txid, TXID_HEAD, TXID_TAIL);
  return `${txid}:${row.vout}`;
}

function addressCell(row: FlowRow, full: boolean): string {
  // An output without an address shows its script type, so the gap is explained.
  if (row.address === null) return `(${row.scriptType || 'no address'})`;
  const a = safeText(row.address);
  return full || a.length <= ADDRESS_MAX ? a : shortMiddle(a, ADDRESS_HEAD, ADDRESS_TAIL);
}

function newTable(
  head: string[],
  aligns: ('left' | 'right')[],
  color: boolean,
  colWidths: number[] | null = null,
): Table.Table {
  return new Table({
    head,
    colAligns: aligns,
    ...(colWidths && { colWidths }),
    // No rule between body rows: one line per output reads and greps better.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    // cli-table3 emits ANSI codes unless both style lists are empty, even when piped.
    style: color ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] },
  });
}

function groupTable(title: string, groups: GroupTotal[], color: boolean): string {
  const internal = groups.some((g) => g.internalOutputs > 0);
  const head = [title, 'outputs', 'tainted BTC'];
  const aligns: ('left' | 'right')[] = ['left', 'right', 'right'];
  if (internal) {
    head.push('internal outputs', 'internal BTC');
    aligns.push('right', 'right');
  }
  const t = newTable(head, aligns, color);
  for (const g of groups) {
    const line = [safeText(g.name), String(g.outputs), formatBtc(g.taintedSat)];
    if (internal) line.push(String(g.internalOutputs), formatBtc(g.internalTaintedSat));
    t.push(line);
  }
  return t.toString();
}

function clusterTable(groups: GroupTotal[], color: boolean): string {
  const t = newTable(
    ['cluster', 'addresses seen', 'seed outputs', 'seed BTC', 'outputs received', 'received BTC'],
    ['left', 'right', 'right', 'right', 'right', 'right'],
    color,
  );
  for (const g of groups)
    t.push([
      safeText(g.name),
      String(g.members ?? 0),
      String(g.seedOutputs ?? 0),
      formatBtc(g.seedSat ?? 0),
      String(g.outputs),
      formatBtc(g.taintedSat),
    ]);
  return t.toString();
}

function headerLine(result: TraceResult, meta: RunMeta | undefined): string {
  const seeds = result.seeds.length === 1 ? '1 seed' : `${result.seeds.length} seeds`;
  let line = `${result.direction === 'forward' ? 'Forward' : 'Backward'} trace from ${seeds}, model ${result.model}`;
  if (meta) {
    const tip = meta.tipHeight ?? result.tipHeight;
    line += `; source ${safeText(meta.source)} (${safeText(meta.network)})`;
    line += tip === null ? '; chain tip unknown' : `; chain tip ${tip}`;
    line += `; ${meta.tool} ${meta.version}, finished ${meta.finishedAt}`;
  } else if (result.tipHeight !== null) {
    line += `; chain tip ${result.tipHeight}`;
  }
  return line;
}

/** Fiat totals by status, then where the prices came from (the prices themselves are in JSON/manifest). */
function fiatTable(fiat: FiatValues, rows: FlowRow[], color: boolean): string {
  const cur = fiat.currency;
  const t = newTable(
    ['status', 'outputs', `${cur} value`, `tainted ${cur}`],
    ['left', 'right', 'right', 'right'],
    color,
  );
  for (const s of fiatTotals(fiat, rows, STATUS_ORDER).by_status) {
    t.push([s.status, String(s.outputs), s.fiat_value, s.fiat_tainted]);
  }
  const lines = [
    `Values in ${cur} at each output's block time; ${fiat.prices.length === 1 ? '1 price' : `${fiat.prices.length} prices`} from ${safeText(fiat.source)}.`,
    t.toString(),
  ];
  if (fiat.runTime) lines.push(`Unconfirmed outputs are valued at the run time, ${fiat.runTime}.`);
  return lines.join('\n');
}

/** "ExchangeX (exchange)", with the abuse term and "via cluster <id>" when there are. */
function labelCell(r: FlowRow): string {
  const name = labelName(r.label, r.category);
  if (name === null) return '';
  const abuse = r.abuse ? `, ${r.abuse}` : '';
  const via = r.labelVia ? ` via ${r.labelVia.replace(/ \(.*\)$/, '')}` : '';
  return `${name}${abuse}${via}`;
}

/** 26342741 -> "26,342,741". */
function groupSat(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function traceTable(result: TraceResult, opts: TableOptions): string {
  const { color } = opts;
  const width = opts.width ?? DEFAULT_WIDTH;
  const full = opts.wide === true || width >= FULL_WIDTH;
  const rows = sortRows(result.rows);
  const cluster = opts.cluster === true || rows.some((r) => r.cluster != null);
  const withFlags = rows.some((r) => r.flags.length > 0);
  const withNotes = rows.some((r) => r.note !== null);

  const head = ['hop', 'output', 'address', 'BTC', 'tainted BTC', 'status', 'label'];
  const aligns: ('left' | 'right')[] = ['right', 'left', 'left', 'right', 'right', 'left', 'left'];
  // label, flags and note wrap to fit the width; numbers and identifiers never do
  const wrap = [false, false, false, false, false, false, true];
  if (cluster) {
    head.push('cluster');
    aligns.push('left');
    wrap.push(false);
  }
  if (withFlags) {
    head.push('flags');
    aligns.push('left');
    wrap.push(true);
  }
  if (withNotes) {
    head.push('note');
    aligns.push('left');
    wrap.push(true);
  }
  const fiat = opts.fiat;
  if (fiat) {
    head.push(`tainted ${fiat.currency}`);
    aligns.push('right');
    wrap.push(false);
  }
  const cells: string[][] = [];
  for (const r of rows) {
    const line = [
      String(r.hop),
      outpointCell(r, full),
      addressCell(r, full),
      formatBtc(r.valueSat),
      formatBtc(roundSat(r.taintedSat)),
      r.status,
      safeText(labelCell(r)),
    ];
    if (cluster) line.push(safeText(r.cluster ?? ''));
    if (withFlags) line.push(safeText(r.flags.join(', ')));
    if (withNotes) line.push(safeText(r.note ?? ''));
    if (fiat) line.push(fiat.cells.get(`${r.txid}:${r.vout}`)?.fiat_tainted ?? '');
    cells.push(line);
  }
  const widths = opts.wide ? null : fitWidths([head, ...cells], wrap, width);
  const table = newTable(head, aligns, color, widths);
  // cells are wrapped here, not by cli-table3, which would cut a long word off with "…"
  for (const line of cells)
    table.push(widths ? line.map((c, k) => (wrap[k] ? wrapText(c, widths[k]! - 2) : c)) : line);

  const s = summarize(result, { cluster });
  const out: string[] = [headerLine(result, opts.meta), ''];
  out.push(rows.length === 0 ? 'No tainted outputs found.' : table.toString(), '');

  const backward = result.direction === 'backward';
  out.push(
    `${backward ? 'Amount traced back' : 'Seed taint'}: ${formatBtc(s.seedSat)} BTC; ` +
      `${s.rows === 1 ? '1 output' : `${s.rows} outputs`} listed.`,
  );
  const c = conservation(result);
  const title = backward
    ? 'source of funds (where the traced amount came from)'
    : 'where the seed taint ended up';
  const ct = newTable([title, 'outputs', 'sat', 'BTC'], ['left', 'right', 'right', 'right'], color);
  for (const l of c.lines)
    ct.push([safeText(l.label), l.outputs === 0 ? '' : String(l.outputs), groupSat(l.sat), formatBtc(l.sat)]);
  const totalName = c.overstated
    ? 'sum of the lines (overstates: poison)'
    : backward
      ? 'total traced (= seed)'
      : 'total (= seed taint)';
  ct.push([totalName, '', groupSat(c.totalSat), formatBtc(c.totalSat)]);
  if (c.overstated) ct.push(['seed taint', '', groupSat(c.seedSat), formatBtc(c.seedSat)]);
  out.push(ct.toString());
  if (c.overstated)
    out.push(
      'Poison model: each line counts touched outputs in full, so the lines overstate and do not add up to the seed taint.',
    );
  if (fiat && rows.length > 0) out.push(fiatTable(fiat, rows, color));
  if (s.byLabel.length > 0) out.push(groupTable('label', s.byLabel, color));
  if (s.byCluster && s.byCluster.length > 0) out.push(clusterTable(s.byCluster, color));
  if (s.sentences.length > 0) out.push('', ...s.sentences.map(safeText));
  if (s.caveats.length > 0) out.push('', ...s.caveats);

  if (result.partial || opts.meta?.partial) {
    const warnings = [...(opts.meta?.warnings ?? [])];
    for (const w of result.warnings) if (!warnings.includes(w)) warnings.push(w);
    const title = 'PARTIAL RESULT: part of the flow was not explored; the totals above are incomplete.';
    out.push('', color ? `\u001b[1;31m${title}\u001b[0m` : title);
    for (const w of warnings) out.push(`  - ${safeText(w)}`);
  } else if (result.warnings.length > 0) {
    out.push('', 'Warnings:', ...result.warnings.map((w) => `  - ${safeText(w)}`));
  }
  return `${out.join('\n')}\n`;
}
