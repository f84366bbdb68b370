// What the page prints besides the graph: the conservation summary and the run manifest, as plain
// strings (the page puts them in with textContent). The conservation lines come from the trace
// JSON (`totals.conservation`) when present; per-status sums are always computed from the rows.
import { formatBtc } from '../../output/amount.js';
import type { TraceDoc } from './input.js';

export interface Table {
  title: string;
  source: string;
  columns: string[];
  rows: string[][];
}

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v) ?? '';
};
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const btcOf = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? formatBtc(v) : '');

export function conservationTables(doc: TraceDoc): Table[] {
  const out: Table[] = [];
  const cons = doc.totals && isObj(doc.totals.conservation) ? doc.totals.conservation : null;
  if (cons && Array.isArray(cons.lines)) {
    const lines = cons.lines.filter(isObj);
    const rows = lines.map((l) => [cell(l.label), cell(l.outputs), cell(l.sat), btcOf(l.sat)]);
    rows.push(['total', '', cell(cons.total_sat), btcOf(cons.total_sat)]);
    out.push({
      title: 'Where the seed taint went',
      source:
        cons.overstated === true
          ? 'the trace JSON (totals.conservation); under this model the lines overstate: one coin may be counted in several outputs'
          : 'the trace JSON (totals.conservation)',
      columns: ['', 'outputs', 'tainted sat', 'tainted BTC'],
      rows,
    });
  }

  // Per-status sums from the rows themselves: the JSON's by_status counts outputs only.
  const sums = new Map<string, [number, number]>();
  for (const r of doc.rows) {
    const s = sums.get(r.status) ?? [0, 0];
    sums.set(r.status, [s[0] + 1, s[1] + r.tainted_sat]);
  }
  out.push({
    title: 'Taint by status',
    source: 'computed from the rows',
    columns: ['status', 'outputs', 'tainted sat', 'tainted BTC'],
    rows: [...sums].map(([k, [n, sat]]) => [k, String(n), String(sat), formatBtc(sat)]),
  });

  // Seed taint = taint left at the ends of the graph + taint paid as fees (+ rounding under haircut).
  const followed = new Set(doc.rows.map((r) => r.txid));
  const seedSat = doc.rows.filter((r) => r.status === 'seed').reduce((s, r) => s + r.tainted_sat, 0);
  const endSat = doc.rows
    .filter((r) => r.spent_by === null || !followed.has(r.spent_by))
    .reduce((s, r) => s + r.tainted_sat, 0);
  const fee =
    doc.totals && typeof doc.totals.fee_tainted_sat === 'number' ? doc.totals.fee_tainted_sat : null;
  const lines: string[][] = [
    ['seed outputs (taint in)', String(seedSat), formatBtc(seedSat)],
    ['outputs at the ends of the graph (not followed further)', String(endSat), formatBtc(endSat)],
  ];
  if (fee !== null && Number.isSafeInteger(fee)) {
    lines.push(['paid as fees', String(fee), formatBtc(fee)]);
    const diff = seedSat - endSat - fee;
    lines.push(['difference (rounding of per-output amounts)', String(diff), formatBtc(diff)]);
  }
  out.push({
    title: 'Where the seed taint ended',
    source: 'computed from the rows',
    columns: ['', 'sat', 'BTC'],
    rows: lines,
  });
  return out;
}

export interface ManifestInfo {
  traceName: string;
  traceSha256: string;
  traceBytes: number;
}

/** Name/value lines of the run: tool, version, command, options, source, tip, the trace file hash. */
export function manifestLines(doc: TraceDoc, info: ManifestInfo): string[][] {
  const m = doc.meta;
  const lines: string[][] = [
    ['tool', `${cell(m.tool)} ${cell(m.version)}`.trim()],
    ['command', Array.isArray(m.command) ? m.command.map(cell).join(' ') : cell(m.command_line ?? m.command)],
    ['source', cell(m.source)],
    ['network', cell(m.network)],
    ['chain tip height', cell(m.tip_height)],
    ['direction / model', `${doc.direction} / ${doc.model}`],
    ['seeds', doc.seeds.join(' ')],
    ['partial', cell(m.partial)],
    [
      'warnings',
      Array.isArray(m.warnings) ? m.warnings.map(cell).join('; ') || 'none' : cell(m.warnings) || 'none',
    ],
    ['model conventions', cell(m.model_conventions)],
  ];
  if (isObj(m.options))
    lines.push([
      'options',
      Object.entries(m.options)
        .map(([k, v]) => `${k}=${cell(v)}`)
        .join(', '),
    ]);
  lines.push(
    ['trace file', `${info.traceName} (${info.traceBytes} bytes)`],
    ['trace sha256', info.traceSha256],
  );
  return lines;
}
