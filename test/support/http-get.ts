// A bare HTTP GET for tests of the loopback server: no keep-alive pool (agent: false), no retries,
// every outcome (status, reset, timeout) reported as it happened.

import { request } from 'node:http';

export type GetResult =
  | {
      kind: 'response';
      status: number;
      headers: Record<string, string | string[] | undefined>;
      body: string;
      ms: number;
    }
  | { kind: 'error'; code: string; message: string; ms: number }
  | { kind: 'timeout'; ms: number };

export function httpGet(url: string, timeoutMs = 5_000): Promise<GetResult> {
  const start = performance.now();
  const ms = (): number => performance.now() - start;
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          kind: 'response',
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: ms(),
        }),
      );
      res.on('error', (e: NodeJS.ErrnoException) =>
        resolve({ kind: 'error', code: e.code ?? '', message: e.message, ms: ms() }),
      );
    });
    req.setTimeout(timeoutMs, () => {
      resolve({ kind: 'timeout', ms: ms() });
      req.destroy();
    });
    req.on('error', (e: NodeJS.ErrnoException) =>
      resolve({ kind: 'error', code: e.code ?? '', message: e.message, ms: ms() }),
    );
    req.end();
  });
}
