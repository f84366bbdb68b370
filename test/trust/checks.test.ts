// Hostile explorers against the free checks (src/sources/checks.ts, src/trace/forward.ts): each
// case serves the demo recording with one field changed. An honest explorer gives the demo's
// figures with exit 0; every lie must end in an error row naming the transaction, partial: true
// and exit 1 — never a quietly different trace.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { EsploraServer } from '../support/esplora-server.js';
import type { Answer, MemoryChain } from '../support/memory.js';
import { startEsploraServer } from '../support/esplora-server.js';
import { loadDemoChain } from '../support/load-chain.js';
import { SHOP_A } from '../cli/helpers.js';
import { removeScratchDirs, scratchDir } from '../support/scratch.js';
import {
  CONSOLIDATION,
  demoTrace,
  EXCHANGE_X,
  hostileServer,
  OPERATOR,
  PEEL1,
  PEEL2,
  rowsOf,
  run,
  tamperTx,
  type Tamper,
} from './hostile.js';

afterAll(removeScratchDirs);

let server: EsploraServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function traceWith(tamper: Tamper, extra: string[] = []) {
  server = await hostileServer(tamper);
  const r = await demoTrace(server.url, extra);
  const json = JSON.parse(r.out) as { meta: { partial: boolean; checks: Record<string, number> } };
  return { ...r, rows: rowsOf(r), meta: json.meta };
}

const row = (rows: ReturnType<typeof rowsOf>, txid: string, vout: number) =>
  rows.find((r) => r.txid === txid && r.vout === vout);

describe('an honest explorer', () => {
  it('passes every check; the meta says which ran and how many items each covered', async () => {
    const r = await traceWith(() => undefined);
    expect(r.code).toBe(0);
    expect(r.meta.partial).toBe(false);
    expect(row(r.rows, CONSOLIDATION, 0)).toMatchObject({ status: 'spent', tainted_sat: 81_497_878 });
    expect(r.meta.checks).toEqual({
      txid_hash: 15,
      address_script: 15,
      prevout_parent: 12,
      outspend_spender: 8,
      history_involves: 7,
    });
  });

  it('--verify-txids adds the raw_hex count', async () => {
    const r = await traceWith(() => undefined, ['--verify-txids']);
    expect(r.code).toBe(0);
    expect(r.meta.checks.raw_hex).toBe(15);
  });
});

describe('a lying explorer', () => {
  it('an outspend naming a transaction that does not spend the output: error row, not 81,497,878 sat gone', async () => {
    const r = await traceWith((path, json) => {
      if (path !== `/tx/${CONSOLIDATION}/outspends`) return undefined;
      const list = json as { txid: string; vin: number }[];
      list[0]!.txid = OPERATOR;
      list[0]!.vin = 0;
      return list;
    });
    expect(r.code).toBe(1);
    expect(r.meta.partial).toBe(true);
    const bad = row(r.rows, CONSOLIDATION, 0)!;
    expect(bad).toMatchObject({ status: 'error', tainted_sat: 81_497_878 });
    expect(bad.note).toContain(`outspends say ${OPERATOR} spends ${CONSOLIDATION}:0, but no input of`);
    // Nothing downstream of the lie is invented, and nothing else changes.
    expect(r.rows.some((x) => x.txid === PEEL1)).toBe(false);
    expect(row(r.rows, OPERATOR, 1)).toMatchObject({ status: 'unspent', tainted_sat: 11_279_152 });
  });

  it('a rewritten txid (one transaction served under another id): error row on the output it claims to spend', async () => {
    const fake = 'ab'.repeat(32);
    const chain = loadDemoChain();
    // The fake id answers with PEEL1's body (txid field rewritten) and PEEL1's outspends, and the
    // consolidation's outspends name the fake id as the spender.
    server = await startEsploraServer({
      answer(path: string): Answer {
        if (path === `/tx/${fake}`) {
          const body = JSON.stringify({ ...chain.getTx(PEEL1)!, txid: fake });
          return { status: 200, body, contentType: 'application/json' };
        }
        if (path === `/tx/${fake}/outspends`) return chain.answer(`/tx/${PEEL1}/outspends`);
        const a = chain.answer(path);
        if (path !== `/tx/${CONSOLIDATION}/outspends`) return a;
        const list = JSON.parse(a.body) as { txid: string }[];
        list[0]!.txid = fake;
        return { ...a, body: JSON.stringify(list) };
      },
    } as unknown as MemoryChain);
    const r = await demoTrace(server.url);
    expect(r.code).toBe(1);
    const rows = rowsOf(r);
    const bad = row(rows, CONSOLIDATION, 0)!;
    expect(bad).toMatchObject({ status: 'error', tainted_sat: 81_497_878 });
    expect(bad.note).toContain(`transaction ${fake}: its fields hash to ${PEEL1}, not to its txid`);
    expect((JSON.parse(r.out) as { meta: { partial: boolean } }).meta.partial).toBe(true);
  });

  it('a balanced value shift between two outputs (fee unchanged): error row naming the transaction', async () => {
    const r = await traceWith(
      tamperTx(PEEL1, (tx) => {
        tx.vout[0]!.value -= 10_000_000; // less to the ExchangeX deposit
        tx.vout[1]!.value += 10_000_000; // more down the peel chain
      }),
    );
    expect(r.code).toBe(1);
    expect(r.meta.partial).toBe(true);
    const bad = row(r.rows, CONSOLIDATION, 0)!;
    expect(bad).toMatchObject({ status: 'error', tainted_sat: 81_497_878 });
    expect(bad.note).toContain(`spender ${PEEL1}: transaction ${PEEL1}: its fields hash to`);
  });

  it('an address swapped to a labelled exchange on an unchanged script: error row, no false ExchangeX endpoint', async () => {
    const r = await traceWith(
      tamperTx(PEEL2, (tx) => {
        tx.vout[1]!.scriptpubkey_address = EXCHANGE_X; // was LuckyDice's 1E7LE5A9…
      }),
    );
    expect(r.code).toBe(1);
    const bad = row(r.rows, PEEL1, 1)!;
    expect(bad).toMatchObject({ status: 'error', tainted_sat: 68_789_617 });
    expect(bad.note).toContain(`transaction ${PEEL2}: vout[1].address: the explorer says ${EXCHANGE_X}`);
    expect(r.rows.filter((x) => x.address === EXCHANGE_X).map((x) => x.txid)).not.toContain(PEEL2);
  });

  it('a joined prevout that is not the parent output (fee adjusted, txid still hashes): error row', async () => {
    const r = await traceWith(
      tamperTx(PEEL2, (tx) => {
        tx.vin[0]!.prevout!.value += 50_000_000;
        tx.fee += 50_000_000;
      }),
    );
    expect(r.code).toBe(1);
    const bad = row(r.rows, PEEL1, 1)!;
    expect(bad).toMatchObject({ status: 'error', tainted_sat: 68_789_617 });
    expect(bad.note).toContain(
      `transaction ${PEEL2}: vin[0].prevout (output 1 of ${PEEL1}): the explorer joined 212394138 sat, the parent's output is 162394138 sat`,
    );
  });

  it('an address history listing a transaction that does not involve the address: the seed fails, exit 1', async () => {
    const peel1 = loadDemoChain().getTx(PEEL1)!;
    const r = await traceWith(() => undefined);
    expect(r.code).toBe(0);
    await server!.close();
    server = await hostileServer((path, json) =>
      path === `/address/${SHOP_A}/txs` ? [peel1, ...(json as unknown[])] : undefined,
    );
    const bad = await demoTrace(server.url);
    expect(bad.code).toBe(1);
    expect(bad.out).toBe('');
    expect(bad.err).toContain(
      `transaction ${PEEL1}: listed in the history of ${SHOP_A}, but no output or input`,
    );
    expect(bad.err.trim().split('\n')).toHaveLength(1);
  });
});

describe('a lying explorer, backward', () => {
  it('a false prevout is caught when the parent is read after the child: error row on that input', async () => {
    server = await hostileServer(
      tamperTx(PEEL1, (tx) => {
        tx.vin[0]!.prevout!.value += 1_000_000;
        tx.fee += 1_000_000;
      }),
    );
    const r = await run([
      'trace',
      EXCHANGE_X,
      '--direction',
      'backward',
      '--hops',
      '2',
      '--format',
      'json',
      '--api-url',
      server.url,
    ]);
    expect(r.code).toBe(1);
    const rows = rowsOf(r);
    const bad = row(rows, CONSOLIDATION, 0)!;
    expect(bad.status).toBe('error');
    expect(bad.note).toContain(
      `transaction ${PEEL1}: vin[0].prevout (output 0 of ${CONSOLIDATION}): the explorer joined 193394990 sat, the parent's output is 192394990 sat`,
    );
    expect((JSON.parse(r.out) as { meta: { partial: boolean } }).meta.partial).toBe(true);
  });
});

describe('the manifest', () => {
  it('counts each check for an offline run written with -o', async () => {
    const { readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const { DEMO_DIR, DEMO_TAGS } = await import('../cli/helpers.js');
    const out = path.join(scratchDir('btctrace-checks-'), 'case.csv');
    const r = await run([
      'trace',
      SHOP_A,
      '--tags',
      DEMO_TAGS,
      '--hops',
      '10',
      '--offline',
      DEMO_DIR,
      '-o',
      out,
    ]);
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')) as {
      counts: Record<string, number>;
    };
    expect(manifest.counts).toMatchObject({
      checks_txid_hash: 15,
      checks_address_script: 15,
      checks_prevout_parent: 12,
      checks_outspend_spender: 8,
      checks_history_involves: 7,
    });
    expect(manifest.counts.checks_raw_hex).toBeUndefined();
  });
});
