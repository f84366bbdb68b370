// CoinJoin detector benchmark over ../shared/realdata/coinjoin (real mainnet transactions with
// other projects' labels; SOURCES.md there). Prints agreement with those labels, not accuracy:
// per label class, how many transactions the default detectors flag (recall on CoinJoin classes,
// false-positive rate on the others), and per detector its precision and its recall on its own
// coordinator's class.
//
//   npx tsx test/bench/coinjoin-bench.ts [--dir ../shared/realdata/coinjoin] [--veto likely] [--list <class>]
//
// Run by `npm run bench` too (run.ts), after the trace cases. Not a unit test: it reads 41 MB.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  assessCoinJoin,
  atLeast,
  DEFAULT_VETO,
  DETECTORS,
  parseVetoThreshold,
  postMixFindings,
  type CoinJoinFinding,
  type Confidence,
} from '../../src/cluster/coinjoin/index.js';
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
    filled.vin = j.vin.map((i) => ({ sequence: 0xffffffff, scriptsig: '', ...i }));
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

export interface Assessed {
  label: LabelRow;
  cls: string;
  txid: string;
  /** Detector names that veto at the threshold. */
  vetoes: string[];
  /** Detector names with a CoinJoin finding below the threshold. */
  weaker: string[];
  tx0: boolean;
  postMix: boolean;
}

/** Every transaction judged; parents for post-mix findings are the set's own transactions. */
export function assessSet(set: readonly Labelled[], threshold: Confidence = DEFAULT_VETO): Assessed[] {
  const parents = new Map(set.map((l) => [l.tx.txid, l.tx]));
  const cache = new Map<string, CoinJoinFinding[]>();
  const assess = (tx: Tx): CoinJoinFinding[] => {
    let f = cache.get(tx.txid);
    if (f === undefined) cache.set(tx.txid, (f = assessCoinJoin(tx)));
    return f;
  };
  return set.map(({ tx, label }) => {
    const f = assess(tx);
    const cj = f.filter((x) => x.kind === 'coinjoin');
    return {
      label,
      cls: benchClass(label),
      txid: tx.txid,
      vetoes: cj.filter((x) => atLeast(x.confidence, threshold)).map((x) => x.name),
      weaker: cj.filter((x) => !atLeast(x.confidence, threshold)).map((x) => x.name),
      tx0: f.some((x) => x.kind === 'tx0'),
      postMix: postMixFindings(tx, parents, assess, threshold).length > 0,
    };
  });
}

const isCjClass = (c: string): boolean =>
  !c.startsWith('tx0') && !c.startsWith('post-mix') && !c.startsWith('jm-false');

export function runCoinJoinBench(
  set: readonly Labelled[],
  threshold: Confidence = DEFAULT_VETO,
): BenchReport {
  const names = DETECTORS.map((d) => d.name);
  const rows = assessSet(set, threshold);
  const byClass = new Map<string, Assessed[]>();
  for (const r of rows) byClass.set(r.cls, [...(byClass.get(r.cls) ?? []), r]);
  const classes = [...byClass.keys()].sort((a, b) =>
    isCjClass(a) !== isCjClass(b) ? (isCjClass(a) ? -1 : 1) : a < b ? -1 : a > b ? 1 : 0,
  );
  let recallMin = 1;
  const classRows = classes.map((c) => {
    const e = byClass.get(c)!;
    const flagged = e.filter((r) => r.vetoes.length > 0).length;
    if (isCjClass(c)) recallMin = Math.min(recallMin, flagged / e.length);
    return [
      c,
      String(e.length),
      String(flagged),
      isCjClass(c) ? `recall ${pct(flagged, e.length)}` : `FP ${pct(flagged, e.length)}`,
      ...names.map((n) => String(e.filter((r) => r.vetoes.includes(n)).length)),
      String(e.filter((r) => r.vetoes.length === 0 && r.weaker.length > 0).length),
      String(e.filter((r) => r.tx0).length),
      String(e.filter((r) => r.postMix).length),
    ];
  });
  const detRows = names.map((n) => {
    const hit = rows.filter((r) => r.vetoes.includes(n));
    const onCj = hit.filter((r) => isCoinJoinLabel(r.label)).length;
    const own = OWN_CLASS[n];
    const ownRows = own ? (byClass.get(own) ?? []) : [];
    return [
      n,
      String(hit.length),
      String(onCj),
      pct(onCj, hit.length),
      own
        ? `${pct(ownRows.filter((r) => r.vetoes.includes(n)).length, ownRows.length)} of ${own}`
        : '(generic)',
    ];
  });
  const tx0Hits = rows.filter((r) => r.tx0);
  const tx0Rows = byClass.get('tx0') ?? [];
  const pmHits = rows.filter((r) => r.postMix);
  const pmRows = rows.filter((r) => r.cls.startsWith('post-mix'));
  detRows.push([
    'tx0:whirlpool',
    String(tx0Hits.length),
    String(tx0Hits.filter((r) => r.cls === 'tx0').length) + ' tx0',
    pct(tx0Hits.filter((r) => r.cls === 'tx0').length, tx0Hits.length),
    `${pct(tx0Rows.filter((r) => r.tx0).length, tx0Rows.length)} of tx0`,
  ]);
  detRows.push([
    'post-mix:*',
    String(pmHits.length),
    String(pmHits.filter((r) => r.cls.startsWith('post-mix')).length) + ' post-mix',
    pct(pmHits.filter((r) => r.cls.startsWith('post-mix')).length, pmHits.length),
    `${pct(pmRows.filter((r) => r.postMix).length, pmRows.length)} of post-mix`,
  ]);
  const cj = rows.filter((r) => isCoinJoinLabel(r.label));
  const non = rows.filter((r) => !isCoinJoinLabel(r.label));
  const cjHit = cj.filter((r) => r.vetoes.length > 0).length;
  const nonHit = non.filter((r) => r.vetoes.length > 0).length;
  // labels we dispute (coinjoin-disputed-labels.txt: post-mix by rule, JoinMarket-shaped rounds)
  const disputedFile = path.join(
    path.dirname(fileURLToPath(import.meta.url)),
    'coinjoin-disputed-labels.txt',
  );
  const disputed = new Set(
    existsSync(disputedFile)
      ? readFileSync(disputedFile, 'utf8')
          .split('\n')
          .filter((l) => /^[0-9a-f]{64}$/.test(l))
      : [],
  );
  const nonKept = non.filter((r) => !disputed.has(r.txid));
  const nonKeptHit = nonKept.filter((r) => r.vetoes.length > 0).length;
  const text = [
    `CoinJoin detectors vs ../shared/realdata/coinjoin labels (agreement with Dumplings / crocs-muni, not accuracy): ${set.length} txs, veto threshold ${threshold}`,
    'flagged = some detector vetoes clustering at the threshold; below = only weaker CoinJoin findings;',
    "tx0 / post-mix = those findings (parents: the set's own transactions)",
    '',
    table(['class', 'n', 'flagged', 'rate', ...names, 'below', 'tx0', 'post-mix'], classRows),
    '',
    table(['finding', 'flagged', 'labelled CJ', 'precision', 'recall on own class'], detRows),
    '',
    `overall: recall ${pct(cjHit, cj.length)} (${cjHit}/${cj.length} labelled CoinJoins), false-positive rate ${pct(nonHit, non.length)} (${nonHit}/${non.length} non-CoinJoins)`,
    `without the ${non.length - nonKept.length} disputed post-mix labels (coinjoin-disputed-labels.txt): false-positive rate ${pct(nonKeptHit, nonKept.length)} (${nonKeptHit}/${nonKept.length})`,
  ].join('\n');
  return { text, recallMin, fpRate: nonHit / non.length };
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
  const threshold = parseVetoThreshold(arg('--veto') ?? DEFAULT_VETO);
  const set = loadSet(dir);
  const list = arg('--list');
  if (list !== undefined) {
    for (const r of assessSet(set, threshold)) {
      if (r.cls === list && r.vetoes.length > 0) process.stdout.write(`${r.txid} ${r.vetoes.join(',')}\n`);
    }
    return;
  }
  process.stdout.write(runCoinJoinBench(set, threshold).text + '\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
