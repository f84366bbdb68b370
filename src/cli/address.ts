// `btctrace address <address>`: balance, totals, first/last seen, transaction count.
import { checkAddress, normalizeAddress } from '../model/address.js';
import type { AddressStats, Tx } from '../model/tx.js';
import type { ChainSource } from '../sources/source.js';
import { formatBtc } from '../output/amount.js';
import { formatTime } from '../output/time.js';
import type { Label } from '../labels/label.js';
import { labelFields, labelText } from '../output/label-cells.js';
import { safeText } from '../output/table.js';
import { commandBook } from './label-book.js';

const isoTime = (t: number | null): string | null => (t === null ? null : formatTime(t));
import type { IO } from './io.js';
import { fiatRequest, openPricer } from './fiat.js';
import { fiatMeta, valueItems, type FiatValues } from '../prices/fiat.js';
import { optString, parseIntOption } from './parse.js';
import { stringify } from 'csv-stringify/sync';
import { guardText } from '../output/csv.js';
import { metaJson, type RunMeta } from '../output/meta.js';
import { commandMeta } from './command-meta.js';
import { deliver, outputTarget } from './output-target.js';
import { safeLines } from '../output/escape.js';
import {
  sourceRequest,
  describeSourceRequest,
  openSourceHandle,
  type SourceRequest,
} from './source-options.js';

export interface AddressReport {
  address: string;
  type: string;
  balanceSat: number;
  confirmedBalanceSat: number;
  receivedSat: number;
  sentSat: number;
  txCount: number;
  unconfirmedTxCount: number;
  firstSeen: { txid: string; height: number | null; time: number | null } | null;
  lastSeen: { txid: string; height: number | null; time: number | null } | null;
  /** False when the history was longer than --max-address-txs: first seen is then unknown. */
  historyComplete: boolean;
  source: string;
}

export async function addressReport(
  address: string,
  type: string,
  source: ChainSource,
  maxTxs: number,
  where: string,
): Promise<AddressReport> {
  const [stats, history] = await Promise.all([
    source.getAddressStats(address),
    source.getAddressHistory(address, maxTxs),
  ]);
  return buildReport(address, type, stats, history.txs, history.complete, where);
}

function buildReport(
  address: string,
  type: string,
  s: AddressStats,
  txs: Tx[],
  complete: boolean,
  where: string,
): AddressReport {
  const seen = (tx: Tx | undefined) =>
    tx ? { txid: tx.txid, height: tx.status.height, time: tx.status.time } : null;
  const confirmed = s.chain.fundedTxoSum - s.chain.spentTxoSum;
  return {
    address,
    type,
    balanceSat: confirmed + s.mempool.fundedTxoSum - s.mempool.spentTxoSum,
    confirmedBalanceSat: confirmed,
    receivedSat: s.chain.fundedTxoSum + s.mempool.fundedTxoSum,
    sentSat: s.chain.spentTxoSum + s.mempool.spentTxoSum,
    txCount: s.chain.txCount + s.mempool.txCount,
    unconfirmedTxCount: s.mempool.txCount,
    // histories are newest first
    lastSeen: seen(txs[0]),
    firstSeen: complete ? seen(txs[txs.length - 1]) : null,
    historyComplete: complete,
    source: where,
  };
}

/** The JSON document of `address --format json` (one line of it for jsonl). */
export function addressJsonDoc(
  r: AddressReport,
  fiat?: FiatValues,
  meta: RunMeta | null = null,
  labels: readonly Label[] = [],
): Record<string, unknown> {
  const value = fiat?.cells.get('balance');
  return {
    ...(meta && { meta: metaJson(meta) }),
    address: r.address,
    type: r.type,
    balance_sat: r.balanceSat,
    confirmed_balance_sat: r.confirmedBalanceSat,
    received_sat: r.receivedSat,
    sent_sat: r.sentSat,
    tx_count: r.txCount,
    unconfirmed_tx_count: r.unconfirmedTxCount,
    first_seen: r.firstSeen && {
      txid: r.firstSeen.txid,
      block_height: r.firstSeen.height,
      block_time: isoTime(r.firstSeen.time),
    },
    last_seen: r.lastSeen && {
      txid: r.lastSeen.txid,
      block_height: r.lastSeen.height,
      block_time: isoTime(r.lastSeen.time),
    },
    history_complete: r.historyComplete,
    labels: labels.map((l) => ({
      label: l.label,
      category: l.category,
      abuse: l.abuse,
      actor: l.actor,
      confidence: l.confidence,
      source: l.source,
      list: l.list,
      list_date: l.listDate,
    })),
    source: r.source,
    ...(value && { balance_fiat_value: value.fiat_value, fiat: fiatMeta(fiat!) }),
  };
}

export function renderAddress(
  r: AddressReport,
  format: 'table' | 'json',
  fiat?: FiatValues,
  meta: RunMeta | null = null,
  labels: readonly Label[] = [],
): string {
  const value = fiat?.cells.get('balance');
  if (format === 'json') return `${JSON.stringify(addressJsonDoc(r, fiat, meta, labels), null, 2)}\n`;
  const when = (x: AddressReport['firstSeen']) =>
    x
      ? `${isoTime(x.time) ?? 'unconfirmed'} (block ${x.height ?? '-'}, tx ${x.txid})`
      : 'unknown (history longer than --max-address-txs)';
  const lines = [
    ['address', `${r.address} (${r.type})`],
    [
      'balance',
      `${formatBtc(r.balanceSat)} BTC (${r.balanceSat} sat; confirmed ${formatBtc(r.confirmedBalanceSat)} BTC)`,
    ],
    ...(value
      ? [
          [
            `balance ${value.fiat_currency}`,
            `${value.fiat_value} at the run time (price ${value.price} at ${value.price_time}, ${value.price_source})`,
          ],
        ]
      : []),
    ['received', `${formatBtc(r.receivedSat)} BTC`],
    ['sent', `${formatBtc(r.sentSat)} BTC`],
    ['transactions', `${r.txCount}${r.unconfirmedTxCount ? ` (${r.unconfirmedTxCount} unconfirmed)` : ''}`],
    ['first seen', when(r.firstSeen)],
    ['last seen', r.lastSeen ? when(r.lastSeen) : 'never'],
    ...labels.map((l) => [
      'label',
      safeText(
        `${labelText(labelFields([l]))}; confidence ${l.confidence ?? 'unknown'}; ${l.source ?? l.list}`,
      ),
    ]),
    ['source', r.source],
  ];
  return safeLines(lines.map(([k, v]) => `${k!.padEnd(13)}${v}`).join('\n') + '\n');
}

/** One row: the address and its figures (first and last seen flattened into columns). */
export function addressCsv(r: AddressReport, fiat?: FiatValues, labels: readonly Label[] = []): string {
  const value = fiat?.cells.get('balance');
  const seen = (x: AddressReport['firstSeen']) => [
    x?.txid ?? '',
    x?.height ?? '',
    isoTime(x?.time ?? null) ?? '',
  ];
  const header = [
    'address',
    'type',
    'balance_sat',
    'balance_btc',
    'confirmed_balance_sat',
    'received_sat',
    'sent_sat',
    'tx_count',
    'unconfirmed_tx_count',
    'first_seen_txid',
    'first_seen_block_height',
    'first_seen_block_time',
    'last_seen_txid',
    'last_seen_block_height',
    'last_seen_block_time',
    'history_complete',
    'label',
    'category',
    'abuse',
    'label_confidence',
    'label_source',
    'source',
    ...(value ? ['fiat_currency', 'price', 'price_time', 'price_source', 'balance_fiat_value'] : []),
  ];
  const row = [
    r.address,
    r.type,
    r.balanceSat,
    formatBtc(r.balanceSat),
    r.confirmedBalanceSat,
    r.receivedSat,
    r.sentSat,
    r.txCount,
    r.unconfirmedTxCount,
    ...seen(r.firstSeen),
    ...seen(r.lastSeen),
    r.historyComplete ? 'true' : 'false',
    // the best label; JSON lists them all
    guardText(labels[0]?.label ?? ''),
    guardText(labels[0]?.category ?? ''),
    guardText(labels[0]?.abuse ?? ''),
    labels[0]?.confidence ?? '',
    guardText(labels[0]?.source ?? ''),
    guardText(r.source),
    ...(value
      ? [value.fiat_currency, value.price, value.price_time, guardText(value.price_source), value.fiat_value]
      : []),
  ];
  return stringify([header, row], { record_delimiter: '\n' });
}

export async function runAddressCommand(
  input: string,
  opts: Record<string, unknown>,
  io: IO,
  openSource?: (req: SourceRequest) => ChainSource,
  argv: string[] = [],
): Promise<number> {
  const req = sourceRequest(opts);
  const type = checkAddress(input.trim(), req.network);
  const address = normalizeAddress(input.trim());
  const target = outputTarget(opts, ['table', 'csv', 'json', 'jsonl'] as const, 'table');
  const maxTxs = parseIntOption('--max-address-txs', optString(opts, 'maxAddressTxs', '1000'), 1);
  const fiatReq = fiatRequest(opts);
  const labels = commandBook(opts, req.network).lookup([address]).get(address) ?? [];
  const startedAt = io.now();
  const handle = await openSourceHandle(req, io, openSource);
  try {
    const source = handle.source;
    const pricer = fiatReq ? openPricer(fiatReq, req, handle.transport) : null;
    const [report, tip] = await Promise.all([
      addressReport(address, type, source, maxTxs, describeSourceRequest(req)),
      source.getTipHeight().catch(() => null),
    ]);
    // A balance is "now": valued at the run's time (received/sent span many days; not valued).
    const now = Math.floor(io.now().getTime() / 1000);
    const fiat = pricer
      ? await valueItems(
          pricer,
          [{ key: 'balance', valueSat: report.balanceSat, taintedSat: null, blockTime: now }],
          io.now(),
        )
      : undefined;
    const meta = commandMeta({
      argv,
      options: { format: target.format, output: target.output, maxAddressTxs: maxTxs },
      req,
      tip,
      startedAt,
      io,
      conventions:
        'balance = funded minus spent outputs (confirmed, and with the mempool) as the explorer reported them at finished_at; first seen only when the whole history was read',
      requests: source.stats().requests,
    });
    if (fiat) meta.fiat = fiatMeta(fiat);
    const text =
      target.format === 'csv'
        ? addressCsv(report, fiat, labels)
        : target.format === 'jsonl'
          ? `${JSON.stringify(addressJsonDoc(report, fiat, meta, labels))}\n`
          : renderAddress(report, target.format, fiat, meta, labels);
    await deliver(
      target,
      text,
      meta,
      { tx_count: report.txCount, ...handle.counts() },
      io,
      opts.quiet === true,
    );
    return 0;
  } finally {
    handle.close();
  }
}
