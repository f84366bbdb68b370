// The bench server in a child process of its own. A real explorer is another machine: its CPU
// time must not be charged to the client, and on a 2-core machine the two event loops then
// run side by side. The child builds the case's chain itself from (name, size), which the
// generators make deterministic, so nothing large crosses the IPC channel but the log.
//
// Parent side: startServerProcess(). Child side: this file run with `node --import tsx`.

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchCase, type CaseName, type CaseSize } from './cases.js';
import { startBenchServer, type BenchLogEntry, type BenchServer, type BenchServerOptions } from './server.js';

interface StartMessage {
  kind: 'start';
  name: CaseName;
  size: CaseSize;
  options: BenchServerOptions;
}
type ParentMessage = StartMessage | { kind: 'log' } | { kind: 'close' };
type ChildMessage =
  { kind: 'ready'; url: string } | { kind: 'log'; log: BenchLogEntry[] } | { kind: 'error'; message: string };

const SELF = fileURLToPath(import.meta.url);

export async function startServerProcess(
  name: CaseName,
  size: CaseSize,
  options: BenchServerOptions,
): Promise<BenchServer> {
  const child = fork(SELF, ['--bench-server-child'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting: ((m: ChildMessage) => void)[] = [];
  let failed: Error | null = null;
  child.on('message', (m: ChildMessage) => waiting.shift()?.(m));
  child.on('exit', (code) => {
    failed ??= new Error(`bench server process exited with code ${code}`);
    for (const w of waiting.splice(0)) w({ kind: 'error', message: failed.message });
  });
  const ask = (m: ParentMessage): Promise<ChildMessage> =>
    new Promise((resolve, reject) => {
      if (failed) return reject(failed);
      waiting.push((answer) =>
        answer.kind === 'error' ? reject(new Error(answer.message)) : resolve(answer),
      );
      child.send(m);
    });
  const ready = await ask({ kind: 'start', name, size, options });
  if (ready.kind !== 'ready') throw new Error(`bench server process: unexpected ${ready.kind}`);
  let closing: Promise<void> | null = null;
  return {
    url: ready.url,
    log: async () => {
      const m = await ask({ kind: 'log' });
      return m.kind === 'log' ? m.log : [];
    },
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ kind: 'close' } satisfies ParentMessage);
      })),
  };
}

function childMain(): void {
  let server: BenchServer | null = null;
  const reply = (m: ChildMessage): void => void process.send!(m);
  process.on('message', (m: ParentMessage) => {
    void (async () => {
      try {
        if (m.kind === 'start') {
          const chain = benchCase(m.name, m.size).builder.chain();
          server = await startBenchServer(chain, m.options);
          reply({ kind: 'ready', url: server.url });
        } else if (m.kind === 'log') {
          reply({ kind: 'log', log: server ? await server.log() : [] });
        } else {
          await server?.close();
          process.disconnect();
          process.exit(0);
        }
      } catch (e) {
        reply({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
      }
    })();
  });
  // The parent went away: do not linger.
  process.on('disconnect', () => process.exit(0));
}

if (process.argv.includes('--bench-server-child')) childMain();
