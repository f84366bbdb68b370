import { createHash } from 'node:crypto';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/errors.js';
import { buildManifest, commandLine, writeManifest, writeManifestFile } from '../../src/output/manifest.js';
import { manifestCheckText, verifyManifest } from '../../src/output/manifest-verify.js';
import type { RunMeta } from '../../src/output/meta.js';

const CSV = 'hop,txid,vout,address,value_sat,tainted_sat,status\n0,ab,0,1Shop,5000,5000,seed\n';

const meta: RunMeta = {
  tool: 'btctrace',
  version: '0.1.0',
  command: ['trace', '--model', 'fifo', '--tags', 'case 17/tags.csv', '1ShopA'],
  options: { model: 'fifo', hops: 3, minSat: 1000, stopAt: ['exchange'], apiUrl: undefined },
  source: 'esplora https://mempool.space/api',
  network: 'mainnet',
  tipHeight: 955_873,
  startedAt: '2026-03-01T10:00:00.000Z',
  finishedAt: '2026-03-01T10:00:07.250Z',
  modelConventions: 'fifo: inputs laid end to end in input order; the fee is the last F satoshis',
  partial: false,
  warnings: [],
  requests: 42,
};

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'btctrace-manifest-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('manifest', () => {
  it('records each file with the sha256 of its bytes', async () => {
    const csv = path.join(dir, 'trace.csv');
    writeFileSync(csv, CSV);
    writeFileSync(path.join(dir, 'abc.txt'), 'abc');
    const text = await buildManifest({
      meta,
      files: [
        { path: csv, role: 'output' },
        { path: path.join(dir, 'abc.txt'), role: 'note' },
      ],
      baseDir: dir,
    });
    const m = JSON.parse(text) as { files: unknown[] };
    expect(m.files).toEqual([
      { path: 'trace.csv', role: 'output', bytes: 79, sha256: sha(CSV) },
      {
        path: 'abc.txt',
        role: 'note',
        bytes: 3,
        sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      },
    ]);
    expect(sha(readFileSync(csv))).toBe(sha(CSV));
  });

  it('holds the run: command, options, source, tip, times, model, counts, in a fixed order', async () => {
    const csv = path.join(dir, 'trace.csv');
    writeFileSync(csv, CSV);
    const input = {
      meta,
      files: [{ path: csv, role: 'output' }],
      counts: { rows: 1, transactions: 12, cache_hits: 3 },
      baseDir: dir,
    };
    const text = await buildManifest(input);
    expect(await buildManifest(input)).toBe(text); // same input, same bytes
    expect(text.endsWith('}\n')).toBe(true);
    const m = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(m)).toEqual([
      'format',
      'tool',
      'version',
      'command',
      'command_line',
      'options',
      'source',
      'network',
      'tip_height',
      'started_at',
      'finished_at',
      'taint_model',
      'model_conventions',
      'partial',
      'warnings',
      'requests',
      'counts',
      'files',
    ]);
    expect(m).toMatchObject({
      format: 'btctrace-manifest/1',
      version: '0.1.0',
      command: meta.command,
      command_line: "btctrace trace --model fifo --tags 'case 17/tags.csv' 1ShopA",
      options: { api_url: null, hops: 3, min_sat: 1000, model: 'fifo', stop_at: ['exchange'] },
      source: 'esplora https://mempool.space/api',
      tip_height: 955_873,
      started_at: '2026-03-01T10:00:00.000Z',
      finished_at: '2026-03-01T10:00:07.250Z',
      taint_model: 'fifo',
      model_conventions: meta.modelConventions,
      partial: false,
      requests: 42,
    });
    expect(Object.keys(m.options as object)).toEqual(['api_url', 'hops', 'min_sat', 'model', 'stop_at']);
    expect(Object.entries(m.counts as object)).toEqual([
      ['cache_hits', 3],
      ['rows', 1],
      ['transactions', 12],
    ]);
  });

  it('marks the run partial when the trace says so', async () => {
    writeFileSync(path.join(dir, 'a.csv'), CSV);
    const text = await buildManifest({
      meta,
      files: [{ path: path.join(dir, 'a.csv'), role: 'output' }],
      trace: { partial: true, warnings: ['hop limit cut 3 branches'], tipHeight: null },
      baseDir: dir,
    });
    expect(JSON.parse(text)).toMatchObject({ partial: true, warnings: ['hop limit cut 3 branches'] });
  });

  it.each([
    [['trace', '1Shop'], 'btctrace trace 1Shop'],
    [['trace', '--stop-at', 'exchange,mixer'], 'btctrace trace --stop-at exchange,mixer'],
    [['batch', "it's here.txt"], "btctrace batch 'it'\\''s here.txt'"],
    [['trace', ''], "btctrace trace ''"],
    [['trace', '$(rm -rf /)'], "btctrace trace '$(rm -rf /)'"],
  ])('command line %j -> %s', (args, line) => {
    expect(commandLine(args)).toBe(line);
  });

  it('writes <output>.manifest.json atomically, paths relative to it', async () => {
    const out = path.join(dir, 'case', 'trace.csv');
    mkdirSync(path.dirname(out));
    writeFileSync(out, CSV);
    const written = await writeManifest(out, { meta });
    expect(written).toBe(`${out}.manifest.json`);
    expect(readdirSync(path.dirname(out)).sort()).toEqual(['trace.csv', 'trace.csv.manifest.json']);
    const m = JSON.parse(readFileSync(written, 'utf8')) as { files: unknown[] };
    expect(m.files).toEqual([{ path: 'trace.csv', role: 'output', bytes: 79, sha256: sha(CSV) }]);
  });

  it('fails when a listed file does not exist', async () => {
    await expect(
      buildManifest({ meta, files: [{ path: path.join(dir, 'nope.csv'), role: 'output' }], baseDir: dir }),
    ).rejects.toThrow(`manifest: output file ${path.join(dir, 'nope.csv')} does not exist`);
  });
});

describe('verifyManifest', () => {
  /** A batch run: two CSVs in a subfolder and one manifest for the run. */
  async function batch() {
    mkdirSync(path.join(dir, 'out'));
    const a = path.join(dir, 'out', '1ShopA.csv');
    const b = path.join(dir, 'out', '1ShopB.csv');
    writeFileSync(a, CSV);
    writeFileSync(b, CSV.replace('5000,5000', '7000,7000'));
    const manifest = path.join(dir, 'run.manifest.json');
    await writeManifestFile(manifest, {
      meta,
      files: [
        { path: a, role: 'trace-csv' },
        { path: b, role: 'trace-csv' },
      ],
    });
    return { a, b, manifest };
  }

  it('finds every file unchanged', async () => {
    const { manifest } = await batch();
    const check = await verifyManifest(manifest);
    expect(check.ok).toBe(true);
    expect(check.files.map((f) => [f.path, f.status, f.actual === f.expected])).toEqual([
      ['out/1ShopA.csv', 'ok', true],
      ['out/1ShopB.csv', 'ok', true],
    ]);
    expect(manifestCheckText(check)).toBe(
      `ok       out/1ShopA.csv  sha256 ${sha(CSV)}\n` +
        `ok       out/1ShopB.csv  sha256 ${sha(CSV.replace('5000,5000', '7000,7000'))}\n` +
        `all 2 files match ${manifest}\n`,
    );
  });

  it('catches an edited CSV and a deleted one', async () => {
    const { a, b, manifest } = await batch();
    const edited = CSV.replace('5000,5000', '5000,4000');
    writeFileSync(a, edited);
    unlinkSync(b);
    const check = await verifyManifest(manifest);
    expect(check.ok).toBe(false);
    expect(check.files[0]).toMatchObject({
      path: 'out/1ShopA.csv',
      status: 'changed',
      expected: sha(CSV),
      actual: sha(edited),
      expectedBytes: 79,
      actualBytes: 79,
    });
    expect(check.files[1]).toMatchObject({
      path: 'out/1ShopB.csv',
      status: 'missing',
      actual: null,
      resolved: b,
    });
    expect(manifestCheckText(check).split('\n').slice(0, 1)[0]).toBe(
      `CHANGED  out/1ShopA.csv  expected sha256 ${sha(CSV)} (79 bytes), found ${sha(edited)} (79 bytes)`,
    );
    expect(manifestCheckText(check)).toContain(`2 of 2 files do not match ${manifest}`);
  });

  it('still verifies after the case folder is moved', async () => {
    await batch();
    const moved = path.join(tmpdir(), `btctrace-moved-${process.pid}-${Date.now()}`);
    cpSync(dir, moved, { recursive: true });
    try {
      expect((await verifyManifest(path.join(moved, 'run.manifest.json'))).ok).toBe(true);
    } finally {
      rmSync(moved, { recursive: true, force: true });
    }
  });

  it.each([
    ['not JSON', '{"files": [', 'invalid JSON'],
    [
      'another format',
      '{"format": "other/1", "files": []}',
      'format is "other/1", expected "btctrace-manifest/1"',
    ],
    ['no files', '{"format": "btctrace-manifest/1", "files": []}', 'it lists no files'],
    [
      'a bad hash',
      '{"format": "btctrace-manifest/1", "files": [{"path": "a.csv", "bytes": 1, "sha256": "xyz"}]}',
      'files[0] needs a path, bytes and a sha256 of 64 hex digits',
    ],
  ])('rejects a manifest with %s', async (_name, text, message) => {
    const file = path.join(dir, 'bad.manifest.json');
    writeFileSync(file, text);
    const e = await verifyManifest(file).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toContain(`${file}: not a btctrace manifest: ${message}`);
  });

  it('rejects a manifest that cannot be read', async () => {
    const file = path.join(dir, 'missing.manifest.json');
    await expect(verifyManifest(file)).rejects.toThrow(`${file}: cannot read the manifest (ENOENT)`);
  });
});
