// `tx --format json|jsonl|csv`: the JSON document, and one row per input and output for case
// files and scripts (the table is in tx.ts).
import { stringify } from 'csv-stringify/sync';
import { formatBtc } from '../output/amount.js';
import { guardText } from '../output/csv.js';
import { FIAT_COLUMNS, type FiatValues } from '../prices/fiat.js';
import type { LabelBook } from '../labels/label.js';
import { labelFields, labelJson } from '../output/label-cells.js';
import { explainChange } from '../cluster/change/explain.js';
import { fiatMeta } from '../prices/fiat.js';
import { metaJson, type RunMeta } from '../output/meta.js';
import { formatTime } from '../output/time.js';
import type { TxReport } from './tx.js';

const FIAT_TX_COLUMNS = FIAT_COLUMNS.filter((c) => c !== 'fiat_tainted');

export const TX_CSV_COLUMNS = [
  'side',
  'n',
  'txid',
  'address',
  'value_sat',
  'value_btc',
  'script_type',
  'prev_txid',
  'prev_vout',
  'spent_by',
  'label',
  'category',
  'abuse',
  'label_confidence',
  'label_source',
  'likely_change',
  'note',
] as const;

/** Inputs (side "input", n = vin) then outputs (side "output", n = vout), in transaction order. */
export function txCsv(r: TxReport, book: LabelBook, fiat?: FiatValues): string {
  const { tx } = r;
  const found = lookupAll(r, book);
  const tagCells = (a: string | null) => {
    const t = a ? found.get(a)?.[0] : undefined;
    return [
      guardText(t?.label ?? ''),
      guardText(t?.category ?? ''),
      guardText(t?.abuse ?? ''),
      t?.confidence ?? '',
      guardText(t?.source ?? ''),
    ];
  };
  const fiatCells = (key: string) =>
    fiat ? FIAT_TX_COLUMNS.map((c) => guardText(String(fiat.cells.get(key)?.[c] ?? ''))) : [];
  const rows: (string | number)[][] = [];
  tx.vin.forEach((i, n) => {
    const address = i.prevout?.address ?? null;
    const value = i.prevout?.value ?? 0;
    rows.push([
      'input',
      n,
      tx.txid,
      address ?? '',
      value,
      formatBtc(value),
      i.prevout?.scriptType ?? '',
      i.coinbase ? '' : i.txid,
      i.coinbase ? '' : i.vout,
      '',
      ...tagCells(address),
      '',
      i.coinbase ? 'coinbase: newly mined coins' : '',
      ...fiatCells(`in:${n}`),
    ]);
  });
  tx.vout.forEach((o, n) => {
    const os = r.outspends?.[n];
    rows.push([
      'output',
      n,
      tx.txid,
      o.address ?? '',
      o.value,
      formatBtc(o.value),
      o.scriptType,
      '',
      '',
      os?.spent ? (os.txid ?? '') : '',
      ...tagCells(o.address),
      changeNames(r, n).join(';'),
      os ? (os.spent ? (os.txid ? '' : 'spent (spender not known)') : 'unspent') : 'spent or not: unknown',
      ...fiatCells(`out:${n}`),
    ]);
  });
  const header = [...TX_CSV_COLUMNS, ...(fiat ? FIAT_TX_COLUMNS : [])];
  return stringify([header, ...rows], { record_delimiter: '\n' });
}

/** JSON Lines: the JSON document without inputs and outputs, then one line per input and output. */
export function txJsonl(doc: Record<string, unknown>): string {
  const { inputs, outputs, ...head } = doc as {
    inputs: Record<string, unknown>[];
    outputs: Record<string, unknown>[];
  };
  const lines = [
    JSON.stringify(head),
    ...inputs.map((i) => JSON.stringify({ side: 'input', ...i })),
    ...outputs.map((o) => JSON.stringify({ side: 'output', ...o })),
  ];
  return `${lines.join('\n')}\n`;
}

/** The JSON document of `tx --format json` (and, without inputs and outputs, the JSONL head). */
export function txJsonDoc(
  r: TxReport,
  book: LabelBook,
  meta: RunMeta | null,
  fiat?: FiatValues,
): Record<string, unknown> {
  const { tx } = r;
  const fiatOf = (key: string) => {
    const c = fiat?.cells.get(key);
    return c
      ? Object.fromEntries(FIAT_COLUMNS.filter((k) => k !== 'fiat_tainted').map((k) => [k, c[k]]))
      : {};
  };
  const changeOf = (vout: number) => changeNames(r, vout);
  const found = lookupAll(r, book);
  const label = (a: string | null) => labelJson(labelFields(a ? found.get(a) : undefined));
  return {
    ...(meta && { meta: metaJson(meta) }),
    txid: tx.txid,
    block_height: tx.status.height,
    block_time: tx.status.time === null ? null : formatTime(tx.status.time),
    confirmed: tx.status.confirmed,
    size: tx.size,
    weight: tx.weight,
    vsize: r.vsize,
    fee_sat: tx.fee,
    fee_rate_sat_vb: r.feeRate,
    inputs: tx.vin.map((i, n) => ({
      vin: n,
      coinbase: i.coinbase,
      prev_txid: i.coinbase ? null : i.txid,
      prev_vout: i.coinbase ? null : i.vout,
      address: i.prevout?.address ?? null,
      value_sat: i.prevout?.value ?? 0,
      script_type: i.prevout?.scriptType ?? null,
      label: label(i.prevout?.address ?? null),
      ...fiatOf(`in:${n}`),
    })),
    outputs: tx.vout.map((o, n) => ({
      vout: n,
      address: o.address,
      value_sat: o.value,
      script_type: o.scriptType,
      spent_by: r.outspends?.[n]?.txid ?? null,
      label: label(o.address),
      likely_change: changeOf(n),
      ...fiatOf(`out:${n}`),
    })),
    flags: flagsOf(r),
    coinjoin_findings: [...r.coinjoin, ...r.informational],
    change_heuristics: r.change.map((v) => ({
      ...v,
      change_vout: v.candidates.length === 1 ? v.candidates[0]! : null,
      reason: explainChange(tx, v),
    })),
    source: r.source,
    ...(fiat && { fee_fiat_value: fiat.cells.get('fee')!.fiat_value, fiat: fiatMeta(fiat) }),
  };
}

/** The labels of every address of the transaction, in one lookup. */
export function lookupAll(r: TxReport, book: LabelBook) {
  return book.lookup([
    ...r.tx.vin.flatMap((i) => (i.prevout?.address ? [i.prevout.address] : [])),
    ...r.tx.vout.flatMap((o) => (o.address ? [o.address] : [])),
  ]);
}

/** The heuristics that name output `vout` as the change (each names one output, or none). */
export function changeNames(r: TxReport, vout: number): string[] {
  return r.change.filter((h) => h.candidates.length === 1 && h.candidates[0] === vout).map((h) => h.name);
}

export function flagsOf(r: TxReport): string[] {
  // "coinjoin:whirlpool:definite", "tx0:whirlpool:likely", "post-mix:wasabi2:likely", "info:esplora:possible"
  const f = r.coinjoin.map((c) => `${c.kind === 'coinjoin' ? 'coinjoin:' : ''}${c.name}:${c.confidence}`);
  for (const c of r.informational) f.push(`info:${c.name}:${c.confidence}`);
  if (r.peelStep) f.push('peel-step');
  return f;
}
