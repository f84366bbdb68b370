// Issue 9 item 10, through the built CLI: the first Ctrl-C lets the running seeds finish (their
// files are written, status ok), starts no new one, and writes the summary marked interrupted,
// exit 130; a second Ctrl-C quits at once, exit 130. The signals are driven by progress (a seed's
// manifest on disk, the child's own "interrupted" line), never by a sleep.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEsploraServer, type EsploraServer } from '../support/esplora-server.js';
import { gatedProxy } from '../support/gated-proxy.js';
import { loadDemoChain, readDemoChainFile } from '../support/load-chain.js';
import { REPO, runBin } from '../cli/helpers.js';
import { removeScratchDirs, scratchDir } from '../support/scratch.js';

afterAll(removeScratchDirs);

function demoAddresses(): string[] {
  const set = new Set<string>();
  for (const { tx } of readDemoChainFile().txs)
    for (const o of tx.vout) if (o.scriptpubkey_address) set.add(o.scriptpubkey_address);
  return [...set].sort();
}

const finished = (out: string) =>
  existsSync(out) ? readdirSync(out).filter((f) => f.endsWith('.csv.manifest.json')).length : 0;

describe('batch Ctrl-C', () => {
  let server: EsploraServer;
  let proxy: Awaited<ReturnType<typeof gatedProxy>>;
  const seeds = demoAddresses().slice(0, 12);
  beforeAll(async () => {
    server = await startEsploraServer(loadDemoChain(), { latencyMs: 5 });
    proxy = await gatedProxy(server.url);
  });
  afterAll(async () => {
    await proxy.close();
    await server.close();
  });

  /**
   * Starts the batch; once the first seed's manifest exists, requests are held and SIGINT is sent;
   * `afterAck` runs when the child prints that it was interrupted.
   */
  async function interrupt(afterAck: (kill: () => void) => void) {
    const dir = scratchDir('btctrace-ux10-');
    const list = path.join(dir, 'list.txt');
    writeFileSync(list, seeds.join('\n') + '\n');
    const out = path.join(dir, 'out');
    const child = spawn(
      process.execPath,
      [path.join(REPO, 'bin/btctrace.js'), 'batch', list, '--out-dir', out, '--api-url', proxy.url],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
    );
    let stderr = '';
    let finishedAtSignal = -1;
    let acked = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr += d;
      if (!acked && stderr.includes('batch: interrupted')) {
        acked = true;
        afterAck(() => child.kill('SIGINT'));
      }
    });
    proxy.gate(
      () => finished(out) >= 1,
      () => {
        finishedAtSignal = finished(out);
        child.kill('SIGINT');
      },
    );
    try {
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      return { code, stderr, out, finishedAtSignal };
    } finally {
      proxy.release();
    }
  }

  it('first Ctrl-C: running seeds finish and are written, the rest are "interrupted", summary written, exit 130', async () => {
    const r = await interrupt(() => proxy.release()); // answer the held requests once the child knows
    expect(r.code).toBe(130);
    expect(r.finishedAtSignal).toBeGreaterThanOrEqual(1);
    expect(r.stderr).toContain(
      'batch: interrupted: the running seeds finish and are written, no new one starts, then the summary (Ctrl-C again to quit at once, exit 130)',
    );
    const lines = readFileSync(path.join(r.out, 'summary.csv'), 'utf8').trimEnd().split('\n').slice(1);
    expect(lines).toHaveLength(seeds.length);
    const status = lines.map((l) => l.split(',')[2]);
    const ok = status.filter((s) => s === 'ok').length;
    const notRun = lines.filter((l) =>
      l.includes(',interrupted,not run: the batch was interrupted (Ctrl-C),'),
    );
    // the seed whose request was held when the signal came was finished and written, not dropped
    expect(ok).toBeGreaterThan(r.finishedAtSignal);
    expect(finished(r.out)).toBe(ok);
    expect(notRun.length).toBeGreaterThan(0);
    expect(ok + notRun.length).toBe(seeds.length);
    expect(r.stderr).toContain(`, ${notRun.length} not run (interrupted);`);
    const m = JSON.parse(readFileSync(path.join(r.out, 'batch.manifest.json'), 'utf8')) as {
      partial: boolean;
      warnings: string[];
      counts: { interrupted: number };
    };
    expect(m.partial).toBe(true);
    expect(m.counts.interrupted).toBe(notRun.length);
    expect(m.warnings).toEqual([
      `interrupted (Ctrl-C): ${notRun.length} seed${notRun.length === 1 ? '' : 's'} not run; the same command finishes them`,
    ]);
  }, 60_000);

  it('second Ctrl-C quits at once (requests still held), exit 130, no summary', async () => {
    const r = await interrupt((kill) => kill());
    expect(r.code).toBe(130);
    expect(existsSync(path.join(r.out, 'summary.csv'))).toBe(false);
  }, 60_000);

  it('exit 130 and the Ctrl-C rule are in batch --help', () => {
    const h = runBin(['batch', '--help']).stdout;
    expect(h).toContain('Ctrl-C once: the running seeds finish and are written');
    expect(h).toContain('130 interrupted (Ctrl-C)');
  });
});
