// `btctrace tx <txid>`: one transaction with its inputs, outputs, fee, fee rate and every
// finding that fired: CoinJoin detectors by name, peel step, likely change by heuristic.
import { plural } from '../output/summary.js';
import { fittedTable, terminalWidth } from '../output/fit.js';
import { FULL_WIDTH, shortMiddle } from '../output/table.js';
import {
  CHANGE_HEURISTICS,
  evaluateChange,
  isPeelingChain,
  looksLikePeelStep,
  spendableVouts,
  type ChangeContext,
} from '../cluster/change/index.js';
import {
  assessCoinJoin,
  INFORMATIONAL_DETECTORS,
  postMixFindings,
  type CoinJoinFinding,
} from '../cluster/coinjoin/index.js';
import { InputError } from '../model/errors.js';
import { isTxid } from '../model/seed.js';
import { outputSum, type Outspend, type Tx } from '../model/tx.js';
import type { ChainSource } from '../sources/source.js';
import { formatBtc } from '../output/amount.js';
import { formatTime } from '../output/time.js';
import type { LabelBook } from '../labels/label.js';
import { labelFields, labelText } from '../output/label-cells.js';
import { commandBook } from './label-book.js';
import type { IO } from './io.js';
import { commandMeta } from './command-meta.js';
import { deliver, outputTarget } from './output-target.js';
import { changeNames, flagsOf, lookupAll, txCsv, txJsonDoc, txJsonl } from './tx-formats.js';
import {
  describeSourceRequest,
  openSourceHandle,
  sourceRequest,
  type SourceRequest,
} from './source-options.js';
import { parseChangeHeuristicNames } from '../cluster/change/index.js';
import { explainChange } from '../cluster/change/explain.js';
import { fiatRequest, openPricer } from './fiat.js';
import { fiatMeta, valueItems, type FiatValues } from '../prices/fiat.js';
import { safeCells } from '../output/escape.js';
import { checkSpenders } from '../sources/spenders.js';
import type { RunMeta } from '../output/meta.js';

export interface TxReport {
  tx: Tx;
  outspends: Outspend[] | null;
  /** vsize in vbytes (weight / 4, rounded up) and fee rate in sat/vB with two decimals. */
  vsize: number;
  feeRate: number;
  /** CoinJoin, tx0 and post-mix findings (post-mix only for parents that were read), with confidence and reason. */
  coinjoin: CoinJoinFinding[];
  /** Detectors outside the default set that fired (shown, never used to stop or unlink). */
  informational: CoinJoinFinding[];
  peelStep: boolean;
  /** Per heuristic: outputs it cannot rule out as change (one = a finding). */
  change: { name: string; candidates: number[]; missing: string[] }[];
  source: string;
}

/** Reads the transaction, its outspends, and what the heuristics need (parents, spenders, histories). */
export async function txReport(
  source: ChainSource,
  txid: string,
  heuristics: readonly string[],
  where: string,
): Promise<TxReport> {
  const [tx, claimed] = await Promise.all([source.getTx(txid), source.getOutspends(txid).catch(() => null)]);
  // "spent by S" is shown only once S is read and spends the output (src/sources/spenders.ts).
  const outspends = claimed && (await checkSpenders(source, tx.txid, claimed)).outspends;
  const txs = new Map<string, Tx>([[tx.txid, tx]]);
  // parents and spenders only for the peel-chain check, which looks one step either way
  if (looksLikePeelStep(tx)) {
    const related = [
      tx.vin[0]?.coinbase ? null : tx.vin[0]!.txid,
      ...(outspends ?? []).map((o) => o.txid),
    ].filter((t): t is string => typeof t === 'string');
    for (const r of await Promise.all(related.map((t) => source.getTx(t).catch(() => null))))
      if (r) txs.set(r.txid, r);
  }
  // fresh-address needs each output address's history: its first transaction
  const firstSeen = new Map<string, string | undefined>();
  if (heuristics.includes('fresh-address')) {
    const addrs = [...new Set(tx.vout.map((o) => o.address).filter((a): a is string => a !== null))];
    const hist = await Promise.all(addrs.map((a) => source.getAddressHistory(a, 500).catch(() => null)));
    addrs.forEach((a, i) => {
      const h = hist[i];
      firstSeen.set(a, h && h.complete ? h.txs[h.txs.length - 1]?.txid : undefined);
    });
  }
  const ctx: ChangeContext = {
    getTx: (t) => txs.get(t),
    spenderOf: (t, vout) => {
      if (t !== tx.txid || !outspends) return undefined;
      const o = outspends[vout];
      if (!o) return undefined;
      return o.spent ? (o.txid ? txs.get(o.txid) : undefined) : null;
    },
    isFreshAddress: (a, t) => {
      const first = firstSeen.get(a);
      return first === undefined ? undefined : first === t;
    },
  };
  const vsize = Math.ceil(tx.weight / 4);
  return {
    tx,
    outspends,
    vsize,
    feeRate: vsize > 0 ? Math.round((tx.fee / vsize) * 100) / 100 : 0,
    coinjoin: [...assessCoinJoin(tx), ...postMixFindings(tx, txs, assessCoinJoin)],
    informational: assessCoinJoin(tx, INFORMATIONAL_DETECTORS).filter((f) => f.kind === 'coinjoin'),
    peelStep: isPeelingChain(tx, ctx),
    change: spendableVouts(tx).length >= 2 ? evaluateChange(tx, ctx, heuristics) : [],
    source: where,
  };
}

/** With --fiat: every input (in:N), output (out:N) and the fee valued at the block time. */
export function txFiatItems(tx: Tx) {
  const at = tx.status.confirmed ? tx.status.time : null;
  return [
    ...tx.vin.map((i, n) => ({
      key: `in:${n}`,
      valueSat: i.prevout?.value ?? 0,
      taintedSat: null,
      blockTime: at,
    })),
    ...tx.vout.map((o, n) => ({ key: `out:${n}`, valueSat: o.value, taintedSat: null, blockTime: at })),
    { key: 'fee', valueSat: tx.fee, taintedSat: null, blockTime: at },
  ];
}

export function renderTxReport(
  r: TxReport,
  book: LabelBook,
  format: 'table' | 'json',
  color: boolean,
  fiat?: FiatValues,
  meta: RunMeta | null = null,
  /** Table: the terminal width to fit (fit.ts); null = --wide, full ids. */
  width: number | null = null,
): string {
  const { tx } = r;
  const found = lookupAll(r, book);
  const labelOf = (a: string | null | undefined) => labelFields(a ? found.get(a) : undefined);
  const changeOf = (vout: number) => changeNames(r, vout);
  if (format === 'json') return `${JSON.stringify(txJsonDoc(r, book, meta, fiat), null, 2)}\n`;
  const style = color ? {} : { head: [], border: [] };
  const cur = fiat ? [fiat.currency] : [];
  const money = (key: string) =>
    fiat ? [{ content: fiat.cells.get(key)!.fiat_value, hAlign: 'right' as const }] : [];
  // width null (--wide): full ids; otherwise ids shortened in the middle and labels wrapped
  const short = width !== null && width < FULL_WIDTH;
  const id = (t: string) => (short ? shortMiddle(t, 8, 4) : t);
  const addr = (a: string) => (short && a.length > 20 ? shortMiddle(a, 10, 6) : a);
  const insHead = ['vin', 'from', 'address', 'BTC', ...cur, 'type', 'label'];
  const ins = tx.vin.map((i, n) => {
    return safeCells([
      n,
      i.coinbase ? 'coinbase' : `${id(i.txid)}:${i.vout}`,
      addr(i.prevout?.address ?? ''),
      { content: formatBtc(i.prevout?.value ?? 0), hAlign: 'right' as const },
      ...money(`in:${n}`),
      i.prevout?.scriptType ?? '',
      labelText(labelOf(i.prevout?.address)),
    ]);
  });
  const outsHead = ['vout', 'address', 'BTC', ...cur, 'type', 'spent by', 'label', 'likely change'];
  const outs = tx.vout.map((o, n) => {
    const os = r.outspends?.[n];
    return safeCells([
      n,
      o.address ? addr(o.address) : `(${o.scriptType})`,
      { content: formatBtc(o.value), hAlign: 'right' as const },
      ...money(`out:${n}`),
      o.scriptType,
      os ? (os.spent ? (os.txid ? id(os.txid) : 'spent') : 'unspent') : '?',
      labelText(labelOf(o.address)),
      changeOf(n).join(', '),
    ]);
  });
  const wrapLast = (head: string[], last: number) => head.map((_, k) => k >= head.length - last);
  const when = tx.status.confirmed
    ? `block ${tx.status.height} at ${tx.status.time === null ? '?' : formatTime(tx.status.time)}`
    : 'unconfirmed';
  const flags = flagsOf(r);
  const fee = fiat?.cells.get('fee');
  const fiatLine = fee
    ? [
        `${fiat!.currency}: price ${fee.price} at ${fee.price_time} (${fee.price_source}); fee ${fee.fiat_value}`,
      ]
    : [];
  return [
    `transaction ${tx.txid}`,
    `${when}; ${plural(tx.vin.length, 'input')}, ${plural(tx.vout.length, 'output')}; ${formatBtc(outputSum(tx))} BTC out`,
    `fee ${tx.fee} sat (${formatBtc(tx.fee)} BTC), ${r.vsize} vB, ${r.feeRate.toFixed(2)} sat/vB`,
    `flags: ${flags.length ? flags.join(', ') : 'none'}`,
    ...fiatLine,
    ...[...r.coinjoin, ...r.informational].map((f) => `  ${f.name} (${f.confidence}): ${f.reason}`),
    ...changeLines(r),
    '',
    fittedTable(insHead, ins, wrapLast(insHead, 1), style, width),
    fittedTable(outsHead, outs, wrapLast(outsHead, 2), style, width),
    `source: ${r.source}`,
    '',
  ].join('\n');
}

/** The change findings in words: one line per heuristic that ran (evidence, not proof). */
function changeLines(r: TxReport): string[] {
  if (r.change.length === 0)
    return spendableVouts(r.tx).length < 2
      ? ['change: none to find (fewer than two outputs with an address)']
      : [];
  return [
    'change (each heuristic is evidence to weigh, not proof):',
    ...r.change.map((v) => `  ${explainChange(r.tx, v)}`),
  ];
}

export async function runTxCommand(
  input: string,
  opts: Record<string, unknown>,
  io: IO,
  openSource?: (req: SourceRequest) => ChainSource,
  argv: string[] = [],
): Promise<number> {
  const txid = input.trim().toLowerCase();
  if (!isTxid(txid)) throw new InputError(`${input}: not a txid (64 hex characters)`);
  const req = sourceRequest(opts);
  const target = outputTarget(opts, ['table', 'csv', 'json', 'jsonl'] as const, 'table');
  const heuristics =
    typeof opts.changeHeuristics === 'string'
      ? parseChangeHeuristicNames(opts.changeHeuristics)
      : CHANGE_HEURISTICS.map((h) => h.name).filter((n) => n !== 'fresh-address'); // fresh-address costs a history per output
  const book = commandBook(opts, req.network);
  const fiatReq = fiatRequest(opts);
  const startedAt = io.now();
  const handle = await openSourceHandle(req, io, openSource);
  try {
    const source = handle.source;
    const pricer = fiatReq ? openPricer(fiatReq, req, handle.transport) : null;
    const [report, tip] = await Promise.all([
      txReport(source, txid, heuristics, describeSourceRequest(req)),
      source.getTipHeight().catch(() => null),
    ]);
    const fiat = pricer ? await valueItems(pricer, txFiatItems(report.tx), io.now()) : undefined;
    const meta = commandMeta({
      argv,
      options: {
        format: target.format,
        output: target.output,
        changeHeuristics: heuristics,
        tags: opts.tags,
      },
      req,
      tip,
      startedAt,
      io,
      conventions: `CoinJoin detectors by name with confidence; change heuristics (${heuristics.join(', ')}) name an output only when exactly one is left that they cannot rule out`,
      requests: source.stats().requests,
    });
    if (fiat) meta.fiat = fiatMeta(fiat);
    const color = target.output === null && io.stdoutIsTTY && !io.env.NO_COLOR;
    const text =
      target.format === 'csv'
        ? txCsv(report, book, fiat)
        : target.format === 'jsonl'
          ? txJsonl(txJsonDoc(report, book, meta, fiat))
          : renderTxReport(
              report,
              book,
              target.format,
              color,
              fiat,
              meta,
              opts.wide === true ? null : terminalWidth(io),
            );
    const counts = { inputs: report.tx.vin.length, outputs: report.tx.vout.length, ...handle.counts() };
    await deliver(target, text, meta, counts, io, opts.quiet === true);
    return 0;
  } finally {
    handle.close();
  }
}
