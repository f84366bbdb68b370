// `btctrace tx <txid>`: one transaction with its inputs, outputs, fee, fee rate and every
// finding that fired: CoinJoin detectors by name, peel step, likely change by heuristic.
import { plural } from '../output/summary.js';
import Table from 'cli-table3';
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
import { labelFields, labelJson, labelText } from '../output/label-cells.js';
import { commandBook } from './label-book.js';
import type { IO } from './io.js';
import { optString, parseChoice } from './parse.js';
import {
  describeSourceRequest,
  openSourceHandle,
  sourceRequest,
  type SourceRequest,
} from './source-options.js';
import { parseChangeHeuristicNames } from '../cluster/change/index.js';
import { fiatRequest, openPricer } from './fiat.js';
import { fiatMeta, FIAT_COLUMNS, valueItems, type FiatValues } from '../prices/fiat.js';
import { safeCells } from '../output/escape.js';
import { checkSpenders } from '../sources/spenders.js';

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
): string {
  const { tx } = r;
  const fiatOf = (key: string) => {
    const c = fiat?.cells.get(key);
    return c
      ? Object.fromEntries(FIAT_COLUMNS.filter((k) => k !== 'fiat_tainted').map((k) => [k, c[k]]))
      : {};
  };
  // one lookup for every address of the transaction
  const found = book.lookup([
    ...tx.vin.flatMap((i) => (i.prevout?.address ? [i.prevout.address] : [])),
    ...tx.vout.flatMap((o) => (o.address ? [o.address] : [])),
  ]);
  const labelOf = (a: string | null | undefined) => labelFields(a ? found.get(a) : undefined);
  const changeOf = (vout: number) =>
    r.change.filter((h) => h.candidates.length === 1 && h.candidates[0] === vout).map((h) => h.name);
  if (format === 'json') {
    return (
      JSON.stringify(
        {
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
            label: labelJson(labelOf(i.prevout?.address)),
            ...fiatOf(`in:${n}`),
          })),
          outputs: tx.vout.map((o, n) => ({
            vout: n,
            address: o.address,
            value_sat: o.value,
            script_type: o.scriptType,
            spent_by: r.outspends?.[n]?.txid ?? null,
            label: labelJson(labelOf(o.address)),
            likely_change: changeOf(n),
            ...fiatOf(`out:${n}`),
          })),
          flags: flagsOf(r),
          coinjoin_findings: [...r.coinjoin, ...r.informational],
          change_heuristics: r.change,
          source: r.source,
          ...(fiat && { fee_fiat_value: fiat.cells.get('fee')!.fiat_value, fiat: fiatMeta(fiat) }),
        },
        null,
        2,
      ) + '\n'
    );
  }
  const style = color ? {} : { head: [], border: [] };
  const cur = fiat ? [fiat.currency] : [];
  const money = (key: string) =>
    fiat ? [{ content: fiat.cells.get(key)!.fiat_value, hAlign: 'right' as const }] : [];
  const ins = new Table({ head: ['vin', 'from', 'address', 'BTC', ...cur, 'type', 'label'], style });
  tx.vin.forEach((i, n) => {
    ins.push(
      safeCells([
        n,
        i.coinbase ? 'coinbase' : `${i.txid}:${i.vout}`,
        i.prevout?.address ?? '',
        { content: formatBtc(i.prevout?.value ?? 0), hAlign: 'right' },
        ...money(`in:${n}`),
        i.prevout?.scriptType ?? '',
        labelText(labelOf(i.prevout?.address)),
      ]),
    );
  });
  const outs = new Table({
    head: ['vout', 'address', 'BTC', ...cur, 'type', 'spent by', 'label', 'likely change'],
    style,
  });
  tx.vout.forEach((o, n) => {
    const os = r.outspends?.[n];
    outs.push(
      safeCells([
        n,
        o.address ?? `(${o.scriptType})`,
        { content: formatBtc(o.value), hAlign: 'right' },
        ...money(`out:${n}`),
        o.scriptType,
        os ? (os.spent ? (os.txid ?? 'spent') : 'unspent') : '?',
        labelText(labelOf(o.address)),
        changeOf(n).join(', '),
      ]),
    );
  });
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
    '',
    ins.toString(),
    outs.toString(),
    `source: ${r.source}`,
    '',
  ].join('\n');
}

function flagsOf(r: TxReport): string[] {
  // "coinjoin:whirlpool:definite", "tx0:whirlpool:likely", "post-mix:wasabi2:likely", "info:esplora:possible"
  const f = r.coinjoin.map((c) => `${c.kind === 'coinjoin' ? 'coinjoin:' : ''}${c.name}:${c.confidence}`);
  for (const c of r.informational) f.push(`info:${c.name}:${c.confidence}`);
  if (r.peelStep) f.push('peel-step');
  return f;
}

export async function runTxCommand(
  input: string,
  opts: Record<string, unknown>,
  io: IO,
  openSource?: (req: SourceRequest) => ChainSource,
): Promise<number> {
  const txid = input.trim().toLowerCase();
  if (!isTxid(txid)) throw new InputError(`${input}: not a txid (64 hex characters)`);
  const req = sourceRequest(opts);
  const format = parseChoice('--format', optString(opts, 'format', 'table'), ['table', 'json'] as const);
  const heuristics =
    typeof opts.changeHeuristics === 'string'
      ? parseChangeHeuristicNames(opts.changeHeuristics)
      : CHANGE_HEURISTICS.map((h) => h.name).filter((n) => n !== 'fresh-address'); // fresh-address costs a history per output
  const book = commandBook(opts, req.network);
  const fiatReq = fiatRequest(opts);
  const handle = await openSourceHandle(req, io, openSource);
  try {
    const source = handle.source;
    const pricer = fiatReq ? openPricer(fiatReq, req, handle.transport) : null;
    const report = await txReport(source, txid, heuristics, describeSourceRequest(req));
    const fiat = pricer ? await valueItems(pricer, txFiatItems(report.tx), io.now()) : undefined;
    io.stdout(renderTxReport(report, book, format, io.stdoutIsTTY && !io.env.NO_COLOR, fiat));
    return 0;
  } finally {
    handle.close();
  }
}
