// Exposure as a table, CSV or JSON. Sanctioned lines come first in every format; when none was
// found, every format says so and names the label lists checked, with their dates, so "no
// sanctioned exposure" is never read as "not screened".
import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import type { LabelList } from '../labels/label.js';
import { formatBtc, formatSat } from '../output/amount.js';
import { guardText } from '../output/csv.js';
import { safeText } from '../output/table.js';
import { anySanctioned, shareOf, type DirectionExposure, type ExposureLine } from './exposure.js';

export interface ExposureReport {
  seeds: string[];
  exposures: DirectionExposure[];
  lists: readonly LabelList[];
  /** Run metadata for JSON (tool, version, command, source ...). */
  meta?: Record<string, unknown>;
}

export const EXPOSURE_COLUMNS = [
  'direction',
  'kind',
  'name',
  'category',
  'abuse',
  'sanctioned',
  'direct_sat',
  'direct_btc',
  'indirect_sat',
  'indirect_btc',
  'total_sat',
  'total_btc',
  'share_of_seed',
  'first_hop',
  'outputs',
] as const;

/** "tags.csv (undated, 7 labels), OFAC SDN (2026-11-28, 812 labels)", or "no label lists". */
export function listsChecked(lists: readonly LabelList[]): string {
  if (lists.length === 0) return 'no label lists';
  return lists
    .map((l) => `${l.name} (${l.date ?? 'undated'}, ${l.labels === 1 ? '1 label' : `${l.labels} labels`})`)
    .join(', ');
}

/** The sentence every format carries when no sanctioned address was reached. */
export function noSanctionsLine(r: ExposureReport): string | null {
  if (anySanctioned(r.exposures)) return null;
  const dirs = r.exposures.map((e) => e.direction).join(' or ');
  return `No sanctioned exposure found ${dirs}; lists checked: ${listsChecked(r.lists)}.`;
}

function lineRecord(l: ExposureLine, seedSat: number): (string | number | boolean | null)[] {
  return [
    l.direction,
    l.kind,
    l.name,
    l.category,
    l.abuse,
    l.sanctioned,
    l.directSat,
    formatBtc(l.directSat),
    l.indirectSat,
    formatBtc(l.indirectSat),
    l.totalSat,
    formatBtc(l.totalSat),
    shareOf(l.totalSat, seedSat),
    l.firstHop,
    l.outputs,
  ];
}

export function exposureCsv(r: ExposureReport): string {
  const records: (string | number)[][] = [[...EXPOSURE_COLUMNS]];
  for (const e of r.exposures)
    for (const l of e.lines)
      records.push(
        lineRecord(l, e.seedSat).map((c) =>
          c === null ? '' : typeof c === 'number' ? c : typeof c === 'boolean' ? String(c) : guardText(c),
        ),
      );
  return stringify(records, { record_delimiter: '\n', eof: true });
}

export function exposureJson(r: ExposureReport): string {
  const doc = {
    ...(r.meta && { meta: r.meta }),
    seeds: r.seeds,
    lists_checked: r.lists.map((l) => ({ name: l.name, date: l.date, labels: l.labels })),
    sanctioned_found: anySanctioned(r.exposures),
    no_sanctions_line: noSanctionsLine(r),
    directions: r.exposures.map((e) => ({
      direction: e.direction,
      model: e.model,
      seed_sat: e.seedSat,
      seed_btc: formatBtc(e.seedSat),
      partial: e.partial,
      lines: e.lines.map((l) =>
        Object.fromEntries(EXPOSURE_COLUMNS.map((c, i) => [c, lineRecord(l, e.seedSat)[i]])),
      ),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const KIND_WORD = { entity: 'entity', category: 'category', abuse: 'abuse' } as const;

export function exposureTable(r: ExposureReport, color: boolean): string {
  const out: string[] = [];
  const style = color ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] };
  for (const e of r.exposures) {
    const where = e.direction === 'forward' ? 'where it went' : 'where it came from';
    out.push(
      `${e.direction === 'forward' ? 'Forward' : 'Backward'} exposure (${where}), model ${e.model}; seed amount ${formatSat(e.seedSat)} sat (${formatBtc(e.seedSat)} BTC)${e.partial ? '; PARTIAL: the trace was cut, amounts are lower bounds' : ''}`,
    );
    if (e.lines.length === 0) {
      out.push('  no labelled address reached', '');
      continue;
    }
    const flagged = e.lines.some((l) => l.sanctioned);
    const t = new Table({
      head: [
        ...(flagged ? [''] : []),
        'kind',
        'name',
        'direct sat',
        'indirect sat',
        'total sat',
        'total BTC',
        'share',
        'first hop',
      ],
      colAligns: [
        ...(flagged ? ['left' as const] : []),
        'left',
        'left',
        'right',
        'right',
        'right',
        'right',
        'right',
        'right',
      ],
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
      style,
    });
    for (const l of e.lines) {
      const kinds = l.kind === 'entity' ? [l.category, l.abuse].filter(Boolean).join(', ') : '';
      t.push([
        ...(flagged ? [l.sanctioned ? 'SANCTIONED' : ''] : []),
        KIND_WORD[l.kind],
        safeText(kinds ? `${l.name} (${kinds})` : l.name),
        formatSat(l.directSat),
        formatSat(l.indirectSat),
        formatSat(l.totalSat),
        formatBtc(l.totalSat),
        shareOf(l.totalSat, e.seedSat),
        String(l.firstHop),
      ]);
    }
    out.push(t.toString(), '');
  }
  const none = noSanctionsLine(r);
  out.push(safeText(none ?? `Sanctioned exposure found; lists checked: ${listsChecked(r.lists)}.`));
  if (r.exposures.some((e) => e.model === 'poison'))
    out.push(
      'Poison model: every touched output counts in full, so lines overstate and may exceed the seed amount.',
    );
  out.push(
    'Direct: first hop; indirect: later hops. An output counts once for each entity, category and abuse term of its labels.',
  );
  return `${out.join('\n')}\n`;
}
