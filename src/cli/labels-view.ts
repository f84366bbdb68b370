// `btctrace labels list|stats|remove|export`: reading the store back. Rows come out in a stable
// order (address, list, label) so two exports of the same store are byte-identical.
import { existsSync } from 'node:fs';
import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import yaml from 'js-yaml';
import { normalizeAddress } from '../model/address.js';
import { InputError } from '../model/errors.js';
import { BUNDLED_OFAC_NAME, bundledOfacBook } from '../labels/books.js';
import { CSV_COLUMNS } from '../labels/csv-labels.js';
import { labelsFile } from '../labels/paths.js';
import { queryLabels, storeStats, type AddressedLabel, type LabelFilter } from '../labels/store-query.js';
import { LabelStore } from '../labels/store.js';
import { confidenceName } from '../labels/taxonomy.js';
import { guardText } from '../output/csv.js';
import { safeText } from '../output/table.js';
import { toolVersion } from '../version.js';
import type { IO } from './io.js';
import { parseChoice } from './parse.js';

const n = (x: number) => x.toLocaleString('en');
const CHUNK = 1000;
/** Rows drawn by `labels list` as a table. */
export const TABLE_ROWS = 1000;
/** One line per row, no rules between rows. */
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

function storeFile(opts: Record<string, unknown>, io: IO): string {
  return labelsFile(typeof opts.labelsDb === 'string' ? opts.labelsDb : undefined, io.env).file;
}

/** The store, or null (after saying so) when there is none yet. */
function openExisting(opts: Record<string, unknown>, io: IO): LabelStore | null {
  const file = storeFile(opts, io);
  if (!existsSync(file)) {
    const ofac = bundledOfacBook().lists()[0]!;
    io.stderr(
      `no label store at ${file} yet (btctrace labels import <file>); screening uses the bundled ${BUNDLED_OFAC_NAME} list (${ofac.date}, ${ofac.labels} addresses)\n`,
    );
    return null;
  }
  return LabelStore.open(file, { create: false });
}

function filterOf(opts: Record<string, unknown>): LabelFilter {
  const f: LabelFilter = {};
  const str = (k: string) => {
    const v = opts[k];
    return typeof v === 'string' ? v.trim() : undefined;
  };
  const address = str('address');
  if (address !== undefined) f.address = normalizeAddress(address);
  f.label = str('label');
  f.category = str('category')?.toLowerCase();
  f.source = str('source');
  for (const k of Object.keys(f) as (keyof LabelFilter)[]) if (f[k] === undefined || f[k] === '') delete f[k];
  return f;
}

/** Text cells guarded against spreadsheet formulas (the CSV importer takes the guard off again). */
function csvRecord(l: AddressedLabel): (string | number)[] {
  return [
    l.address,
    guardText(l.label),
    guardText(l.category ?? ''),
    guardText(l.abuse ?? ''),
    guardText(l.actor ?? ''),
    l.confidence ?? '',
    guardText(l.source ?? ''),
    l.definesCluster ? 'true' : 'false',
  ];
}

/** CSV in the import layout, plus the list it came from when `withList`. */
function writeCsv(rows: Iterable<AddressedLabel>, io: IO, withList: boolean): number {
  const head = withList ? [...CSV_COLUMNS, 'list', 'list_date'] : [...CSV_COLUMNS];
  io.stdout(stringify([head], { record_delimiter: '\n' }));
  let count = 0;
  let batch: (string | number)[][] = [];
  for (const l of rows) {
    batch.push(withList ? [...csvRecord(l), guardText(l.list), l.listDate ?? ''] : csvRecord(l));
    count++;
    if (batch.length === CHUNK) {
      io.stdout(stringify(batch, { record_delimiter: '\n' }));
      batch = [];
    }
  }
  if (batch.length) io.stdout(stringify(batch, { record_delimiter: '\n' }));
  return count;
}

export function runLabelsList(opts: Record<string, unknown>, io: IO): number {
  const format = parseChoice('--format', typeof opts.format === 'string' ? opts.format : 'table', [
    'table',
    'csv',
    'json',
  ] as const);
  const store = openExisting(opts, io);
  if (!store) return 0;
  try {
    const rows = queryLabels(store, filterOf(opts));
    if (format === 'csv') writeCsv(rows, io, true);
    else if (format === 'json') {
      io.stdout('[');
      let first = true;
      for (const l of rows) {
        io.stdout(`${first ? '\n' : ',\n'}  ${JSON.stringify(l)}`);
        first = false;
      }
      io.stdout(first ? ']\n' : '\n]\n');
    } else {
      const t = new Table({
        head: ['address', 'label', 'category', 'abuse', 'confidence', 'list'],
        style: { head: [], border: [] },
        chars: COMPACT,
      });
      let count = 0;
      for (const l of rows) {
        if (count++ >= TABLE_ROWS) continue; // counted, not drawn: a table of the whole store helps no one
        t.push([
          l.address,
          safeText(l.label),
          safeText(l.category ?? ''),
          safeText(l.abuse ?? ''),
          l.confidence ?? '',
          safeText(l.list),
        ]);
      }
      const more = count > TABLE_ROWS ? ` (the first ${n(TABLE_ROWS)} shown; --format csv for all)` : '';
      io.stdout(count ? `${t.toString()}\n${n(count)} labels${more}\n` : 'no labels match\n');
    }
  } finally {
    store.close();
  }
  return 0;
}

export function runLabelsStats(opts: Record<string, unknown>, io: IO): number {
  const store = openExisting(opts, io);
  if (!store) return 0;
  try {
    const s = storeStats(store);
    const style = { head: [], border: [] };
    const chars = COMPACT;
    const lists = new Table({
      head: ['list', 'kind', 'date', 'labels', 'addresses', 'bad tags'],
      style,
      chars,
    });
    for (const l of s.lists)
      lists.push([safeText(l.name), l.kind, l.date ?? '', n(l.labels), n(l.addresses), n(l.bad)]);
    const terms = new Table({ head: ['category / abuse', 'kind', 'labels', 'addresses'], style, chars });
    for (const c of s.categories) terms.push([safeText(c.term), c.kind, n(c.labels), n(c.addresses)]);
    const ofac = store.hasOfacList()
      ? 'the bundled OFAC list is superseded by an imported OFAC list'
      : `also screened (mainnet): the bundled ${BUNDLED_OFAC_NAME} list (${bundledOfacBook().lists()[0]!.date})`;
    io.stdout(
      `label store ${store.file}\n${n(s.labels)} labels, ${n(s.addresses)} addresses, ${n(s.actors)} actors, ${n(s.lists.length)} lists; ${ofac}\n` +
        `${lists.toString()}\n${terms.toString()}\n`,
    );
  } finally {
    store.close();
  }
  return 0;
}

export function runLabelsRemove(opts: Record<string, unknown>, io: IO): number {
  const name = typeof opts.source === 'string' ? opts.source : '';
  const file = storeFile(opts, io);
  if (!existsSync(file)) throw new InputError(`--source ${name}: no label store at ${file}`);
  const store = LabelStore.open(file, { create: false });
  try {
    const removed = store.removeList(name);
    if (removed === null) {
      const known = store.lists().map((l) => l.name);
      throw new InputError(
        `--source ${name}: no such list in ${file} (lists: ${known.slice(0, 10).join(', ') || 'none'}${known.length > 10 ? ', ...' : ''})`,
      );
    }
    io.stdout(`removed list ${safeText(name)}: ${n(removed)} labels\n`);
  } finally {
    store.close();
  }
  return 0;
}

export function runLabelsExport(opts: Record<string, unknown>, io: IO): number {
  const format = parseChoice('--format', typeof opts.format === 'string' ? opts.format : 'csv', [
    'csv',
    'tagpack',
  ] as const);
  const store = openExisting(opts, io);
  if (!store) return 0;
  try {
    const rows = queryLabels(store, filterOf(opts));
    if (format === 'csv') {
      const count = writeCsv(rows, io, false);
      io.stderr(`exported ${n(count)} labels\n`);
      return 0;
    }
    const tags = [...rows].map((l) => ({
      address: l.address,
      label: l.label,
      ...(l.category === null ? {} : { category: l.category }),
      ...(l.abuse === null ? {} : { abuse: l.abuse }),
      ...(l.actor === null ? {} : { actor: l.actor }),
      confidence: confidenceName(l.confidence),
      source: l.source ?? `btctrace label store, list ${l.list}`,
      is_cluster_definer: l.definesCluster,
    }));
    const pack = {
      title: 'btctrace label export',
      creator: `btctrace ${toolVersion()}`,
      description: `exported from ${store.file}`,
      lastmod: io.now().toISOString().slice(0, 10),
      currency: 'BTC',
      tags,
    };
    io.stdout(yaml.dump(pack, { lineWidth: -1, noRefs: true }));
    io.stderr(`exported ${n(tags.length)} labels\n`);
  } finally {
    store.close();
  }
  return 0;
}
