// One plain sentence per change heuristic for `btctrace tx`: which output it names as change
// and why, or why it names none. A heuristic names an output only when exactly one output is
// left that it cannot rule out; several left means it cannot tell.
import type { Tx } from '../../model/tx.js';
import { formatBtc } from '../../output/amount.js';
import { spendableVouts } from './heuristic.js';

export interface ChangeVerdict {
  name: string;
  candidates: number[];
  missing: string[];
}

interface Reasons {
  /** Why the candidates could be change (said of the one named, or of the several left). */
  could: (tx: Tx) => string;
  /** Why no output could be. */
  none: (tx: Tx) => string;
}

const inputTypes = (tx: Tx) => [...new Set(tx.vin.flatMap((i) => (i.prevout ? [i.prevout.scriptType] : [])))];
const smallestInput = (tx: Tx) =>
  formatBtc(Math.min(...tx.vin.map((i) => i.prevout?.value ?? Number.MAX_SAFE_INTEGER)));

const REASONS: Record<string, Reasons> = {
  'address-reuse': {
    could: () => 'pays back an address that is also an input (wallets send change to themselves)',
    none: () => 'no output pays an input address',
  },
  'address-type': {
    could: (tx) =>
      `has the inputs' script type (${inputTypes(tx).join(', ')}), as change from the same wallet would`,
    none: (tx) =>
      inputTypes(tx).length === 1
        ? `no output has the inputs' script type (${inputTypes(tx)[0]})`
        : `the inputs mix script types (${inputTypes(tx).join(', ')}), so type says nothing`,
  },
  'optimal-change': {
    could: (tx) =>
      `is smaller than every input (smallest input ${smallestInput(tx)} BTC): a wallet would not have added that input to pay it`,
    none: (tx) => `no output is smaller than the smallest input (${smallestInput(tx)} BTC)`,
  },
  'round-number': {
    could: () => 'is not a round amount (not a multiple of 0.01 BTC); payments usually are',
    none: () => 'every output is a round amount (a multiple of 0.01 BTC)',
  },
  'fresh-address': {
    could: () => 'pays an address never paid before this transaction (wallets use a new address for change)',
    none: () => 'every output address was paid before',
  },
  locktime: {
    could: (tx) =>
      `is unspent, or spent by a transaction that ${tx.locktime > 0 ? 'sets' : 'does not set'} nLockTime as this one does (the same wallet habit)`,
    none: (tx) =>
      `every output is spent by a transaction that ${tx.locktime > 0 ? 'does not set' : 'sets'} nLockTime, unlike this one`,
  },
  'peel-chain': {
    could: () => 'continues the peel chain (unspent, or spent by another 1-input, 2-output step)',
    none: (tx) =>
      tx.vin.length === 1 && tx.vout.length === 2
        ? 'no output continues a peel chain (no 1-input, 2-output step before or after it)'
        : 'not a peel step (that needs 1 input and 2 outputs)',
  },
};

/** ChangeContext lookups in words (internal names never reach the analyst). */
const LOOKUP_WORDS: Record<string, string> = {
  isFreshAddress: "the output addresses' histories",
  getTx: 'the parent and spending transactions',
  spenderOf: 'who spent each output',
};

function outputList(vouts: number[]): string {
  const names = vouts.map((v) => `${v}`);
  if (names.length <= 1) return `output ${names.join('')}`;
  return `outputs ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]!}`;
}

/** "round-number: output 1 (0.0123 BTC to bc1q…) is change: it is not a round amount ..." */
export function explainChange(tx: Tx, v: ChangeVerdict): string {
  const r = REASONS[v.name];
  if (v.missing.length > 0)
    return `${v.name}: not run (it needs ${v.missing.map((m) => LOOKUP_WORDS[m] ?? m).join(' and ')}, which this run did not read)`;
  if (spendableVouts(tx).length < 2) return `${v.name}: no finding (fewer than two outputs with an address)`;
  if (v.candidates.length === 1) {
    const n = v.candidates[0]!;
    const o = tx.vout[n]!;
    return `${v.name}: names output ${n} (${formatBtc(o.value)} BTC to ${o.address ?? '?'}) as change: it is the only output that ${r ? r.could(tx) : 'could be change'}`;
  }
  if (v.candidates.length === 0)
    return `${v.name}: no finding: ${r ? r.none(tx) : 'no output could be change'}`;
  return `${v.name}: cannot tell between ${outputList(v.candidates)}: each of them ${r ? r.could(tx) : 'could be change'}`;
}
