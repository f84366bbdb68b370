// Hostile local input: devices, FIFOs, directories, symlinks and oversized files named where a
// tags file, seed list or recording entry is expected.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { MiB, readInputTextSync } from '../../src/model/input-file.js';
import { MAX_TAGS_BYTES } from '../../src/labels/memory-book.js';
import { MAX_SEED_LIST_BYTES } from '../../src/cli/seed-list.js';
import { DirectoryTransport } from '../../src/sources/directory.js';
import { captureIO, DEMO_DIR, SHOP_A } from '../cli/helpers.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'btctrace-files-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const io = captureIO();
  const code = await main(args, io);
  return { code, err: io.err, out: io.out };
}

const rule = { what: 'test file', maxBytes: 1000 };

describe('bounded regular-file reads', () => {
  it('reads a file of exactly the limit and refuses one byte more', () => {
    const f = path.join(dir, 'f');
    writeFileSync(f, 'x'.repeat(1000));
    expect(readInputTextSync(f, rule)).toHaveLength(1000);
    writeFileSync(f, 'x'.repeat(1001));
    expect(() => readInputTextSync(f, rule)).toThrow(
      `${f}: the test file is 1001 bytes, over the 1000-byte limit`,
    );
  });

  it('refuses /dev/zero, a FIFO and a directory without reading or blocking', () => {
    expect(() => readInputTextSync('/dev/zero', rule)).toThrow(
      '/dev/zero: the test file is a character device; only regular files are read',
    );
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // no writer ever opens it: a blocking open would hang this test
    expect(() => readInputTextSync(fifo, rule)).toThrow(`${fifo}: the test file is a FIFO (named pipe)`);
    expect(() => readInputTextSync(dir, rule)).toThrow(`${dir}: the test file is a directory`);
  });

  it('follows a symlink unless told not to', () => {
    const f = path.join(dir, 'real');
    writeFileSync(f, 'abc');
    const link = path.join(dir, 'link');
    symlinkSync(f, link);
    expect(readInputTextSync(link, rule)).toBe('abc');
    expect(() => readInputTextSync(link, { ...rule, noFollow: true })).toThrow(
      `${link}: the test file is a symbolic link; only regular files are read`,
    );
  });
});

describe('--tags and the seed list', () => {
  it('--tags /dev/zero is refused with exit 2 naming the path', async () => {
    const r = await run(['trace', SHOP_A, '--offline', DEMO_DIR, '--tags', '/dev/zero', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'btctrace: /dev/zero: the tags file is a character device; only regular files are read\n',
    );
  });

  it('a sparse tags file one byte over 256 MiB is refused before it is read', async () => {
    expect(MAX_TAGS_BYTES).toBe(256 * MiB);
    const f = path.join(dir, 'huge.csv');
    writeFileSync(f, '');
    truncateSync(f, MAX_TAGS_BYTES + 1);
    const r = await run(['trace', SHOP_A, '--offline', DEMO_DIR, '--tags', f, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `btctrace: ${f}: the tags file is ${MAX_TAGS_BYTES + 1} bytes, over the 256 MiB limit\n`,
    );
  });

  it('a seed list that is a FIFO or over 64 MiB is refused with exit 2', async () => {
    const fifo = path.join(dir, 'seeds');
    execFileSync('mkfifo', [fifo]);
    const out = path.join(dir, 'out');
    let r = await run(['batch', fifo, '--out-dir', out, '--offline', DEMO_DIR, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `btctrace: ${fifo}: the seed list is a FIFO (named pipe); only regular files are read\n`,
    );
    const big = path.join(dir, 'big.txt');
    writeFileSync(big, '');
    truncateSync(big, MAX_SEED_LIST_BYTES + 1);
    r = await run(['batch', big, '--out-dir', out, '--offline', DEMO_DIR, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${big}: the seed list is ${MAX_SEED_LIST_BYTES + 1} bytes, over the 64 MiB limit`,
    );
  });
});

describe('offline recording entries', () => {
  it('an entry that is a symlink, a FIFO or a directory is refused (exit 1), a regular one read', async () => {
    const rec = path.join(dir, 'rec');
    cpSync(DEMO_DIR, rec, { recursive: true });
    const file = `address_${SHOP_A}_txs.json`;
    const target = path.join(rec, file);
    const t = new DirectoryTransport(rec);
    expect((await t.get(`/address/${SHOP_A}/txs`)).body.startsWith('[')).toBe(true);

    rmSync(target);
    symlinkSync(path.join(DEMO_DIR, file), target);
    await expect(t.get(`/address/${SHOP_A}/txs`)).rejects.toThrow(
      `offline recording: ${target}: the recording entry is a symbolic link; only regular files are read`,
    );
    const r = await run(['trace', SHOP_A, '--offline', rec, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('the recording entry is a symbolic link');
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace

    rmSync(target);
    execFileSync('mkfifo', [target]);
    await expect(t.get(`/address/${SHOP_A}/txs`)).rejects.toThrow(
      'the recording entry is a FIFO (named pipe)',
    );
  });
});
