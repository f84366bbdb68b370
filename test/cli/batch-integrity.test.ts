// Batch reruns on one --out-dir: a finished seed file is reused only when it was made with this
// run's row inputs (options, tags content, network, source); edited and partial files are traced
// again; two batches never share a folder at once.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { LOCK_NAME } from '../../src/cli/batch-lock.js';
import { captureIO, DEMO_DIR, DEMO_TAGS, SHOP_A } from './helpers.js';

const OTHER = '15NzuRF86eAkH4LYNMwdCiFaXbFWu6oy9Q';
const SPENDER = 'bb1b8f8f9efc9e1ebb1582427938a9dcfdc32322ce424d91518bfbce23d02e31';

let dir: string;
let list: string;
let out: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'btctrace-bint-'));
  list = path.join(dir, 'seeds.txt');
  writeFileSync(list, `${SHOP_A}\n${OTHER}\n`);
  out = path.join(dir, 'out');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function batch(extra: string[], offline = DEMO_DIR) {
  const io = captureIO();
  const code = await main(['batch', list, '--out-dir', out, '--offline', offline, '--quiet', ...extra], io);
  return { code, err: io.err };
}
const read = (f: string) => readFileSync(path.join(out, f), 'utf8');
interface ManifestJson {
  partial: boolean;
  row_inputs?: Record<string, unknown>;
  options: Record<string, unknown>;
  counts: Record<string, number>;
}
const json = (f: string) => JSON.parse(read(f)) as ManifestJson;
const summary = () => read('summary.csv');

describe('reuse only with equal row inputs', () => {
  it('a --hops 1 --model poison result is not reused by --hops 6 --model fifo: exit 2 naming both', async () => {
    expect((await batch(['--hops', '1', '--model', 'poison'])).code).toBe(0);
    const before = read('batch.manifest.json');
    const r = await batch(['--hops', '6', '--model', 'fifo']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `btctrace: --out-dir ${out} holds results made with other options: ${SHOP_A}.csv: ` +
        'hops: 1 there, 6 now; model: "poison" there, "fifo" now (and 1 more file(s)). ' +
        "Use --force to trace every seed again with this run's options, or another --out-dir\n",
    );
    // nothing was rewritten: the manifest still tells the truth about the files
    expect(read('batch.manifest.json')).toBe(before);
    expect(json(`${SHOP_A}.csv.manifest.json`).row_inputs?.hops).toBe(1);
    // --force retraces with the new options, and every manifest says so
    expect((await batch(['--hops', '6', '--model', 'fifo', '--force'])).code).toBe(0);
    expect(json(`${SHOP_A}.csv.manifest.json`).row_inputs).toMatchObject({ hops: 6, model: 'fifo' });
    expect(json('batch.manifest.json').row_inputs).toMatchObject({ hops: 6, model: 'fifo' });
    expect(json('batch.manifest.json').options).toMatchObject({ hops: 6, model: 'fifo' });
  });

  it('--min-sat one satoshi apart is a difference; the same options reuse every file', async () => {
    expect((await batch(['--min-sat', '1000'])).code).toBe(0);
    const r = await batch(['--min-sat', '1001']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('min_sat: 1000 there, 1001 now');
    const again = await batch(['--min-sat', '1000']);
    expect(again.code).toBe(0);
    expect(json('batch.manifest.json').counts.resumed).toBe(2);
  });

  it('stop rules, limits and the recording used are row inputs too', async () => {
    expect((await batch([])).code).toBe(0);
    for (const [args, diff] of [
      [['--stop-at', 'exchange,mixer'], 'stop_at: ["exchange"] there, ["exchange","mixer"] now'],
      [['--max-txs', '1999'], 'max_txs: 2000 there, 1999 now'],
      [['--max-address-txs', '999'], 'max_address_txs: 1000 there, 999 now'],
      [['--direction', 'backward'], 'direction: "forward" there, "backward" now'],
    ] as const) {
      const r = await batch([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain(diff);
    }
    const rec = path.join(dir, 'rec');
    cpSync(DEMO_DIR, rec, { recursive: true });
    const r = await batch([], rec);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`source: "offline recording ${DEMO_DIR}" there, "offline recording ${rec}" now`);
  });

  it('the same --tags path with edited content is a difference (tags are hashed)', async () => {
    const tags = path.join(dir, 'tags.csv');
    cpSync(DEMO_TAGS, tags);
    expect((await batch(['--tags', tags])).code).toBe(0);
    expect((await batch(['--tags', tags])).code).toBe(0);
    writeFileSync(tags, readFileSync(tags, 'utf8').replace(/exchange/i, 'Exchange2'));
    const r = await batch(['--tags', tags]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/tags_sha256: "[0-9a-f]{64}" there, "[0-9a-f]{64}" now/);
  });

  it('a file from before row inputs were recorded is not reused', async () => {
    expect((await batch([])).code).toBe(0);
    const m = path.join(out, `${SHOP_A}.csv.manifest.json`);
    const j = JSON.parse(readFileSync(m, 'utf8')) as ManifestJson;
    delete j.row_inputs;
    writeFileSync(m, JSON.stringify(j));
    const r = await batch([]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${SHOP_A}.csv: the file records no options to compare`);
  });
});

describe('resume retraces what is not a finished, unchanged file', () => {
  it('a finished file edited after the run is traced again, not reused', async () => {
    expect((await batch([])).code).toBe(0);
    const good = read(`${SHOP_A}.csv`);
    writeFileSync(path.join(out, `${SHOP_A}.csv`), good.replace('12500000', '12500001'));
    const r = await batch([]);
    expect(r.code).toBe(0);
    expect(read(`${SHOP_A}.csv`)).toBe(good);
    expect(json('batch.manifest.json').counts.resumed).toBe(1);
  });

  it('a partial seed (the spender outspends missing from the recording) is traced again once they are there', async () => {
    const rec = path.join(dir, 'rec');
    cpSync(DEMO_DIR, rec, { recursive: true });
    const missing = path.join(rec, `tx_${SPENDER}_outspends.json`);
    const body = readFileSync(missing);
    rmSync(missing);
    const first = await batch([], rec);
    expect(first.code).toBe(1);
    expect(summary()).toMatch(new RegExp(`^1,${SHOP_A},partial,`, 'm'));
    expect(json(`${SHOP_A}.csv.manifest.json`).partial).toBe(true);
    writeFileSync(missing, body);
    const second = await batch([], rec);
    expect(second.code).toBe(0);
    expect(summary()).toMatch(new RegExp(`^1,${SHOP_A},ok,`, 'm'));
    expect(json(`${SHOP_A}.csv.manifest.json`).partial).toBe(false);
    // the complete seed was reused, the partial one retraced
    expect(json('batch.manifest.json').counts.resumed).toBe(1);
    expect(read(`${SHOP_A}.csv`)).toContain(SPENDER);
  });
});

describe('one batch per --out-dir', () => {
  it('a lock held by a running process: exit 2 naming its pid and start time, nothing written', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(out);
    const lock = { pid: process.pid, host: hostname(), started_at: '2026-01-01T08:00:00.000Z' };
    writeFileSync(path.join(out, LOCK_NAME), JSON.stringify(lock));
    const r = await batch([]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `btctrace: --out-dir ${out} is in use by another batch: pid ${process.pid} on ${hostname()}, ` +
        `started 2026-01-01T08:00:00.000Z. Wait for it to finish, or use another --out-dir ` +
        `(if that batch is gone, remove ${path.join(out, LOCK_NAME)})\n`,
    );
    expect(existsSync(path.join(out, 'summary.csv'))).toBe(false);
  });

  it('a stale lock from a dead pid is taken over, said so, and released at the end', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(out);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const pid = Number(dead.stdout);
    writeFileSync(
      path.join(out, LOCK_NAME),
      JSON.stringify({ pid, host: hostname(), started_at: '2026-01-01T08:00:00.000Z' }),
    );
    const r = await batch([]);
    expect(r.code).toBe(0);
    expect(r.err).toBe(
      `batch: taking over a stale lock on ${out}: pid ${pid} (started 2026-01-01T08:00:00.000Z) is no longer running\n`,
    );
    expect(existsSync(path.join(out, LOCK_NAME))).toBe(false);
    expect(summary()).toMatch(new RegExp(`^1,${SHOP_A},ok,`, 'm'));
  });

  it('a lock on another host is never taken over', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(out);
    writeFileSync(
      path.join(out, LOCK_NAME),
      JSON.stringify({ pid: 999999, host: 'elsewhere', started_at: '2026-01-01T08:00:00.000Z' }),
    );
    const r = await batch([]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('is in use by another batch: pid 999999 on elsewhere');
  });
});
