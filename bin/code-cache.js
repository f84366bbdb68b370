// Build step (npm run bundle): writes dist/btctrace.cjs.cache, V8's code for the bundled CLI
// after it has run the demo trace as a table and as CSV and a live trace against a loopback
// explorer that answers 404 (outputs discarded), so the functions a trace needs, axios's among
// them, are in it too, not only the top level. See bin/bundle.js.
// A build whose bundle came out byte-identical (npm ci's prepare, then build, then pretest, in
// CI) keeps the cache it has: dist/btctrace.cjs.cache.key holds the SHA-256 of what the cache
// was made from (the bundle, this script and bundle.js, node's version) and of the cache
// itself, and the warm-up runs again whenever any of them differs or is missing.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE, CACHE, loadBundle, readIfThere } from './bundle.js';

const sha256 = (...parts) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest('hex');
const KEY = `${CACHE}.key`;
const key = sha256(
  readFileSync(BUNDLE),
  readFileSync(fileURLToPath(import.meta.url)),
  readFileSync(fileURLToPath(new URL('./bundle.js', import.meta.url))),
  process.version,
  process.arch,
);
const made = readIfThere(CACHE);
if (made && readIfThere(KEY)?.toString() === `${key} ${sha256(made)}\n`) process.exit(0);
rmSync(KEY, { force: true }); // a run that fails from here on leaves no key that vouches for the cache

const root = (p) => fileURLToPath(new URL(`../${p}`, import.meta.url));
const demo = ['trace', 'bc1qgxa0vq022w24wgcw78zr2zvla445qujuhm6wq8', '--offline', root('fixtures/demo')];
demo.push('--tags', root('fixtures/demo/tags.csv'), '--hops', '6');
const io = {
  stdout: () => {},
  stderr: (t) => void process.stderr.write(t),
  stderrIsTTY: false,
  stdoutIsTTY: false,
  env: process.env,
  now: () => new Date(),
};
// a label store or cache of the user who builds stays out of it: empty dirs instead
const scratch = mkdtempSync(path.join(tmpdir(), 'btctrace-code-cache-'));
process.env.XDG_DATA_HOME = scratch;
process.env.XDG_CACHE_HOME = scratch;
const { main, script, digest } = loadBundle({ useCache: false });
for (const format of ['table', 'csv']) {
  const code = await main([...demo, '--format', format], io);
  if (code !== 0) throw new Error(`code-cache: the demo trace (${format}) exited ${code}`);
}
// the live path up to its first answer: the HTTP client loaded, one request sent and read
const server = createServer((_req, res) =>
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not here'),
);
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const api = `http://127.0.0.1:${server.address().port}/api`;
const code = await main([demo[0], demo[1], '--api-url', api, '--no-cache', '--quiet', '--format', 'csv'], {
  ...io,
  stderr: () => {}, // its error (no such address there) is the expected end
});
await new Promise((r) => server.close(r));
if (code === 0) throw new Error('code-cache: the trace against a 404 explorer exited 0');
const cache = Buffer.concat([digest, script.createCachedData()]);
writeFileSync(CACHE, cache);
writeFileSync(KEY, `${key} ${sha256(cache)}\n`);
rmSync(scratch, { recursive: true, force: true });
