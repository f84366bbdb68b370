// bin/btctrace.js runs the bundle (dist/btctrace.cjs) only when it is at least as new as tsc's
// dist/cli/main.js, and bin/bundle.js uses V8's code cache only when it was made from the same
// bytes. Both are checked on a copy of bin/ with stand-in dist files, so the real dist/ (which
// other tests spawn) is never touched.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(fileURLToPath(import.meta.url), '../../..');

/** A package dir with the real bin/ and dist stand-ins that say which of them ran. */
function fakePackage(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'btctrace-launcher-'));
  mkdirSync(path.join(dir, 'bin'));
  mkdirSync(path.join(dir, 'dist/cli'), { recursive: true });
  for (const f of ['btctrace.js', 'bundle.js'])
    copyFileSync(path.join(REPO, 'bin', f), path.join(dir, 'bin', f));
  writeFileSync(path.join(dir, 'package.json'), '{"type":"module","version":"9.9.9"}\n');
  writeFileSync(
    path.join(dir, 'dist/cli/main.js'),
    'export async function main(a) { process.stdout.write(`modules ${a.join(" ")}\\n`); return 3; }\n',
  );
  writeFileSync(
    path.join(dir, 'dist/btctrace.cjs'),
    'exports.main = async (a) => { process.stdout.write(`bundle ${a.join(" ")}\\n`); return 4; };\n',
  );
  return dir;
}

function setTime(file: string, seconds: number): void {
  utimesSync(file, seconds, seconds);
}

function run(dir: string, args: string[]) {
  const r = spawnSync(process.execPath, [path.join(dir, 'bin/btctrace.js'), ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('launcher', () => {
  it('runs the bundle when it is as new as dist/cli/main.js or newer, else the modules', () => {
    const dir = fakePackage();
    const bundle = path.join(dir, 'dist/btctrace.cjs');
    const modules = path.join(dir, 'dist/cli/main.js');
    setTime(modules, 1_000_000);
    setTime(bundle, 1_000_000);
    expect(run(dir, ['trace', 'x'])).toEqual({ code: 4, out: 'bundle trace x\n', err: '' });
    setTime(bundle, 1_000_500);
    expect(run(dir, ['trace', 'x'])).toEqual({ code: 4, out: 'bundle trace x\n', err: '' });
    setTime(modules, 1_000_501); // tsc ran after the last bundle
    expect(run(dir, ['trace', 'x'])).toEqual({ code: 3, out: 'modules trace x\n', err: '' });
    expect(run(dir, ['--version'])).toEqual({ code: 0, out: '9.9.9\n', err: '' });
  });

  it('runs the modules when there is no bundle', () => {
    const dir = fakePackage();
    rmSync(path.join(dir, 'dist/btctrace.cjs'));
    expect(run(dir, ['a', 'b'])).toEqual({ code: 3, out: 'modules a b\n', err: '' });
  });
});

describe('code cache', () => {
  it('the built bundle compiles from its cache (made by npm run bundle)', async () => {
    const { loadBundle } = (await import(path.join(REPO, 'bin/bundle.js'))) as {
      loadBundle: () => { main: unknown; script: { cachedDataRejected?: boolean } };
    };
    const { main, script } = loadBundle();
    expect(typeof main).toBe('function');
    expect(script.cachedDataRejected).toBe(false);
  });

  it('a cache made from other bytes of the same length is not used', () => {
    const dir = fakePackage();
    const bundle = path.join(dir, 'dist/btctrace.cjs');
    // the cache of the stand-in bundle, then the bundle changed in one byte (same length)
    const make = `import { writeFileSync } from 'node:fs'; import { Buffer } from 'node:buffer';
      const { loadBundle, CACHE } = await import(${JSON.stringify(path.join(dir, 'bin/bundle.js'))});
      const { script, digest } = loadBundle({ useCache: false });
      writeFileSync(CACHE, Buffer.concat([digest, script.createCachedData()]));`;
    expect(spawnSync(process.execPath, ['--input-type=module', '-e', make]).status).toBe(0);
    const probe = `const { loadBundle } = await import(${JSON.stringify(path.join(dir, 'bin/bundle.js'))});
      const s = loadBundle().script; process.stdout.write(String(s.cachedDataRejected));`;
    const rejected = () =>
      spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' }).stdout;
    expect(rejected()).toBe('false'); // same bytes: V8 takes the cache
    writeFileSync(bundle, readFileSync(bundle, 'utf8').replace('bundle ', 'BUNDLE '));
    expect(rejected()).toBe('undefined'); // not even offered to V8
    expect(run(dir, ['y'])).toEqual({ code: 4, out: 'BUNDLE y\n', err: '' });
  });
});
