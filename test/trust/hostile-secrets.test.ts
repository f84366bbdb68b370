// Item 4 of issue 8: an --api-url with user:pass@ and ?apikey= works (the explorer below
// answers only when both come with every request) and the secret is in no output: stdout,
// stderr, output files, manifests, the cache database, recordings. The built binary is run (a
// real argv, as the manifest records it), and every byte it wrote is searched for the secret.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitApiUrl, publicApiUrl, scrub } from '../../src/sources/api-url.js';
import { redactArgv } from '../../src/cli/parse.js';
import { HttpTransport } from '../../src/sources/http.js';
import { DEMO_TAGS, REPO, SHOP_A } from '../cli/helpers.js';
import { CONSOLIDATION } from './hostile.js';
import { SECRET, startHostile, type HostileServer } from './hostile-http.js';

const NEEDLES = [
  SECRET.pass,
  SECRET.apikey,
  Buffer.from(`${SECRET.user}:${SECRET.pass}`).toString('base64'),
  `${SECRET.user}:`,
];

interface Ran {
  code: number | null;
  out: string;
  err: string;
}

function bin(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO, 'bin/btctrace.js'), ...args], {
      cwd: REPO,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** Every file under dir, as raw bytes (the SQLite cache and its WAL included). */
function filesUnder(dir: string): { file: string; bytes: Buffer }[] {
  const out: { file: string; bytes: Buffer }[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push({ file: p, bytes: readFileSync(p) });
  }
  return out;
}

/** Occurrences of any secret in the text (as UTF-8 or UTF-16, which SQLite may use). */
function leaks(what: string, bytes: Buffer): string[] {
  const found: string[] = [];
  for (const n of NEEDLES) {
    if (bytes.includes(Buffer.from(n, 'utf8')) || bytes.includes(Buffer.from(n, 'utf16le'))) {
      found.push(`${what}: ${n}`);
    }
  }
  return found;
}

let server: HostileServer;
let dir: string;
let secretUrl: string;
beforeAll(async () => {
  server = await startHostile('secret');
  dir = mkdtempSync(path.join(tmpdir(), 'btctrace-secret-'));
  mkdirSync(path.join(dir, 'out'));
  const u = new URL(server.url);
  secretUrl = `http://${SECRET.user}:${SECRET.pass}@${u.host}${u.pathname}?apikey=${SECRET.apikey}`;
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('an --api-url with basic auth and an API key', () => {
  it('trace, tx, address and cluster work, sending both on every request; the secret is in no output', async () => {
    const cache = path.join(dir, 'cache');
    const common = ['--api-url', secretUrl, '--cache-dir', cache];
    const runs: [string, Ran][] = [];
    const go = async (name: string, args: string[]) => runs.push([name, await bin([...args, ...common])]);
    await go('trace json', [
      'trace',
      SHOP_A,
      '--tags',
      DEMO_TAGS,
      '--hops',
      '10',
      '-o',
      path.join(dir, 'out', 'trace.json'),
    ]);
    await go('trace csv', [
      'trace',
      SHOP_A,
      '--hops',
      '3',
      '--record',
      path.join(dir, 'rec'),
      '-o',
      path.join(dir, 'out', 'trace.csv'),
    ]);
    await go('trace table', ['trace', SHOP_A, '--hops', '2']);
    await go('tx', ['tx', CONSOLIDATION]);
    await go('tx json', ['tx', CONSOLIDATION, '--format', 'json']);
    await go('address', ['address', SHOP_A]);
    await go('cluster', ['cluster', SHOP_A, '-o', path.join(dir, 'out', 'cluster.csv')]);
    for (const [name, r] of runs) expect([name, r.code, r.err]).toEqual([name, 0, expect.any(String)]);
    expect(server.refused).toBe(0);
    expect(server.requests).toBeGreaterThan(20);

    const found: string[] = [];
    for (const [name, r] of runs) {
      found.push(
        ...leaks(`${name} stdout`, Buffer.from(r.out)),
        ...leaks(`${name} stderr`, Buffer.from(r.err)),
      );
    }
    const files = filesUnder(dir);
    expect(files.map((f) => path.basename(f.file))).toEqual(
      expect.arrayContaining(['trace.json', 'trace.csv', 'cluster.csv', 'cache.sqlite']),
    );
    for (const f of files) found.push(...leaks(path.relative(dir, f.file), f.bytes));
    expect(found).toEqual([]);
    // the manifest names the host (without the secret) and the command line, redacted
    const manifest = readFileSync(path.join(dir, 'out', 'trace.json.manifest.json'), 'utf8');
    expect(manifest).toContain(server.url);
  });

  it('a wrong password: exit 1, "HTTP 401", and neither the wrong nor the right secret printed', async () => {
    const wrong = secretUrl.replace(SECRET.pass, 'WrongPassw0rd');
    const r = await bin(['tx', CONSOLIDATION, '--api-url', wrong, '--no-cache']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${server.url}: /tx/${CONSOLIDATION}: HTTP 401: Unauthorized`);
    expect(r.err).not.toContain('WrongPassw0rd');
    expect(leaks('stderr', Buffer.from(r.err))).toEqual([]);
  });

  it('a bad --api-url is named without its secret', async () => {
    const r = await bin([
      'tx',
      CONSOLIDATION,
      '--api-url',
      `ftp://${SECRET.user}:${SECRET.pass}@h/api?apikey=${SECRET.apikey}`,
    ]);
    expect([r.code, r.err.trim()]).toEqual([
      2,
      'btctrace: --api-url ftp://h/api: must be an http or https URL',
    ]);
  });
});

describe('the request line', () => {
  it('paths go before the base URL query, joined with & when the path has its own; auth as a header', async () => {
    const seen: { url: string; auth: string | undefined }[] = [];
    const srv = createServer((req, res) => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization });
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('1');
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const port = (srv.address() as AddressInfo).port;
      const http = new HttpTransport({ baseUrl: `http://u%3A1:p%40ss@127.0.0.1:${port}/api/?apikey=K%26y` });
      expect(http.description).toBe(`http://127.0.0.1:${port}/api`);
      await http.get('/blocks/tip/height');
      await http.get('/v1/historical-price?currency=USD&timestamp=1');
      const auth = `Basic ${Buffer.from('u:1:p@ss').toString('base64')}`;
      expect(seen).toEqual([
        { url: '/api/blocks/tip/height?apikey=K%26y', auth },
        { url: '/api/v1/historical-price?currency=USD&timestamp=1&apikey=K%26y', auth },
      ]);
    } finally {
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });
});

describe('splitting and redacting the URL', () => {
  it('user info becomes a basic-auth header, the query is kept apart, the base has neither', () => {
    const u = splitApiUrl('https://us%40er:p%3Ass@host.example:8443/api/?apikey=k3y&x=1#frag');
    expect(u.base).toBe('https://host.example:8443/api');
    expect(u.query).toBe('apikey=k3y&x=1');
    expect(u.authorization).toBe(`Basic ${Buffer.from('us@er:p:ss').toString('base64')}`);
    expect(scrub('GET https://host/api?apikey=k3y&x=1 failed (p:ss)', u.secrets)).toBe(
      'GET https://host/api?*** failed (***)',
    );
  });

  it('a URL with neither has no secrets and no header', () => {
    expect(splitApiUrl('http://127.0.0.1:3000/api')).toEqual({
      base: 'http://127.0.0.1:3000/api',
      query: '',
      authorization: null,
      secrets: [],
    });
  });

  it('publicApiUrl drops user info, query and fragment, also from text that is not a URL', () => {
    expect(publicApiUrl('https://a:b@h/api?k=v')).toBe('https://h/api');
    expect(publicApiUrl('ht!tp://a:b@h/x?k')).toBe('ht!tp://a:b@h/x');
    expect(publicApiUrl('not a url?key=1')).toBe('not a url');
  });

  it('redactArgv redacts --api-url values in both spellings and nothing else', () => {
    expect(
      redactArgv([
        'trace',
        'x',
        '--api-url',
        'http://u:p@h/api?k=1',
        '--api-url=https://h2/api?key=2',
        '--tags',
        'a?b',
      ]),
    ).toEqual(['trace', 'x', '--api-url', 'http://h/api', '--api-url=https://h2/api', '--tags', 'a?b']);
  });
});
