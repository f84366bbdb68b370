import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256, sha256File, writeOutputAtomic } from '../../src/output/write.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'btctrace-write-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('writeOutputAtomic', () => {
  it('writes the content and leaves no temporary file', async () => {
    const file = path.join(dir, 'trace.csv');
    await writeOutputAtomic(file, 'hop,txid\n0,ab\n');
    expect(readFileSync(file, 'utf8')).toBe('hop,txid\n0,ab\n');
    expect(readdirSync(dir)).toEqual(['trace.csv']);
  });

  it('replaces an existing file whole', async () => {
    const file = path.join(dir, 'trace.json');
    writeFileSync(file, 'old content that is longer than the new one');
    await writeOutputAtomic(file, '{}\n');
    expect(readFileSync(file, 'utf8')).toBe('{}\n');
    expect(readdirSync(dir)).toEqual(['trace.json']);
  });

  it('writes UTF-8 bytes', async () => {
    const file = path.join(dir, 'labels.csv');
    await writeOutputAtomic(file, 'Börse…\n');
    expect([...readFileSync(file)]).toEqual([0x42, 0xc3, 0xb6, 0x72, 0x73, 0x65, 0xe2, 0x80, 0xa6, 0x0a]);
  });

  it('cleans up its temporary file when the rename fails', async () => {
    const target = path.join(dir, 'taken');
    mkdirSync(path.join(target, 'child'), { recursive: true }); // a non-empty directory cannot be replaced
    await expect(writeOutputAtomic(target, 'x')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
  });

  it('fails without leaving anything when the directory does not exist', async () => {
    await expect(writeOutputAtomic(path.join(dir, 'missing', 'out.csv'), 'x')).rejects.toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('sha256', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ])('sha256(%j)', (text, hex) => {
    expect(sha256(text)).toBe(hex);
  });

  it('hashes a file to the same digest as its content', async () => {
    const file = path.join(dir, 'a.txt');
    await writeOutputAtomic(file, 'abc');
    expect(await sha256File(file)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
