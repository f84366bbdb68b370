// Where the seed taint ended up (forward) or where the traced amount came from (backward): every
// row at which the flow ends, grouped, plus fees, adding up to the seed taint. Summing taint by
// status across hops counts the same money once per hop it passes, so the totals are built from
// the flow's endpoints only.
//
// All figures are the printed (rounded) per-row values, so a reader can check each line against
// the CSV. Under haircut those rounded values need not add up to the rounded seed taint; the
// difference is an explicit "rounding" line. Under poison an output counts in full whenever taint
// touched it, so the lines overstate and are not expected to add up (no balancing line is made).

import type { FlowRow, TraceResult } from '../trace/result.js';
import { roundSat } from './amount.js';
import { sortRows, sortTxs } from '../trace/order.js';
import { labelName } from './summary.js';

export interface ConservationLine {
  /** Machine key: "labelled", "unspent", "hop-limit", "below-min", "not-followed", "coinbase", "fees", "rounding", "unaccounted". */
  kind: string;
  /** What a reader sees, e.g. "ExchangeY (exchange), stopped". */
  label: string;
  outputs: number;
  sat: number;
}

export interface Conservation {
  seedSat: number;
  lines: ConservationLine[];
  /** Sum of the lines (equals seedSat except under poison). */
  totalSat: number;
  /** True under poison: the lines overstate and do not add up to the seed taint. */
  overstated: boolean;
}

/** Is this row one where the flow stops (nothing of it is carried on by another row)? */
function endpoint(row: FlowRow, result: TraceResult, followed: Set<string>): boolean {
  if (row.status === 'spent') return false;
  if (row.status !== 'seed') return true;
  // A seed ends the flow when its next transaction is not in the trace (unspent seed, --hops 0).
  const next = result.direction === 'forward' ? row.spentBy : row.txid;
  return next === null || !followed.has(next);
}

function kindOf(row: FlowRow): string {
  if (labelName(row.label, row.category) !== null) return 'labelled';
  switch (row.status) {
    case 'stopped':
      return 'stopped';
    case 'seed':
      return 'unspent';
    case 'error':
    case 'truncated':
      return 'not-followed';
    default:
      return row.status;
  }
}

const KIND_TEXT: Record<string, string> = {
  stopped: 'stopped (CoinJoin or stop rule), unlabelled',
  unspent: 'unspent, unlabelled',
  'hop-limit': 'still moving at the hop limit',
  'below-min': 'below --min-sat, not followed',
  'not-followed': 'not followed: error or limit (see notes)',
  coinbase: 'newly mined coins (coinbase)',
};
const KIND_ORDER = ['labelled', 'stopped', 'unspent', 'coinbase', 'hop-limit', 'below-min', 'not-followed'];

export function conservation(result: TraceResult): Conservation {
  const followed = new Set<string>();
  if (result.direction === 'forward') for (const tx of result.txs) followed.add(tx.txid);
  else for (const r of result.rows) if (r.spentBy !== null && r.status !== 'seed') followed.add(r.spentBy);

  const groups = new Map<string, ConservationLine>();
  for (const row of sortRows(result.rows)) {
    if (!endpoint(row, result, followed)) continue;
    const kind = kindOf(row);
    const name = labelName(row.label, row.category);
    const text =
      result.direction === 'backward' && kind === 'hop-limit'
        ? 'earlier history not traced (hop limit)'
        : KIND_TEXT[kind];
    const label =
      kind === 'labelled' ? `${name!}, ${row.status === 'seed' ? 'unspent' : row.status}` : (text ?? kind);
    const key = `${kind}\u0000${label}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { kind, label, outputs: 0, sat: 0 }));
    g.outputs++;
    g.sat += roundSat(row.taintedSat);
  }
  const lines = [...groups.values()].sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      b.sat - a.sat ||
      (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
  );
  let fees = 0;
  let feeTxs = 0;
  for (const tx of sortTxs(result.txs)) {
    const f = roundSat(tx.feeTainted);
    if (f > 0) feeTxs++;
    fees += f;
  }
  if (fees > 0) {
    const txs = feeTxs === 1 ? '1 transaction' : `${feeTxs} transactions`;
    lines.push({ kind: 'fees', label: `paid as fees to miners (${txs})`, outputs: 0, sat: fees });
  }

  const seedSat = roundSat(result.seedTotal);
  const overstated = result.model === 'poison';
  let totalSat = lines.reduce((a, l) => a + l.sat, 0);
  const rest = seedSat - totalSat;
  if (!overstated && rest !== 0) {
    lines.push({
      kind: result.model === 'haircut' ? 'rounding' : 'unaccounted',
      label:
        result.model === 'haircut' ? 'rounding (sum of per-output roundings)' : 'unaccounted (see warnings)',
      outputs: 0,
      sat: rest,
    });
    totalSat = seedSat;
  }
  return { seedSat, lines, totalSat, overstated };
}
