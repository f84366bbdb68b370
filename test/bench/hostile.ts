// The hostile-explorer table of issue 8: each abuse of the HTTP layer, with 1, 4 and 8 seeds,
// against the built CLI (bin/btctrace.js, dist/) under /usr/bin/time -v. Prints one Markdown row
// per case: what btctrace said, exit code, wall time, peak RSS. Target: exit 1, < 60 s, < 400 MiB.
// Run: npm run bench:hostile (builds dist/ first; about 45 s); -- --all adds the trickling body.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostile, type HostileKind } from '../trust/hostile-http.js';
import { REPO_ROOT } from '../support/load-chain.js';

const SEEDS = [
  'bc1qgxa0vq022w24wgcw78zr2zvla445qujuhm6wq8',
  'bc1qlq2thetqmef3j2ea35lnt9nunc0xs97f9mjdev',
  'bc1qzjhwgsl92vavyd58q9demxp2uxk7j0qpmn5y2j',
  '3Q1nY8fjcEp7Yi2TtrF97pQQffdmqfK4Lg',
  // more demo addresses, so that 8 seeds fill the 8 requests a self-hosted explorer gets at once
  '3DcAsiagxGibYHvtvXZLCxtCPQcA8B73u1',
  'bc1qhxu6e69hwa6qs2dnf2glgwpyws0fqxw2n20zm2',
  '1E7LE5A9vRg61RiViunDon5YmkJZcEGQcb',
  'bc1qdghlu0jkyuxtrhxd45arnwe5y3twgxt7m06c3h',
];
const KINDS: HostileKind[] = ['endless', 'gzip-bomb', 'cursor-loop', 'redirect-origin', 'redirect-file'];
/** With --all: a body that trickles forever (ends on the 25 s resource deadline: +75 s). */
const SLOW: HostileKind[] = ['drip'];
const KILL_AFTER_MS = 90_000;

export interface HostileRun {
  kind: HostileKind;
  seeds: number;
  code: number | null;
  seconds: number;
  rssMiB: number;
  message: string;
  requests: number;
}

export async function runHostile(
  kind: HostileKind,
  seeds: number,
  extra: string[] = [],
): Promise<HostileRun> {
  const server = await startHostile(kind);
  const dir = mkdtempSync(join(tmpdir(), 'btctrace-hostile-'));
  try {
    const args = [
      '-v',
      process.execPath,
      join(REPO_ROOT, 'bin/btctrace.js'),
      'trace',
      ...SEEDS.slice(0, seeds),
      '--api-url',
      server.url,
      '--no-cache',
      '--quiet',
      '--hops',
      '3',
      '-o',
      join(dir, 'out.csv'),
      ...extra,
    ];
    const child = spawn('/usr/bin/time', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.resume();
    const kill = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    clearTimeout(kill);
    const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(err)?.[1] ?? NaN);
    const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(err);
    const seconds = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
    const exit = /Exit status: (\d+)/.exec(err);
    const message = err
      .split('\n')
      .filter((l) => l.trim() !== '' && !/^\s/.test(l) && !l.startsWith('Command'))
      .join(' | ');
    return {
      kind,
      seeds,
      code: exit ? Number(exit[1]) : code,
      seconds,
      rssMiB: rss / 1024,
      message,
      requests: server.requests,
    };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log('| case | seeds | btctrace now (stderr) | exit | time | peak RSS | requests |');
  console.log('|---|---|---|---|---|---|---|');
  let ok = true;
  for (const kind of process.argv.includes('--all') ? [...KINDS, ...SLOW] : KINDS) {
    for (const seeds of [1, 4, 8]) {
      const r = await runHostile(kind, seeds);
      const pass = r.code === 1 && r.seconds < 60 && r.rssMiB < 400;
      ok &&= pass;
      const msg = r.message.length > 300 ? `${r.message.slice(0, 300)}…` : r.message;
      console.log(
        `| ${kind} | ${seeds} | ${msg.replace(/\|/g, '\\|')} | ${r.code} | ${r.seconds.toFixed(2)} s | ${r.rssMiB.toFixed(0)} MiB | ${r.requests} |${pass ? '' : ' **FAIL**'}`,
      );
    }
  }
  if (!ok) process.exitCode = 1;
}

if (process.argv[1]?.endsWith('hostile.ts')) await main();
