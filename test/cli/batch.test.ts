import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { readSeedList } from '../../src/cli/seed-list.js';
import { seedFileBase } from '../../src/cli/batch-resume.js';
import { parseSeed } from '../../src/model/seed.js';
import { startEsploraServer, type EsploraServer } from '../support/esplora-server.js';
import { gatedProxy } from '../support/gated-proxy.js';
import { loadDemoChain, readDemoChainFile } from '../support/load-chain.js';
import { captureIO, DEMO_DIR, DEMO_TAGS, REPO, SHOP_A } from './helpers.js';
import { removeScratchDirs, scratchDir } from '../support/scratch.js';

afterAll(removeScratchDirs);

const tmp = (p: string) => scratchDir(`btctrace-${p}-`);

/** Every address that appears in the demo chain, in a fixed order. */
function demoAddresses(): string[] {
  const set = new Set<string>();
  for (const { tx } of readDemoChainFile().txs)
    for (const o of tx.vout) if (o.scriptpubkey_address) set.add(o.scriptpubkey_address);
  return [...set].sort();
}

function parseSummary(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trim().split('\n');
  const cols = head!.split(',');
  return lines.map((l) => {
    // no quoted commas in these tests' cells except by_label, which is last but one
    const cells = l
      .match(/("([^"]|"")*"|[^,]*)(,|$)/g)!
      .map((c) => c.replace(/,$/, '').replace(/^"|"$/g, ''));
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

describe('reading seed lists', () => {
  it('skips blanks and comments, keeps line numbers, reads a CSV column', () => {
    expect(
      readSeedList('# case 17\n\nbc1qa # shop\n  1Abc  \n', {
        source: 'f',
        column: null,
        network: 'mainnet',
        note: () => {},
      }),
    ).toEqual([
      { line: 3, input: 'bc1qa' },
      { line: 4, input: '1Abc' },
    ]);
    expect(
      readSeedList('name,addr\nshop,bc1qa\nx,\n', {
        source: 'f.csv',
        column: 'addr',
        network: 'mainnet',
        note: () => {},
      }),
    ).toEqual([{ line: 2, input: 'bc1qa' }]);
    expect(() =>
      readSeedList('name,addr\nshop,bc1qa\n', {
        source: 'f.csv',
        column: 'address',
        network: 'mainnet',
        note: () => {},
      }),
    ).toThrow(/--column address: f.csv has no such column/);
  });
  it('gives OS-safe file names without path traversal', () => {
    expect(seedFileBase(parseSeed(SHOP_A, 'mainnet'))).toBe(SHOP_A);
    const t = 'ab'.repeat(32);
    expect(seedFileBase(parseSeed(`${t}:3`, 'mainnet'))).toBe(`${t}_3`);
    expect(seedFileBase(parseSeed('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'mainnet'))).toMatch(
      /^1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa-[0-9a-f]{8}$/,
    );
  });
});

describe('batch over the demo recording', () => {
  it('writes one file per seed and a summary with valid, invalid and duplicate lines', async () => {
    const dir = tmp('batch');
    const list = path.join(dir, 'seeds.txt');
    writeFileSync(
      list,
      `# shop addresses\n${SHOP_A}\n\nnot-an-address\n${SHOP_A.toUpperCase()}\nbc1qlq2thetqmef3j2ea35lnt9nunc0xs97f9mjdev\n`,
    );
    const out = path.join(dir, 'out');
    const io = captureIO();
    const code = await main(
      [
        'batch',
        list,
        '--out-dir',
        out,
        '--offline',
        DEMO_DIR,
        '--tags',
        DEMO_TAGS,
        '--hops',
        '10',
        '--model',
        'fifo',
        '--quiet',
      ],
      io,
    );
    expect(code).toBe(1); // one invalid line
    const summary = parseSummary(readFileSync(path.join(out, 'summary.csv'), 'utf8'));
    expect(summary.map((r) => [r.line, r.status])).toEqual([
      ['2', 'ok'],
      ['4', 'invalid'],
      ['5', 'duplicate'],
      ['6', 'ok'],
    ]);
    expect(summary[1]!.error).toBe('not-an-address: not a Bitcoin address, txid or txid:vout outpoint');
    expect(summary[2]!.error).toBe('same seed as line 2');
    // fifo numbers of CASE.md for ShopA
    expect(summary[0]!.seed_sat).toBe('122100000');
    expect(summary[0]!.by_label).toBe('ExchangeX (exchange)=33749740; ExchangeY (exchange)=21749010');
    expect(Number(summary[0]!.rows)).toBeGreaterThan(10);
    const files = readdirSync(out).sort();
    expect(files).toEqual([
      'batch.manifest.json',
      `${SHOP_A}.csv`,
      `${SHOP_A}.csv.manifest.json`,
      'bc1qlq2thetqmef3j2ea35lnt9nunc0xs97f9mjdev.csv',
      'bc1qlq2thetqmef3j2ea35lnt9nunc0xs97f9mjdev.csv.manifest.json',
      'summary.csv',
    ]);
    // the per-seed file is exactly what `trace` writes
    const single = captureIO();
    await main(
      [
        'trace',
        SHOP_A,
        '--offline',
        DEMO_DIR,
        '--tags',
        DEMO_TAGS,
        '--hops',
        '10',
        '--model',
        'fifo',
        '--format',
        'csv',
        '--quiet',
      ],
      single,
    );
    expect(readFileSync(path.join(out, `${SHOP_A}.csv`), 'utf8')).toBe(single.out);
  });

  it('reads seeds from stdin with -', async () => {
    const out = path.join(tmp('stdin'), 'out');
    const r = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const child = spawn(process.execPath, [
        path.join(REPO, 'bin/btctrace.js'),
        'batch',
        '-',
        '--out-dir',
        out,
        '--offline',
        DEMO_DIR,
        '--quiet',
      ]);
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('close', (code) => resolve({ code, err }));
      child.stdin.end(`${SHOP_A}\n`);
    });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(parseSummary(readFileSync(path.join(out, 'summary.csv'), 'utf8'))[0]!.status).toBe('ok');
  });
});

describe('batch against a loopback explorer: resume and interruption', () => {
  let server: EsploraServer;
  let proxy: Awaited<ReturnType<typeof gatedProxy>>;
  const seeds = demoAddresses().slice(0, 24);
  beforeAll(async () => {
    server = await startEsploraServer(loadDemoChain(), { latencyMs: 15 });
    // every run goes through the proxy: its URL is part of the batch's row inputs
    proxy = await gatedProxy(server.url);
  });
  afterAll(async () => {
    await proxy.close();
    await server.close();
  });

  const args = (list: string, out: string, url = proxy.url) => [
    'batch',
    list,
    '--out-dir',
    out,
    '--api-url',
    url,
    '--tags',
    DEMO_TAGS,
    '--hops',
    '4',
    '--parallel',
    '3',
    // no persistent cache: each run asks the (gated) explorer, and nothing is written to $HOME
    '--no-cache',
    '--quiet',
  ];

  /** Runs a batch to its end in this process: what a kill or Ctrl-C interrupts is the child of runGated. */
  const runHere = (argv: string[]) => main(argv, captureIO());

  /**
   * Runs the batch through a gated proxy that holds requests once `holdWhen()` is true, and
   * sends `signal` when the first request is held (then, for SIGINT, lets the held ones through
   * so the running seeds can finish). Resolves with the exit code (null: killed by the signal)
   * and whether the signal was sent at all (false: the batch finished before it held).
   */
  async function runGated(
    list: string,
    out: string,
    holdWhen: () => boolean,
    signal: NodeJS.Signals,
  ): Promise<{ code: number | null; signalled: boolean }> {
    let signalled = false;
    const child = spawn(process.execPath, [path.join(REPO, 'bin/btctrace.js'), ...args(list, out)], {
      stdio: 'ignore',
    });
    proxy.gate(holdWhen, () => {
      signalled = true;
      child.kill(signal);
      if (signal === 'SIGINT') proxy.release();
    });
    try {
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      return { code, signalled };
    } finally {
      proxy.release(); // drops nothing: the held requests' client is gone (SIGKILL) or answered
    }
  }

  const finishedSeeds = (out: string) =>
    existsSync(out) ? readdirSync(out).filter((f) => f.endsWith('.csv.manifest.json')).length : 0;

  const results = (out: string) =>
    Object.fromEntries(
      readdirSync(out)
        .filter((f) => !f.endsWith('.manifest.json') && !f.startsWith('.'))
        .sort()
        .map((f) => [f, readFileSync(path.join(out, f), 'utf8')]),
    );

  it('a rerun of a finished batch makes zero explorer requests and rewrites the same summary', async () => {
    const dir = tmp('rerun');
    const list = path.join(dir, 'list.txt');
    writeFileSync(list, seeds.join('\n') + '\n');
    const out = path.join(dir, 'out');
    expect(await main(args(list, out), captureIO())).toBe(0);
    const first = results(out);
    const before = server.counts.requests;
    expect(await main(args(list, out), captureIO())).toBe(0);
    expect(server.counts.requests - before).toBe(0);
    expect(results(out)).toEqual(first);
    expect(Object.keys(first)).toHaveLength(seeds.length + 1);
  });

  it('killed with SIGKILL at several moments, resumes to the same files as an uninterrupted run', async () => {
    const dir = tmp('kill');
    const list = path.join(dir, 'list.txt');
    writeFileSync(list, seeds.join('\n') + '\n');
    const ref = path.join(dir, 'ref');
    expect(await runHere(args(list, ref))).toBe(0);
    const expected = results(ref);
    let kills = 0;
    // kill when 0 (still starting), 3, 10 and 20 of the 24 seeds are finished: the proxy holds
    // every request from then on, so the count can only grow by the seeds already fully answered
    for (const after of [0, 3, 10, 20]) {
      const out = path.join(dir, `out-${after}`);
      const { code, signalled } = await runGated(
        list,
        out,
        () => (after === 0 ? existsSync(out) : finishedSeeds(out) >= after),
        'SIGKILL',
      );
      const done = finishedSeeds(out);
      if (signalled) {
        expect(code).toBeNull();
        kills++;
        expect(done).toBeGreaterThanOrEqual(after);
        expect(done).toBeLessThan(seeds.length);
      } else {
        // the batch needed no request after the threshold: it finished, which is accepted
        expect(code).toBe(0);
        expect(done).toBe(seeds.length);
      }
      // whatever is already under a final name is complete and correct (temp files are dot-files)
      const visible = existsSync(out) ? readdirSync(out).filter((f) => f.endsWith('.csv')) : [];
      for (const f of visible) expect(readFileSync(path.join(out, f), 'utf8')).toBe(expected[f]);
      expect(await runHere(args(list, out))).toBe(0);
      expect(results(out)).toEqual(expected);
    }
    expect(kills).toBeGreaterThanOrEqual(3); // the kills landed mid-batch, not after it
  }, 120_000);

  it('Ctrl-C (SIGINT) stops starting seeds, keeps finished work, writes the summary, exits 130', async () => {
    const dir = tmp('sigint');
    const list = path.join(dir, 'list.txt');
    writeFileSync(list, seeds.join('\n') + '\n');
    const out = path.join(dir, 'out');
    const { code, signalled } = await runGated(list, out, () => finishedSeeds(out) >= 3, 'SIGINT');
    expect(signalled).toBe(true);
    expect(code).toBe(130);
    const summary = parseSummary(readFileSync(path.join(out, 'summary.csv'), 'utf8'));
    expect(summary).toHaveLength(seeds.length);
    const ok = summary.filter((r) => r.status === 'ok').length;
    const interrupted = summary.filter((r) => r.status === 'interrupted').length;
    expect(ok).toBeGreaterThanOrEqual(3);
    expect(interrupted).toBeGreaterThan(0);
    expect(ok + interrupted).toBe(seeds.length);
    // the rerun finishes the rest and reuses the finished seeds
    expect(await runHere(args(list, out))).toBe(0);
    const after = parseSummary(readFileSync(path.join(out, 'summary.csv'), 'utf8'));
    expect(after.every((r) => r.status === 'ok')).toBe(true);
  });
});
