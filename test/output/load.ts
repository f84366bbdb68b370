// Fixture loading for the output tests: hand-made TraceResults in fixtures/*.json.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunMeta } from '../../src/output/meta.js';
import type { TraceResult } from '../../src/trace/result.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export function fixturePath(name: string): string {
  return path.join(here, 'fixtures', name);
}

export function readFixture(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

/** A fresh copy each call, so a test may mutate it. */
export function loadTrace(name: string): TraceResult {
  return JSON.parse(readFixture(name)) as TraceResult;
}

/** The same rows and transactions in a different, fixed order (a deterministic shuffle). */
export function shuffled(result: TraceResult, seed: number): TraceResult {
  const rows = [...result.rows];
  const txs = [...result.txs];
  let s = seed;
  const next = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s;
  };
  for (const list of [rows, txs] as unknown[][]) {
    for (let i = list.length - 1; i > 0; i--) {
      const j = next() % (i + 1);
      [list[i], list[j]] = [list[j], list[i]];
    }
  }
  return { ...result, rows, txs };
}

export const META: RunMeta = {
  tool: 'btctrace',
  version: '0.1.0',
  command: ['trace', '1SeedVictimAddr9xQwErTyUiOpAsDfGh', '--hops', '2', '--format', 'json'],
  options: {
    stopAt: ['exchange'],
    model: 'haircut',
    minSat: 1000,
    hops: 2,
    direction: 'forward',
    apiUrl: undefined,
    maxTxs: 2,
  },
  source: 'offline:fixtures/demo',
  network: 'bitcoin',
  tipHeight: 700200,
  startedAt: '2024-05-01T10:00:00Z',
  finishedAt: '2024-05-01T10:00:05Z',
  modelConventions: 'haircut: fee takes its share; exact until printed; round half up per output',
  partial: false,
  warnings: ['provider answered 1 request with HTTP 429 (retried)'],
  requests: 12,
};
