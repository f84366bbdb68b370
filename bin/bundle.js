// Runs dist/btctrace.cjs, the CLI bundled by esbuild (npm run bundle), as node's CommonJS loader
// would, but compiled with V8's code cache in dist/btctrace.cjs.cache (made at build time by
// bin/code-cache.js): that saves most of the compiling a cold start spends (some 60 ms of a demo
// trace on this machine). The cache is used only when it was made from these very bytes (its
// first 32 bytes are their SHA-256: V8 itself checks no more than the length) and V8 accepts it.
// The bundle has no import() (esbuild turns the packages left out of it into require calls):
// a script compiled here could not run one without --experimental-vm-modules.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

export const BUNDLE = fileURLToPath(new URL('../dist/btctrace.cjs', import.meta.url));
export const CACHE = `${BUNDLE}.cache`;

/** A file's bytes, or null when it cannot be read (a cache not made yet, say). */
export function readIfThere(file) {
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}

/** The bundle's exports (main), its compiled script and the SHA-256 of its bytes. */
export function loadBundle({ useCache = true } = {}) {
  const source = readFileSync(BUNDLE);
  const digest = createHash('sha256').update(source).digest();
  const cache = useCache ? readIfThere(CACHE) : null;
  const cachedData = cache && cache.subarray(0, 32).equals(digest) ? cache.subarray(32) : undefined;
  const script = new vm.Script(
    `(function (exports, require, module, __filename, __dirname) {${source.toString('utf8')}\n})`,
    {
      filename: BUNDLE,
      cachedData,
    },
  );
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, path.dirname(BUNDLE));
  return { main: module.exports.main, script, digest };
}
