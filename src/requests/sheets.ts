// Records-request sheets: from a saved forward trace, one sheet per service entity whose address
// received tainted funds — what an FIU sends to that service's compliance team. Each deposit is
// an output to a labelled address of a service category, with the txid path that leads to it
// from a seed; totals are sums of the printed (whole-satoshi) values, as in the trace CSV.
import { InputError } from '../model/errors.js';

/** The trace JSON row fields a sheet reads (src/output/json.ts). */
export interface TraceRowIn {
  hop: number;
  txid: string;
  vout: number;
  address: string | null;
  value_sat: number;
  tainted_sat: number;
  status: string;
  block_time: string | null;
  label: string | null;
  category: string | null;
  spent_by: string | null;
  label_confidence: number | null;
  label_source: string | null;
}

export interface Deposit {
  address: string;
  txid: string;
  vout: number;
  blockTime: string | null;
  valueSat: number;
  taintedSat: number;
  hop: number;
  labelSource: string | null;
  labelConfidence: number | null;
  /** Txids from a seed's transaction to the deposit's transaction. */
  path: string[];
}

export interface EntitySheet {
  entity: string;
  category: string;
  deposits: Deposit[];
  valueSat: number;
  taintedSat: number;
  addresses: number;
}

/** Categories whose holder is not a service a records request can go to. */
const NOT_SERVICES = new Set(['user', 'perpetrator', 'coinjoin']);

export function isService(category: string | null): category is string {
  return category !== null && !NOT_SERVICES.has(category);
}

const isInt = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const strOrNull = (v: unknown) => v === null || typeof v === 'string';

/** The rows of a parsed trace JSON, checked field by field; InputError naming the first bad row. */
export function traceRows(
  doc: unknown,
  file: string,
): { direction: string; model: string; seeds: string[]; rows: TraceRowIn[] } {
  const d = doc as Record<string, unknown> | null;
  const t = d?.trace as Record<string, unknown> | undefined;
  if (!d || typeof d !== 'object' || !t || !Array.isArray(d.rows))
    throw new InputError(`${file}: not a btctrace trace JSON (no "trace" and "rows")`);
  const rows = d.rows as Record<string, unknown>[];
  rows.forEach((r, i) => {
    const ok =
      r !== null &&
      typeof r === 'object' &&
      isInt(r.hop) &&
      typeof r.txid === 'string' &&
      /^[0-9a-f]{64}$/.test(r.txid) &&
      isInt(r.vout) &&
      strOrNull(r.address) &&
      isInt(r.value_sat) &&
      isInt(r.tainted_sat) &&
      typeof r.status === 'string' &&
      strOrNull(r.block_time) &&
      strOrNull(r.label) &&
      strOrNull(r.category) &&
      strOrNull(r.spent_by) &&
      (r.label_confidence === undefined || r.label_confidence === null || isInt(r.label_confidence)) &&
      (r.label_source === undefined || strOrNull(r.label_source));
    if (!ok)
      throw new InputError(`${file}: rows[${i}] is not a trace row (hop, txid, vout, amounts, label ...)`);
  });
  return {
    direction: String(t.direction),
    model: String(t.model),
    seeds: Array.isArray(t.seeds) ? t.seeds.map(String) : [],
    rows: rows.map((r) => ({
      ...(r as unknown as TraceRowIn),
      label_confidence: (r.label_confidence as number | null | undefined) ?? null,
      label_source: (r.label_source as string | null | undefined) ?? null,
    })),
  };
}

/**
 * The txid path from a seed to `row`'s transaction: at each step back, the tainted output that
 * the transaction spends with the smallest hop (then the most taint, then txid:vout), until a
 * seed row. Bounded by the rows' count, so a malformed file cannot loop.
 */
export function pathTo(row: TraceRowIn, byTxSpent: ReadonlyMap<string, TraceRowIn[]>): string[] {
  const path = [row.txid];
  let txid = row.txid;
  const seen = new Set<string>([txid]);
  for (let step = 0; step <= byTxSpent.size; step++) {
    const parents = byTxSpent.get(txid);
    if (!parents || parents.length === 0) break;
    const p = parents[0]!;
    if (seen.has(p.txid)) break;
    seen.add(p.txid);
    path.unshift(p.txid);
    if (p.hop === 0) break;
    txid = p.txid;
  }
  return path;
}

function parentIndex(rows: readonly TraceRowIn[]): Map<string, TraceRowIn[]> {
  const m = new Map<string, TraceRowIn[]>();
  for (const r of rows) {
    if (r.spent_by === null || r.tainted_sat <= 0) continue;
    const list = m.get(r.spent_by) ?? [];
    list.push(r);
    m.set(r.spent_by, list);
  }
  for (const list of m.values())
    list.sort(
      (a, b) =>
        a.hop - b.hop ||
        b.tainted_sat - a.tainted_sat ||
        (a.txid < b.txid ? -1 : a.txid > b.txid ? 1 : a.vout - b.vout),
    );
  return m;
}

/** One sheet per service entity (sorted by tainted total, then name); deposits in hop, time, txid order. */
export function entitySheets(rows: readonly TraceRowIn[]): EntitySheet[] {
  const parents = parentIndex(rows);
  const sheets = new Map<string, EntitySheet>();
  for (const r of rows) {
    if (r.hop < 1 || r.tainted_sat <= 0 || r.label === null || r.address === null) continue;
    if (!isService(r.category)) continue;
    const key = `${r.label}\u0000${r.category}`;
    let s = sheets.get(key);
    if (!s) {
      s = { entity: r.label, category: r.category, deposits: [], valueSat: 0, taintedSat: 0, addresses: 0 };
      sheets.set(key, s);
    }
    s.deposits.push({
      address: r.address,
      txid: r.txid,
      vout: r.vout,
      blockTime: r.block_time,
      valueSat: r.value_sat,
      taintedSat: r.tainted_sat,
      hop: r.hop,
      labelSource: r.label_source,
      labelConfidence: r.label_confidence,
      path: pathTo(r, parents),
    });
    s.valueSat += r.value_sat;
    s.taintedSat += r.tainted_sat;
  }
  for (const s of sheets.values()) {
    s.deposits.sort(
      (a, b) =>
        a.hop - b.hop ||
        (a.blockTime ?? '~').localeCompare(b.blockTime ?? '~') ||
        (a.txid < b.txid ? -1 : a.txid > b.txid ? 1 : a.vout - b.vout),
    );
    s.addresses = new Set(s.deposits.map((d) => d.address)).size;
  }
  return [...sheets.values()].sort(
    (a, b) => b.taintedSat - a.taintedSat || (a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : 0),
  );
}

/** A file name stem for an entity: lower-case letters, digits and dashes, unique among `taken`. */
export function fileStem(entity: string, taken: Set<string>): string {
  const base =
    entity
      .toLowerCase()
      .normalize('NFKD')
      .replace(/\p{M}/gu, '') // accents off: "Ü" -> "u"
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'entity';
  let stem = base;
  for (let n = 2; taken.has(stem); n++) stem = `${base}-${n}`;
  taken.add(stem);
  return stem;
}
