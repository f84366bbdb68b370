// CoinJoin detector benchmark over ../shared/realdata/coinjoin (real mainnet transactions with
// other projects' labels; SOURCES.md there). Prints agreement with those labels, not accuracy:
// per label class, how many transactions the default detectors flag (recall on CoinJoin classes,
// false-positive rate on the others), and per detector its precision and its recall on its own
// coordinator's class.
//
//   npx tsx test/bench/coinjoin-bench.ts [--dir ../shared/realdata/coinjoin] [--list <class>]
//
// Run by `npm run bench` too (run.ts), after the trace cases. Not a unit test: it reads 41 MB.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { DETECTORS, detectCoinJoin } from '../../src/cluster/coinjoin/index.js';
import type { Tx } from '../../src/model/tx.js';
import { parseTx } from '../../src/sources/parse.js';

const REPO = path.resolve(fileURLToPath(import.meta.url), '../../..');
export const DEFAULT_DIR = path.resolve(REPO, '../shared/realdata/coinjoin');

export interface LabelRow {
  txid: string;
  class: string;
  kind: string;
  strength: string;
  peerLabel: string;
}

/** RFC 4180 rows (quoted fields may hold commas, doubled quotes and newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let k = 0; k < text.length; k++) {
    const c = text[k]!;
    if (quoted) {
      if (c === '"') {
        if (text[k + 1] === '"') {
          field += '"';
          k++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[k + 1] === '\n') k++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The bench's class of a label: the coordinator for CoinJoins, what it is for the others. */
export function benchClass(l: LabelRow): string {
  if (l.class !== 'not-coinjoin')
    return l.class === 'coinjoin' ? `other-coordinator (${l.strength})` : l.class;
  if (l.kind === 'tx0') return 'tx0';
  if (l.kind === 'post-mix') {
    const list = /^Dumplings (\w+)PostMixTxs/.exec(l.peerLabel)?.[1] ?? '?';
    const coord: Record<string, string> = {
      Samourai: 'whirlpool',
      Wasabi2: 'wasabi2',
      Wasabi: 'wasabi1',
      OtherCoinJoin: 'other',
    };
    return `post-mix:${coord[list] ?? list}`;
  }
  const reason = /rules \("([^"]+)"/.exec(l.peerLabel)?.[1] ?? '?';
  return `jm-false-positive: ${reason}`;
}

export function isCoinJoinLabel(l: LabelRow): boolean {
  return l.class !== 'not-coinjoin';
}

export interface Labelled {
  tx: Tx;
  label: LabelRow;
}

/** Loads the set; the JSON lacks version, locktime, size, weight and sequences (SOURCES.md): neutral placeholders. */
export function loadSet(dir: string): Labelled[] {
  const rows = parseCsv(readFileSync(path.join(dir, 'labels.csv'), 'utf8'));
  const header = rows.shift()!.join(',');
  if (header !== 'txid,class,kind,strength,peer_label,source')
    throw new Error(`labels.csv: unexpected header ${header}`);
  const labels = new Map<string, LabelRow>();
  for (const r of rows) {
    if (r.length !== 6)
      throw new Error(`labels.csv: row with ${r.length} fields: ${r.join(',').slice(0, 80)}`);
    labels.set(r[0]!, { txid: r[0]!, class: r[1]!, kind: r[2]!, strength: r[3]!, peerLabel: r[4]! });
  }
  const lines = gunzipSync(readFileSync(path.join(dir, 'txs.jsonl.gz')))
    .toString('utf8')
    .trim()
    .split('\n');
  const out: Labelled[] = [];
  for (const line of lines) {
    const j = JSON.parse(line) as Record<string, unknown> & { vin: Record<string, unknown>[] };
    const filled = { version: 2, locktime: 0, size: 1, weight: 4, ...j };
    filled.vin = j.vin.map((i) => ({ sequence: 0xffffffff, ...i }));
    const tx = parseTx(filled, `txs.jsonl.gz ${String(j.txid)}`);
    const label = labels.get(tx.txid);
    if (!label) throw new Error(`labels.csv: no label for ${tx.txid}`);
    out.push({ tx, label });
  }
  if (out.length !== labels.size)
    throw new Error(`labels.csv has ${labels.size} rows, txs.jsonl.gz ${out.length}`);
  return out;
}

/** The label class each detector claims to find (its recall is measured there). */
const OWN_CLASS: Record<string, string> = {
  whirlpool: 'whirlpool',
  wasabi1: 'wasabi1',
  wasabi2: 'wabisabi',
  joinmarket: 'joinmarket',
};

export interface BenchReport {
  text: string;
  recallMin: number;
  fpRate: number;
}

const pct = (a: number, b: number): string => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(2)}%`);

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((x, c) => (c === 0 ? x.padEnd(w[c]!) : x.padStart(w[c]!))).join('  ');
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

export function runCoinJoinBench(set: readonly Labelled[]): BenchReport {
  const names = DETECTORS.map((d) => d.name);
  const byClass = new Map<string, { n: number; flagged: number; per: Map<string, number>; ids: string[] }>();
  const perDetector = new Map(names.map((n) => [n, { flagged: 0, onCoinJoin: 0 }]));
  let cj = 0;
  let cjHit = 0;
  let non = 0;
  let nonHit = 0;
  for (const { tx, label } of set) {
    const fired = detectCoinJoin(tx);
    const c = benchClass(label);
    let e = byClass.get(c);
    if (!e) byClass.set(c, (e = { n: 0, flagged: 0, per: new Map(), ids: [] }));
    e.n++;
    const isCj = isCoinJoinLabel(label);
    if (fired.length > 0) {
      e.flagged++;
      e.ids.push(tx.txid);
    }
    for (const f of fired) {
      e.per.set(f, (e.per.get(f) ?? 0) + 1);
      const d = perDetector.get(f)!;
      d.flagged++;
      if (isCj) d.onCoinJoin++;
    }
    if (isCj) {
      cj++;
      if (fired.length > 0) cjHit++;
    } else {
      non++;
      if (fired.length > 0) nonHit++;
    }
  }
  const classes = [...byClass.keys()].sort((a, b) => {
    const ca = byClass.get(a)!;
    const isA = !a.startsWith('tx0') && !a.startsWith('post-mix') && !a.startsWith('jm-false');
    const isB = !b.startsWith('tx0') && !b.startsWith('post-mix') && !b.startsWith('jm-false');
    return isA !== isB ? (isA ? -1 : 1) : a < b ? -1 : a > b ? 1 : ca.n - byClass.get(b)!.n;
  });
  let recallMin = 1;
  const classRows = classes.map((c) => {
    const e = byClass.get(c)!;
    const isCj = !c.startsWith('tx0') && !c.startsWith('post-mix') && !c.startsWith('jm-false');
    if (isCj) recallMin = Math.min(recallMin, e.flagged / e.n);
    return [
      c,
      isCj ? 'CoinJoin' : 'not',
      String(e.n),
      String(e.flagged),
      isCj ? `recall ${pct(e.flagged, e.n)}` : `FP ${pct(e.flagged, e.n)}`,
      ...names.map((n) => String(e.per.get(n) ?? 0)),
    ];
  });
  const detRows = names.map((n) => {
    const d = perDetector.get(n)!;
    const own = OWN_CLASS[n];
    const ownE = own ? byClass.get(own) : undefined;
    return [
      n,
      String(d.flagged),
      String(d.onCoinJoin),
      pct(d.onCoinJoin, d.flagged),
      own && ownE ? `${pct(ownE.per.get(n) ?? 0, ownE.n)} of ${own}` : '(generic)',
    ];
  });
  const text = [
    `CoinJoin detectors vs ../shared/realdata/coinjoin labels (agreement with Dumplings / crocs-muni, not accuracy): ${set.length} txs`,
    '',
    table(['class', 'label', 'n', 'flagged', 'rate', ...names], classRows),
    '',
    table(['detector', 'flagged', 'labelled CJ', 'precision', 'recall on own class'], detRows),
    '',
    `overall: recall ${pct(cjHit, cj)} (${cjHit}/${cj} labelled CoinJoins), false-positive rate ${pct(nonHit, non)} (${nonHit}/${non} non-CoinJoins)`,
  ].join('\n');
  return { text, recallMin, fpRate: nonHit / non };
}

function main(): void {
  const argv = process.argv.slice(2);
  const arg = (f: string) => {
    const i = argv.indexOf(f);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const dir = path.resolve(arg('--dir') ?? DEFAULT_DIR);
  if (!existsSync(path.join(dir, 'labels.csv'))) {
    process.stdout.write(`coinjoin bench: skipped, ${dir} is absent\n`);
    return;
  }
  const set = loadSet(dir);
  const list = arg('--list');
  if (list !== undefined) {
    for (const { tx, label } of set) {
      if (benchClass(label) === list && detectCoinJoin(tx).length > 0)
        process.stdout.write(`${tx.txid} ${detectCoinJoin(tx).join(',')}\n`);
    }
    return;
  }
  process.stdout.write(runCoinJoinBench(set).text + '\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
