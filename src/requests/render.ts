// A records-request sheet as CSV (for the receiving compliance team's systems) and as printable
// Markdown, plus an index of all sheets. Both name the case file and its sha256, so a sheet can
// be tied back to the trace it came from.
import { stringify } from 'csv-stringify/sync';
import { formatBtc, formatSat } from '../output/amount.js';
import { guardText } from '../output/csv.js';
import type { EntitySheet } from './sheets.js';

export interface CaseRef {
  /** The trace JSON as named on the command line. */
  file: string;
  sha256: string;
  direction: string;
  model: string;
  seeds: string[];
}

export const SHEET_COLUMNS = [
  'entity',
  'category',
  'address',
  'txid',
  'vout',
  'block_time_utc',
  'value_sat',
  'value_btc',
  'tainted_sat',
  'tainted_btc',
  'hop',
  'label_source',
  'label_confidence',
  'txid_path',
] as const;

const text = (v: string | null) => (v === null ? '' : guardText(v));

export function sheetCsv(s: EntitySheet): string {
  const records: (string | number)[][] = [[...SHEET_COLUMNS]];
  for (const d of s.deposits)
    records.push([
      text(s.entity),
      text(s.category),
      text(d.address),
      d.txid,
      d.vout,
      d.blockTime ?? '',
      d.valueSat,
      formatBtc(d.valueSat),
      d.taintedSat,
      formatBtc(d.taintedSat),
      d.hop,
      text(d.labelSource),
      d.labelConfidence ?? '',
      d.path.join(' > '),
    ]);
  return stringify(records, { record_delimiter: '\n', eof: true });
}

// C0 controls, DEL and C1 controls: a label from outside must not break the table or the terminal.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** Markdown table cells: no line breaks, pipes escaped, control characters dropped. */
function md(v: string | number | null): string {
  if (v === null) return '';
  return String(v).replace(CONTROL, ' ').replace(/\|/g, '\\|');
}

const MODEL_NOTE: Record<string, string> = {
  haircut:
    "Tainted amounts follow the haircut model: each output carries its transaction's tainted share of the inputs (a proportional estimate, rounded to whole satoshis per output).",
  poison: 'Tainted amounts follow the poison model: every output touched by tainted funds counts in full.',
};

export function sheetMarkdown(s: EntitySheet, c: CaseRef): string {
  const out = [
    `# Records request: ${md(s.entity)} (${md(s.category)})`,
    '',
    `Deposits to addresses attributed to ${md(s.entity)} that received funds traced from the seed(s) below.`,
    'We request the account holder(s), KYC records and the account activity around each deposit.',
    '',
    `- Case file: ${md(c.file)} (sha256 ${c.sha256})`,
    `- Trace: ${md(c.direction)}, model ${md(c.model)}`,
    `- Seeds: ${c.seeds.map(md).join(', ')}`,
    `- Deposits: ${s.deposits.length} to ${s.addresses === 1 ? '1 address' : `${s.addresses} addresses`}; ` +
      `value ${formatSat(s.valueSat)} sat (${formatBtc(s.valueSat)} BTC); ` +
      `tainted ${formatSat(s.taintedSat)} sat (${formatBtc(s.taintedSat)} BTC)`,
    '',
    '| # | address | txid:vout | time (UTC) | amount (sat) | tainted (sat) | hop | label source | confidence |',
    '|---:|---|---|---|---:|---:|---:|---|---:|',
  ];
  s.deposits.forEach((d, i) =>
    out.push(
      `| ${i + 1} | ${md(d.address)} | ${d.txid}:${d.vout} | ${md(d.blockTime ?? 'unconfirmed')} | ${formatSat(d.valueSat)} | ${formatSat(d.taintedSat)} | ${d.hop} | ${md(d.labelSource)} | ${md(d.labelConfidence)} |`,
    ),
  );
  out.push(
    `| | **total** | | | **${formatSat(s.valueSat)}** | **${formatSat(s.taintedSat)}** | | | |`,
    '',
    '## Paths from the seed',
    '',
  );
  s.deposits.forEach((d, i) => {
    out.push(`${i + 1}. ${d.txid}:${d.vout} (hop ${d.hop}):`);
    for (const t of d.path) out.push(`   - ${t}`);
  });
  out.push('', MODEL_NOTE[c.model] ?? `Tainted amounts follow the ${md(c.model)} model.`, '');
  return out.join('\n');
}

export interface IndexEntry {
  sheet: EntitySheet;
  stem: string;
}

export function indexCsv(entries: readonly IndexEntry[]): string {
  const records: (string | number)[][] = [
    [
      'entity',
      'category',
      'deposits',
      'addresses',
      'value_sat',
      'tainted_sat',
      'tainted_btc',
      'csv',
      'markdown',
    ],
  ];
  for (const { sheet: s, stem } of entries)
    records.push([
      text(s.entity),
      text(s.category),
      s.deposits.length,
      s.addresses,
      s.valueSat,
      s.taintedSat,
      formatBtc(s.taintedSat),
      `${stem}.csv`,
      `${stem}.md`,
    ]);
  return stringify(records, { record_delimiter: '\n', eof: true });
}

export function indexMarkdown(entries: readonly IndexEntry[], c: CaseRef): string {
  const out = [
    '# Records requests',
    '',
    `- Case file: ${md(c.file)} (sha256 ${c.sha256})`,
    `- Trace: ${md(c.direction)}, model ${md(c.model)}; seeds: ${c.seeds.map(md).join(', ')}`,
    '',
  ];
  if (entries.length === 0) {
    out.push('No service entity received tainted funds in this trace.', '');
    return out.join('\n');
  }
  out.push(
    '| entity | category | deposits | tainted (sat) | tainted (BTC) | sheet |',
    '|---|---|---:|---:|---:|---|',
  );
  for (const { sheet: s, stem } of entries)
    out.push(
      `| ${md(s.entity)} | ${md(s.category)} | ${s.deposits.length} | ${formatSat(s.taintedSat)} | ${formatBtc(s.taintedSat)} | [${stem}.md](${stem}.md), [${stem}.csv](${stem}.csv) |`,
    );
  out.push('');
  return out.join('\n');
}
