// tx, address, cluster and trace --cluster over the demo recording, in-process.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIO, DEMO_DIR, DEMO_TAGS, SHOP_A } from './helpers.js';
import { removeScratchDirs, scratchDir } from '../support/scratch.js';

afterAll(removeScratchDirs);

const SHOP = [
  SHOP_A,
  'bc1qlq2thetqmef3j2ea35lnt9nunc0xs97f9mjdev',
  'bc1qzjhwgsl92vavyd58q9demxp2uxk7j0qpmn5y2j',
  '3Q1nY8fjcEp7Yi2TtrF97pQQffdmqfK4Lg',
];
const CONSOLIDATION = 'bb1b8f8f9efc9e1ebb1582427938a9dcfdc32322ce424d91518bfbce23d02e31';
const COINJOIN = 'e3eb40a49ec96ddda3fc8b668b824a1a7d11b4f70426f52cf9ab7626bf56e096';

async function run(argv: string[]) {
  const io = captureIO();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('btctrace cluster', () => {
  it('finds the four shop addresses (linked only through the consolidation) from one seed', async () => {
    const r = await run(['cluster', SHOP_A, '--offline', DEMO_DIR, '--format', 'csv']);
    expect(r.code).toBe(0);
    const rows = r.out
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const byAddr = new Map(rows.map((c) => [c[1]!, c]));
    for (const a of SHOP) expect(byAddr.has(a)).toBe(true);
    expect(byAddr.get(SHOP_A)![2]).toBe(''); // the seed
    expect(byAddr.get(SHOP[1]!)![2]).toBe(CONSOLIDATION);
    expect(new Set(rows.map((c) => c[0]))).toEqual(new Set(['3Q1nY8fjcEp7Yi2TtrF97pQQffdmqfK4Lg']));
    expect(rows).toHaveLength(5); // + the operator's own address, co-spent with a ShopA payment
  });

  it('keeps CoinJoin participants apart and reports a cut cluster as incomplete (exit 1)', async () => {
    const cj = await run([
      'cluster',
      'bc1qdc6thfpdlc8g6s9fye0wum477dl4z6zglcpzgv',
      '--offline',
      DEMO_DIR,
      '--format',
      'json',
    ]);
    const j = JSON.parse(cj.out) as {
      members: { address: string }[];
      coinjoin_veto: string;
      coinjoins_not_linked: { txid: string; detectors: string[]; confidence: string }[];
    };
    expect(j.members).toHaveLength(1);
    expect(j.coinjoin_veto).toBe('likely');
    expect(
      j.coinjoins_not_linked.map(({ txid, detectors, confidence }) => ({ txid, detectors, confidence })),
    ).toEqual([{ txid: COINJOIN, detectors: ['whirlpool'], confidence: 'definite' }]);
    const cut = await run(['cluster', SHOP_A, '--offline', DEMO_DIR, '--max-addresses', '2']);
    expect(cut.code).toBe(1);
    expect(cut.out).toMatch(/INCOMPLETE CLUSTER/);
    expect(cut.err).toMatch(/INCOMPLETE CLUSTER/);
  });
});

describe('--coinjoin-veto', () => {
  const MEMBER = 'bc1qdc6thfpdlc8g6s9fye0wum477dl4z6zglcpzgv';
  it('trace flags carry the confidence; a bad threshold is a one-line error, exit 2', async () => {
    const t = await run([
      'trace',
      MEMBER,
      '--offline',
      DEMO_DIR,
      '--format',
      'csv',
      '--quiet',
      '--stop-at',
      'none',
    ]);
    expect(t.code).toBe(0);
    expect(t.out.split('\n').filter((l) => l.includes(',coinjoin:whirlpool:definite,'))).toHaveLength(5);
    const bad = await run(['cluster', MEMBER, '--offline', DEMO_DIR, '--coinjoin-veto', 'sure']);
    expect([bad.code, bad.err]).toEqual([
      2,
      'btctrace: --coinjoin-veto: "sure" is not one of definite, likely, possible\n',
    ]);
  });
  it('cluster names the threshold and the confidence of each skipped CoinJoin', async () => {
    const r = await run(['cluster', MEMBER, '--offline', DEMO_DIR, '--coinjoin-veto', 'definite']);
    expect(r.out).toMatch(/1 CoinJoin not used for linking \(veto at definite or stronger\)\./);
    expect(r.out).toContain(
      `not linked through CoinJoin ${COINJOIN} (definite: whirlpool: Whirlpool 5000000 sat pool: `,
    );
  });
});

describe('btctrace tx', () => {
  it('shows the CoinJoin with the detector that fired, fee and fee rate', async () => {
    const r = await run(['tx', COINJOIN, '--offline', DEMO_DIR, '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as {
      fee_sat: number;
      vsize: number;
      fee_rate_sat_vb: number;
      flags: string[];
      outputs: { value_sat: number }[];
    };
    expect(j.flags).toEqual(['coinjoin:whirlpool:definite', 'info:esplora:possible']);
    expect(j.fee_sat).toBe(760);
    expect(j.vsize).toBe(505);
    expect(j.fee_rate_sat_vb).toBe(1.5);
    expect(j.outputs.map((o) => o.value_sat)).toEqual([
      5_000_000, 5_000_000, 5_000_000, 5_000_000, 5_000_000,
    ]);
  });

  it('names a peel step and its likely change with the heuristics that found it', async () => {
    const peel = 'fe448c46';
    const full =
      readFileSync(path.join(DEMO_DIR, 'CASE.md'), 'utf8').match(/fe448c46[0-9a-f]{56}/)?.[0] ??
      (await run(['trace', SHOP_A, '--offline', DEMO_DIR, '--format', 'csv', '--quiet'])).out.match(
        new RegExp(`${peel}[0-9a-f]{56}`),
      )![0];
    const r = await run(['tx', full, '--offline', DEMO_DIR, '--tags', DEMO_TAGS, '--format', 'json']);
    const j = JSON.parse(r.out) as {
      flags: string[];
      outputs: { label: { label: string } | null; likely_change: string[] }[];
    };
    expect(j.flags).toContain('peel-step');
    expect(j.outputs[0]!.label?.label).toBe('ExchangeX');
    expect(j.outputs[1]!.likely_change).toContain('address-type');
    expect(j.outputs[0]!.likely_change).toEqual([]);
  });

  it('rejects a bad txid with exit 2', async () => {
    const r = await run(['tx', 'abc', '--offline', DEMO_DIR]);
    expect(r.code).toBe(2);
    expect(r.err).toBe('btctrace: abc: not a txid (64 hex characters)\n');
  });
});

describe('btctrace address', () => {
  it('gives balance, totals and first/last seen', async () => {
    const r = await run(['address', SHOP_A, '--offline', DEMO_DIR, '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as Record<string, unknown>;
    expect(j.received_sat).toBe(122_100_000);
    expect(j.balance_sat).toBe(14_000_000); // the late payment, unspent
    expect(j.history_complete).toBe(true);
    expect((j.first_seen as { txid: string }).txid).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('btctrace trace --cluster --change-heuristics', () => {
  it('adds the cluster column and change / peel flags', async () => {
    const r = await run([
      'trace',
      SHOP_A,
      '--offline',
      DEMO_DIR,
      '--tags',
      DEMO_TAGS,
      '--hops',
      '6',
      '--cluster',
      '--change-heuristics',
      'address-type,peel-chain',
      '--format',
      'csv',
      '--quiet',
    ]);
    const lines = r.out.trim().split('\n');
    expect(lines[0]!.endsWith(',cluster')).toBe(true);
    const seedRows = lines.filter((l) => l.includes(SHOP_A));
    expect(seedRows.length).toBe(5);
    for (const l of seedRows) expect(l.endsWith(',3Q1nY8fjcEp7Yi2TtrF97pQQffdmqfK4Lg')).toBe(true);
    expect(lines.filter((l) => l.includes('peel-step')).length).toBeGreaterThanOrEqual(8);
    expect(lines.filter((l) => l.includes('change:address-type')).length).toBeGreaterThanOrEqual(2);
  });
  it('writes a manifest next to -o and verify catches an edit', async () => {
    const dir = scratchDir('btctrace-verify-');
    const file = path.join(dir, 'case.csv');
    expect(
      (await run(['trace', SHOP_A, '--offline', DEMO_DIR, '--format', 'csv', '-o', file, '--quiet'])).code,
    ).toBe(0);
    const ok = await run(['verify', `${file}.manifest.json`]);
    expect(ok.code).toBe(0);
    const { appendFileSync } = await import('node:fs');
    appendFileSync(file, 'x');
    const bad = await run(['verify', `${file}.manifest.json`]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/CHANGED\s+case\.csv/);
  });
});
