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
import { optString, parseChoice, parseIntOption } from './parse.js';
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

export function renderAddress(
  r: AddressReport,
  format: 'table' | 'json',
  fiat?: FiatValues,
  labels: readonly Label[] = [],
): string {
  const value = fiat?.cells.get('balance');
  if (format === 'json') {
    return (
      JSON.stringify(
        {
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
        },
        null,
        2,
      ) + '\n'
    );
  }
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

export async function runAddressCommand(
  input: string,
  opts: Record<string, unknown>,
  io: IO,
  openSource?: (req: SourceRequest) => ChainSource,
): Promise<number> {
  const req = sourceRequest(opts);
  const type = checkAddress(input.trim(), req.network);
  const address = normalizeAddress(input.trim());
  const format = parseChoice('--format', optString(opts, 'format', 'table'), ['table', 'json'] as const);
  const maxTxs = parseIntOption('--max-address-txs', optString(opts, 'maxAddressTxs', '1000'), 1);
  const fiatReq = fiatRequest(opts);
  const labels = commandBook(opts, req.network).lookup([address]).get(address) ?? [];
  const handle = await openSourceHandle(req, io, openSource);
  try {
    const source = handle.source;
    const pricer = fiatReq ? openPricer(fiatReq, req, handle.transport) : null;
    const report = await addressReport(address, type, source, maxTxs, describeSourceRequest(req));
    // A balance is "now": valued at the run's time (received/sent span many days; not valued).
    const now = Math.floor(io.now().getTime() / 1000);
    const fiat = pricer
      ? await valueItems(
          pricer,
          [{ key: 'balance', valueSat: report.balanceSat, taintedSat: null, blockTime: now }],
          io.now(),
        )
      : undefined;
    io.stdout(renderAddress(report, format, fiat, labels));
    return 0;
  } finally {
    handle.close();
  }
}
