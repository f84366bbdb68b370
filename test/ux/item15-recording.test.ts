// Issue 9 item 15, through the built CLI: --record writes <dir>/recording.json (source URL with
// credentials removed, network, chain tip, time, tool version); --offline over that directory
// shows it in the run's JSON metadata and manifest.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicUrl } from '../../src/cli/recording-meta.js';
import { startEsploraServer, type EsploraServer } from '../support/esplora-server.js';
import { loadDemoChain } from '../support/load-chain.js';
import { REPO, runBin, SHOP_A } from '../cli/helpers.js';
import { removeScratchDirs, scratchDir } from '../support/scratch.js';

afterAll(removeScratchDirs);

/** The binary, asynchronously: the loopback explorer runs in this process and must keep answering. */
function runAsync(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO, 'bin/btctrace.js'), ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('recording metadata', () => {
  let server: EsploraServer;
  beforeAll(async () => {
    server = await startEsploraServer(loadDemoChain(), { latencyMs: 1 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('--record writes recording.json; --offline carries it in JSON meta and the manifest', async () => {
    const dir = scratchDir('btctrace-ux15-');
    const rec = path.join(dir, 'rec');
    const r = await runAsync(['trace', SHOP_A, '--api-url', server.url, '--record', rec, '--no-cache', '-q']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const meta = JSON.parse(readFileSync(path.join(rec, 'recording.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(Object.keys(meta)).toEqual([
      'format',
      'tool',
      'version',
      'source_url',
      'network',
      'tip_height',
      'recorded_at',
    ]);
    expect(meta).toMatchObject({
      format: 'btctrace-recording/1',
      tool: 'btctrace',
      version: '0.1.0',
      source_url: server.url.replace(/\/+$/, ''),
      network: 'mainnet',
      tip_height: 850069,
    });
    expect(meta.recorded_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const j = JSON.parse(runBin(['trace', SHOP_A, '--offline', rec, '--format', 'json']).stdout) as {
      meta: { recording: Record<string, unknown> };
    };
    expect(j.meta.recording).toEqual(meta);
    const out = path.join(dir, 'case.csv');
    expect(runBin(['trace', SHOP_A, '--offline', rec, '-o', out]).code).toBe(0);
    const m = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')) as { recording: unknown };
    expect(m.recording).toEqual(meta);
    // a later run recording into the same directory replaces it; address shows it too
    const rec2 = await runAsync(['address', SHOP_A, '--api-url', server.url, '--record', rec, '--no-cache']);
    expect(rec2.code).toBe(0);
    const later = JSON.parse(readFileSync(path.join(rec, 'recording.json'), 'utf8')) as {
      recorded_at: string;
    };
    expect(later.recorded_at >= (meta.recorded_at as string)).toBe(true);
    const a = JSON.parse(runBin(['address', SHOP_A, '--offline', rec, '--format', 'json']).stdout) as {
      meta: { recording: unknown };
    };
    expect(a.meta.recording).toEqual(later);
  }, 60_000);

  it('credentials never reach the metadata: user, password and query values are removed', () => {
    expect(publicUrl('https://alice:s3cret@esplora.example.org:3000/api/?key=abc&x=1')).toBe(
      'https://esplora.example.org:3000/api/?key=REDACTED&x=REDACTED',
    );
    expect(publicUrl('http://10.0.0.5:3000/api/')).toBe('http://10.0.0.5:3000/api');
    expect(publicUrl('not a url')).toBe('(unparsable URL not shown)');
  });
});
