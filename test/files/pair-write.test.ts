// An output and its manifest after a failure or a kill at any moment: the old pair, the new pair,
// or an interrupted write that `verify` names as such. Disk-full is injected (fs write throws).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const inject = vi.hoisted(() => ({
  failWriteOf: null as RegExp | null,
  failRenameTo: null as RegExp | null,
}));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  const open: typeof real.open = async (file, ...rest) => {
    const handle = await real.open(file, ...rest);
    if (inject.failWriteOf && inject.failWriteOf.test(String(file))) {
      handle.writeFile = () => Promise.reject(enospc());
    }
    return handle;
  };
  const rename: typeof real.rename = async (from, to) => {
    if (inject.failRenameTo && inject.failRenameTo.test(String(to)))
      throw Object.assign(new Error('simulated kill'), { code: 'EKILLED' });
    return real.rename(from, to);
  };
  return { ...real, open, rename, default: { ...real, open, rename } };
});

import { main } from '../../src/cli/main.js';
import { buildManifest, writeOutputAndManifest } from '../../src/output/manifest.js';
import { verifyManifest } from '../../src/output/manifest-verify.js';
import type { RunMeta } from '../../src/output/meta.js';
import { captureIO, DEMO_DIR, SHOP_A } from '../cli/helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'btctrace-pair-'));
  inject.failWriteOf = null;
  inject.failRenameTo = null;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const meta: RunMeta = {
  tool: 'btctrace',
  version: '0.0.0',
  command: ['trace'],
  options: {},
  source: 'test',
  network: 'mainnet',
  tipHeight: null,
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:00.000Z',
  modelConventions: '',
  partial: false,
  warnings: [],
};

async function verifyCli(manifest: string) {
  const io = captureIO();
  const code = await main(['verify', manifest], io);
  return { code, out: io.out, err: io.err };
}

const traceArgs = (out: string) => [
  'trace',
  SHOP_A,
  '--offline',
  DEMO_DIR,
  '--format',
  'csv',
  '-o',
  out,
  '--quiet',
];

describe('output + manifest pair', () => {
  it('writes the new pair and leaves no temp or pending file', async () => {
    const out = path.join(dir, 'r.csv');
    await writeOutputAndManifest(out, 'v1\n', { meta });
    await writeOutputAndManifest(out, 'v2\n', { meta });
    expect(readFileSync(out, 'utf8')).toBe('v2\n');
    expect((await verifyManifest(`${out}.manifest.json`)).ok).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['r.csv', 'r.csv.manifest.json']);
  });

  it('killed after the output rename: verify says the write was interrupted, not "changed"', async () => {
    const out = path.join(dir, 'r.csv');
    const manifest = `${out}.manifest.json`;
    await writeOutputAndManifest(out, 'v1\n', { meta });
    inject.failRenameTo = /r\.csv\.manifest\.json$/; // the last rename never happens
    await expect(writeOutputAndManifest(out, 'v2\n', { meta })).rejects.toThrow('simulated kill');
    expect(readFileSync(out, 'utf8')).toBe('v2\n');
    expect(existsSync(`${manifest}.pending`)).toBe(true);
    const check = await verifyManifest(manifest);
    expect(check.ok).toBe(false);
    expect(check.files.map((f) => f.status)).toEqual(['interrupted']);
    const r = await verifyCli(manifest);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      `INTERRUPTED WRITE: ${manifest}.pending exists, a later write of these files did not finish`,
    );
    expect(r.out).toContain('INTERRUPTED  r.csv  is the output of a write that was interrupted');
    expect(r.out).not.toContain('CHANGED');
    // the next write completes and clears the marker
    inject.failRenameTo = null;
    await writeOutputAndManifest(out, 'v3\n', { meta });
    expect((await verifyCli(manifest)).code).toBe(0);
    expect(existsSync(`${manifest}.pending`)).toBe(false);
  });

  it('killed after the pending manifest is placed, before the output: old pair, verify names the interruption', async () => {
    const out = path.join(dir, 'r.csv');
    const manifest = `${out}.manifest.json`;
    await writeOutputAndManifest(out, 'v1\n', { meta });
    // the state a SIGKILL between the two renames leaves (a failure would remove the pending file)
    const next = await buildManifest({
      meta,
      files: [{ path: out, role: 'output', content: 'v2\n' }],
      baseDir: dir,
    });
    writeFileSync(`${manifest}.pending`, next);
    const r = await verifyCli(manifest);
    expect(r.code).toBe(1);
    expect(r.out).toContain('ok       r.csv');
    expect(r.out).toContain("the write was interrupted: the files are still the earlier run's");
  });

  it('a first write killed before its manifest was in place: verify reads the pending one', async () => {
    const out = path.join(dir, 'r.csv');
    const manifest = `${out}.manifest.json`;
    inject.failRenameTo = /r\.csv\.manifest\.json$/;
    await expect(writeOutputAndManifest(out, 'v1\n', { meta })).rejects.toThrow();
    const r = await verifyCli(manifest);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      `INTERRUPTED WRITE: ${manifest} was never put in place; checked against ${manifest}.pending`,
    );
    expect(r.out).toContain('INTERRUPTED  r.csv');
  });

  it('an edited output with no pending marker is still "CHANGED"', async () => {
    const out = path.join(dir, 'r.csv');
    await writeOutputAndManifest(out, 'v1\n', { meta });
    writeFileSync(out, 'v1 edited\n');
    const r = await verifyCli(`${out}.manifest.json`);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^CHANGED {2}r\.csv/);
    expect(r.out).not.toContain('INTERRUPTED');
  });
});

describe('disk full (ENOSPC) and non-regular targets', () => {
  it('trace -o on a full disk: one line, exit 1, the old pair intact, no temp files', async () => {
    const out = path.join(dir, 'r.csv');
    expect(await main(traceArgs(out), captureIO())).toBe(0);
    const before = readFileSync(out, 'utf8');
    const manifestBefore = readFileSync(`${out}.manifest.json`, 'utf8');
    inject.failWriteOf = /\.r\.csv\.\d+\.[0-9a-f]+\.tmp$/;
    const io = captureIO();
    expect(await main([...traceArgs(out), '--hops', '1'], io)).toBe(1);
    expect(io.err).toBe(
      `btctrace: cannot write ${out}: no space left on the device (ENOSPC); nothing was replaced\n`,
    );
    expect(readFileSync(out, 'utf8')).toBe(before);
    expect(readFileSync(`${out}.manifest.json`, 'utf8')).toBe(manifestBefore);
    expect(readdirSync(dir).sort()).toEqual(['r.csv', 'r.csv.manifest.json']);
  });

  it('disk full while writing the manifest: output not replaced either', async () => {
    const out = path.join(dir, 'r.csv');
    expect(await main(traceArgs(out), captureIO())).toBe(0);
    const before = readFileSync(out, 'utf8');
    inject.failWriteOf = /manifest\.json\.\d+\.[0-9a-f]+\.tmp$/;
    const io = captureIO();
    expect(await main([...traceArgs(out), '--hops', '1'], io)).toBe(1);
    expect(io.err).toMatch(
      /^btctrace: cannot write .*r\.csv\.manifest\.json: no space left on the device \(ENOSPC\)/,
    );
    expect(io.err.split('\n')).toHaveLength(2);
    expect(readFileSync(out, 'utf8')).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(['r.csv', 'r.csv.manifest.json']);
  });

  it('-o onto a device node is refused with exit 2 and the node is left a device', async () => {
    const dev = path.join(dir, 'null-dev');
    execFileSync('mknod', [dev, 'c', '1', '3']);
    const io = captureIO();
    expect(await main(traceArgs(dev), io)).toBe(2);
    expect(io.err).toBe(
      `btctrace: --output ${dev}: exists and is not a regular file (a device, FIFO or socket)\n`,
    );
    expect(statSync(dev).isCharacterDevice()).toBe(true);
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(await main(traceArgs(fifo), captureIO())).toBe(2);
    expect(statSync(fifo).isFIFO()).toBe(true);
  });
});
