// Correctness of what the benchmark measures (speed is only printed, never asserted):
// - the concurrent, reordered walk gives byte-identical CSV to a strictly sequential one on
//   every bench case, with answers arriving in a scrambled order;
// - the critical-path and window arithmetic on hand-worked inputs;
// - the engine: generated graphs are valid and reproducible, its taint equals the explorer
//   walk's on the same transactions for every model, its fast path equals the model functions,
//   its clustering equals a plain reference;
// - the short bench runs end to end and its outputs agree.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateGraph } from './graph/generate.js';
import { checkGraph, graphBytes, outCount, txOfOutput } from './graph/graph.js';
import { GraphSource } from './graph/source.js';
import { executeTrace, traceRequest } from '../../src/cli/trace.js';
import { createSource } from '../../src/sources/index.js';
import { EMPTY_BOOK } from '../../src/labels/memory-book.js';
import { MODELS } from '../../src/trace/models/index.js';
import { MODEL_NAMES } from '../../src/trace/taint.js';
import { trace } from '../../src/trace/walk.js';
import { benchCase, CASE_NAMES, type CaseName } from './cases.js';
import { ChainBuilder } from './chain-builder.js';
import { criticalPath, windowRounds } from './critical.js';
import { graphChain, memorySource } from './graph-chain.js';
import { runCase, type RunSettings } from './run-case.js';
import { runBench } from './run.js';
import { startBenchServer } from './server.js';
import { captureIO } from '../cli/helpers.js';

const work = mkdtempSync(path.join(tmpdir(), 'btctrace-bench-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const SEQUENTIAL: Omit<RunSettings, 'model'> = {
  latencyMs: 0,
  concurrency: 1,
  bulk: false,
  rate: 0,
  parallel: 1,
};

// Short cases, sequential walk: rows, CSV files, requests and critical path (hand-checked
// shapes: a 30-step peel chain is 1 address page + 30 hops; the fan-out is page, outspends of
// the spreading tx, then two hops; the batch has 20 one-seed traces).
const EXPECTED: Record<
  CaseName,
  { model: 'fifo' | 'haircut'; rows: number; files: number; requests: number; critical: number }[]
> = {
  peel: [
    { model: 'fifo', rows: 61, files: 1, requests: 61, critical: 31 },
    { model: 'haircut', rows: 61, files: 1, requests: 61, critical: 31 },
  ],
  fanout: [
    { model: 'fifo', rows: 91, files: 1, requests: 123, critical: 4 },
    { model: 'haircut', rows: 91, files: 1, requests: 123, critical: 4 },
  ],
  coinjoin: [
    { model: 'fifo', rows: 38, files: 1, requests: 37, critical: 5 },
    { model: 'haircut', rows: 135, files: 1, requests: 99, critical: 5 },
  ],
  batch: [
    { model: 'fifo', rows: 104, files: 20, requests: 121, critical: 4 },
    { model: 'haircut', rows: 104, files: 20, requests: 121, critical: 4 },
  ],
};

describe('the reordered walk gives the CSV of a strictly sequential walk', () => {
  for (const name of CASE_NAMES) {
    const c = benchCase(name, 'short');
    const chain = c.builder.chain();
    for (const [k, want] of EXPECTED[name].entries()) {
      it(`${name}, ${want.model}`, async () => {
        const sequential = await runCase(c, chain, { ...SEQUENTIAL, model: want.model }, work);
        // Concurrency 8, bulk outspends, 0-6 ms of random delay per answer: answers come back
        // in another order than they were asked.
        const concurrent = await runCase(
          c,
          chain,
          {
            latencyMs: 0,
            jitterMs: 6,
            jitterSeed: 11 + k,
            concurrency: 8,
            bulk: true,
            rate: 0,
            model: want.model,
            parallel: 8,
          },
          work,
        );
        expect({
          rows: sequential.rows,
          files: sequential.csv.size,
          requests: sequential.requests,
          critical: sequential.critical,
        }).toEqual({
          rows: want.rows,
          files: want.files,
          requests: want.requests,
          critical: want.critical,
        });
        expect(sequential.repeated).toEqual([]);
        expect(concurrent.repeated).toEqual([]);
        expect(concurrent.critical).toBe(want.critical);
        expect([...concurrent.csv.keys()]).toEqual([...sequential.csv.keys()]);
        for (const [file, text] of sequential.csv) expect(concurrent.csv.get(file), file).toBe(text);
      });
    }
  }
});

describe('forward walk requests', () => {
  it('asks no outspends for a seed output that a complete history shows unspent', async () => {
    const b = new ChainBuilder('unspent-seed');
    const kept = b.tx([], [{ to: 'seed', value: 70_000_000 }]);
    const spent = b.tx([], [{ to: 'seed', value: 30_000_000 }]);
    b.block();
    const pay = b.tx([`${spent}:0`], [{ to: 'shop', value: 29_990_000 }]);
    const server = await startBenchServer(b.chain());
    try {
      const source = createSource({ apiUrl: server.url, concurrency: 4 });
      const req = traceRequest([b.address('seed')], {
        format: 'csv',
        apiUrl: server.url,
        cache: false,
        quiet: true,
      });
      const io = captureIO();
      const run = await executeTrace(req, { io, argv: [], openSource: () => source });
      const status = new Map(run.result.rows.map((r) => [`${r.txid}:${r.vout}`, r.status]));
      expect(status.get(`${kept}:0`)).toBe('seed');
      expect(status.get(`${pay}:0`)).toBe('unspent');
      expect(run.result.rows.find((r) => r.txid === kept)?.spentBy).toBeNull();
      const paths = (await server.log()).map((e) => e.path).sort();
      expect(paths).toEqual(
        [`/address/${b.address('seed')}/txs`, '/blocks/tip/height', `/tx/${pay}/outspends`].sort(),
      );
    } finally {
      await server.close();
    }
  });
});

describe('backward walk requests', () => {
  it('takes a creator from the seed history instead of asking for it', async () => {
    // The seed pays X, and X's coin comes back to the seed: T1 (in the seed's history, though
    // it pays the seed nothing) is the creator of T2's input.
    const b = new ChainBuilder('backward-history');
    const fund = b.tx([], [{ to: 'seed', value: 50_000_000 }]);
    b.block();
    const t1 = b.tx([`${fund}:0`], [{ to: 'x', value: 49_990_000 }]);
    b.block();
    const t2 = b.tx([`${t1}:0`], [{ to: 'seed', value: 49_980_000 }]);
    const server = await startBenchServer(b.chain());
    try {
      const source = createSource({ apiUrl: server.url, concurrency: 4 });
      const req = traceRequest([b.address('seed')], {
        direction: 'backward',
        format: 'csv',
        apiUrl: server.url,
        cache: false,
        quiet: true,
      });
      const io = captureIO();
      const run = await executeTrace(req, { io, argv: [], openSource: () => source });
      const row = run.result.rows.find((r) => r.txid === t1 && r.vout === 0)!;
      expect([row.hop, row.status, row.taintedSat, row.spentBy]).toEqual([1, 'spent', 49_980_000, t2]); // haircut: all of T2's output, from its one input
      const paths = (await server.log()).map((e) => e.path).sort();
      expect(paths).toEqual([`/address/${b.address('seed')}/txs`, '/blocks/tip/height'].sort());
    } finally {
      await server.close();
    }
  });
});

describe('critical path and window bound', () => {
  it('counts one round trip for the address page and one per hop', async () => {
    const c = benchCase('peel', 'short');
    const chain = c.builder.chain();
    // The server in a child process of its own, as `npm run bench` runs it.
    const run = await runCase(c, chain, { ...SEQUENTIAL, model: 'poison', serverProcess: true }, work);
    expect(run.critical).toBe(31);
    // Page 1 at depth 1, the first spender's outspends at 2, each later spender at one more.
    expect(Math.max(...run.depths)).toBe(31);
    expect(run.depths.filter((d) => d === 1)).toHaveLength(2); // tip height and the address page
    expect(criticalPath(chain, ['/blocks/tip/height'])).toBe(1);
  });

  it('windowRounds: (d - 1) + ceil(requests at depth >= d / concurrency), largest over d', () => {
    // 2 requests at depth 1, 1 at 2, 20 at 3, 1 at 4, window 8: d=1 ceil(24/8)=3; d=2 1+ceil(22/8)=4;
    // d=3 2+ceil(21/8)=5; d=4 3+1=4 -> 5 rounds.
    const depths = [1, 1, 2, ...Array<number>(20).fill(3), 4];
    expect(windowRounds(depths, 8)).toBe(5);
    expect(windowRounds(depths, 100)).toBe(4); // the critical path
    expect(windowRounds(depths, 1)).toBe(24); // one at a time
    expect(windowRounds([], 8)).toBe(0);
  });
});

describe('engine', () => {
  it('generates a valid graph, the same for the same seed', () => {
    const g = generateGraph({ txCount: 1000, seed: 7 });
    checkGraph(g);
    expect([g.txCount, outCount(g), g.inStart[1000], g.addressCount]).toEqual([1000, 2011, 1435, 1488]);
    const again = generateGraph({ txCount: 1000, seed: 7 });
    expect(again.outValue).toEqual(g.outValue);
    expect(again.inOutpoint).toEqual(g.inOutpoint);
    expect(generateGraph({ txCount: 1000, seed: 8 }).outValue).not.toEqual(g.outValue);
    // 4 bytes per input and output address, 8 per value, 4 per spender, 8 per tx of offsets.
    expect(graphBytes(g)).toBe(1435 * 4 + 2011 * (8 + 4 + 4) + 2 * 1001 * 4);
    expect(txOfOutput(g, 0)).toBe(0);
    expect(txOfOutput(g, 2010)).toBe(999);
  });

  it('rejects a graph that spends an output twice', () => {
    const g = generateGraph({ txCount: 200, seed: 1 });
    const k = g.inStart[150]!;
    const bad = { ...g, inOutpoint: g.inOutpoint.slice() };
    bad.inOutpoint[k] = bad.inOutpoint[g.inStart[120]!]!;
    expect(() => checkGraph(bad)).toThrow(/already spent|spends output/);
  });

  // The walk bench's in-memory source must answer as the explorer path does (EsploraSource
  // parsing the same chain as JSON): same rows and taint for every model.
  const g = generateGraph({ txCount: 1500, seed: 3 });
  const chain = graphChain(g, 'graph-source-vs-esplora');
  for (const model of MODEL_NAMES) {
    it(`GraphSource gives the Esplora path's ${model} taint`, async () => {
      const opts = {
        model: MODELS[model],
        hops: 1000,
        minSat: 0,
        maxTxs: 100_000,
        maxAddressTxs: 1000,
        stopAt: [],
      };
      const o = g.outStart[0]!;
      const [txid, vout] = chain.outpoints[o]!.split(':') as [string, string];
      const viaJson = await trace(
        'forward',
        [{ kind: 'outpoint', txid, vout: Number(vout), input: `${txid}:${vout}` }],
        opts,
        {
          source: memorySource(chain.chain),
          labels: EMPTY_BOOK,
        },
      );
      const src = new GraphSource(g);
      const gtxid = src.tx(0).txid;
      const direct = await trace(
        'forward',
        [{ kind: 'outpoint', txid: gtxid, vout: 0, input: `${gtxid}:0` }],
        opts,
        {
          source: src,
          labels: EMPTY_BOOK,
        },
      );
      expect(direct.partial).toBe(false);
      expect(direct.rows.length).toBe(viaJson.rows.length);
      expect(direct.rows.length).toBeGreaterThan(50);
      const sum = (r: typeof direct) => r.rows.reduce((s, x) => s + x.taintedSat, 0);
      expect(sum(direct)).toBe(sum(viaJson));
      const fees = (r: typeof direct) => r.txs.map((t) => t.feeTainted).sort((x, y) => x - y);
      expect(fees(direct)).toEqual(fees(viaJson));
    });
  }
});

describe('the short bench', () => {
  it('runs end to end and its outputs agree', async () => {
    const lines: string[] = [];
    const results = await runBench({
      short: true,
      latencies: [0, 5],
      rate: 0,
      concurrency: 8,
      parallel: 16,
      cases: [...CASE_NAMES],
      engine: true,
      walkSizes: [10_000],
      startup: false,
      serverProcess: false,
      workDir: path.join(work, 'short'),
      log: (l) => lines.push(l),
    });
    expect(results.ok).toBe(true);
    expect(results.cases.map((c) => [c.case, c.latencyMs, c.agrees, c.repeated])).toEqual(
      CASE_NAMES.flatMap((n) => [
        [n, 0, true, 0],
        [n, 5, true, 0],
      ]),
    );
    expect(results.cases.find((c) => c.case === 'peel')!.critical).toBe(31);
    expect(results.cases.every((c) => c.latencyMs > 0 || c.ratio === null)).toBe(true);
    expect(results.walk!.map((w) => `${w.model}/${w.txCount}`)).toEqual(MODEL_NAMES.map((m) => `${m}/10000`));
    expect(results.walk!.every((w) => w.walkedTxs > 0 && w.rows > 0)).toBe(true);
    expect(lines).toHaveLength(CASE_NAMES.length * 3);
    // The schedule in virtual time: deterministic, so it can be held to its floor here.
    expect(results.schedule.map((x) => `${x.case}/${x.latencyMs}/${x.fifo}`)).toEqual(
      ['peel', 'fanout', 'coinjoin'].flatMap((n) => [`${n}/5/false`, `${n}/5/true`]),
    );
    for (const x of results.schedule) expect(x.ratio, `${x.case} fifo=${x.fifo}`).toBeLessThanOrEqual(1.05);
  }, 60_000);
});
