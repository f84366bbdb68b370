// Build step (npm run bundle): writes dist/btctrace.cjs.cache, V8's code for the bundled CLI
// after it has run the demo trace as a table and as CSV and a live trace against a loopback
// explorer that answers 404 (outputs discarded), so the functions a trace needs, axios's among
// them, are in it too, not only the top level. See bin/bundle.js.
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE, loadBundle } from './bundle.js';

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
writeFileSync(CACHE, Buffer.concat([digest, script.createCachedData()]));
rmSync(scratch, { recursive: true, force: true });
