// Start-up, as a user meets it: the built CLI (bin/btctrace.js over dist/: the bundle
// dist/btctrace.cjs and its V8 code cache, as npm run build leaves them) in fresh processes.
//   node -e 0        node's own start-up on this machine, the floor under every other line
//   --version        answered by the launcher without loading the CLI
//   demo trace       the offline demo (`npm run demo`, table) and the same as CSV, start to exit
//   first request    a live trace against a loopback explorer: from spawn to the first request
//                    arriving (the server answers 404, so the run ends there)
// Each figure is the minimum of `runs` runs, the commands interleaved (one of each per round),
// so a burst of load on the machine does not land on one command only.

import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface StartupFigures {
  runs: number;
  /** Minimum wall time, ms. */
  nodeMs: number;
  versionMs: number;
  demoTableMs: number;
  demoCsvMs: number;
  firstRequestMs: number;
  /** Minimum CPU time of the process itself, ms. */
  nodeCpuMs: number;
  versionCpuMs: number;
  demoTableCpuMs: number;
  demoCsvCpuMs: number;
}

const DEMO_ADDRESS = 'bc1qgxa0vq022w24wgcw78zr2zvla445qujuhm6wq8';

/** Prints the process's own CPU time (all threads) on stderr as it exits. */
const CPU_PROBE =
  'data:text/javascript,import{writeSync}from"node:fs";process.on("exit",()=>{const u=process.cpuUsage();writeSync(2,"\\ncpu-ms "+(u.user+u.system)/1000+"\\n")})';

/** Wall and CPU time (ms) of one run: CPU is less disturbed by other load on the machine. */
function timed(repo: string, args: string[]): { wall: number; cpu: number } {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', CPU_PROBE, ...args], { cwd: repo, encoding: 'utf8' });
  const wall = performance.now() - t;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const m = /cpu-ms ([0-9.]+)\s*$/.exec(r.stderr);
  return { wall, cpu: m ? Number(m[1]) : NaN };
}

async function firstRequest(repo: string): Promise<number> {
  let arrived: number | null = null;
  const server = createServer((req, res) => {
    arrived ??= performance.now();
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not here');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  const t = performance.now();
  const child = spawn(
    process.execPath,
    [
      'bin/btctrace.js',
      'trace',
      DEMO_ADDRESS,
      '--api-url',
      `http://127.0.0.1:${port}/api`,
      '--no-cache',
      '--quiet',
      '--format',
      'csv',
    ],
    { cwd: repo, stdio: 'ignore' },
  );
  await new Promise<void>((r) => child.once('exit', () => r()));
  await new Promise<void>((r) => server.close(() => r()));
  if (arrived === null) throw new Error('first-request bench: the trace sent no request');
  return arrived - t;
}

export async function measureStartup(repo: string, runs = 15): Promise<StartupFigures> {
  const bin = path.join(repo, 'bin/btctrace.js');
  const demo = [bin, 'trace', DEMO_ADDRESS, '--offline', 'fixtures/demo', '--tags', 'fixtures/demo/tags.csv'];
  const commands = {
    node: ['-e', '0'],
    version: [bin, '--version'],
    demoTable: [...demo, '--hops', '6'],
    demoCsv: [...demo, '--hops', '6', '--format', 'csv'],
  };
  const best: Record<string, number> = {};
  const keep = (k: string, v: number) => (best[k] = Math.min(best[k] ?? Infinity, v));
  for (let i = 0; i < runs; i++) {
    for (const [name, args] of Object.entries(commands)) {
      const { wall, cpu } = timed(repo, args);
      keep(`${name}Ms`, wall);
      keep(`${name}CpuMs`, cpu);
    }
    keep('firstRequestMs', await firstRequest(repo));
  }
  return { runs, ...best } as unknown as StartupFigures;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const repo = path.resolve(process.argv[2] ?? '.');
  const f = await measureStartup(repo, Number(process.argv[3] ?? 15));
  process.stdout.write(JSON.stringify(f) + '\n');
}
