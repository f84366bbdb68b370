// Flow graph report benchmark: a synthetic 2,000-row trace JSON (a fan-out over 6 hops with
// exchange deposits and unspent ends) -> HTML. Measures the render + write time (median of 5
// after a warm-up), the page's time to interactive in headless Chromium (goto until the layout
// is drawn and the page marks itself ready; median of 3), and the file size beside its data.
//
//   npx tsx test/bench/report-bench.ts [--rows 2000] [--budget 300]
// Goals (issue 12): written < 1 s, interactive < 2 s, file < 3 MB + the trace data.
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeOutputAtomic } from '../../src/output/write.js';
import { renderGraph } from '../../src/report/graph/index.js';
import { CHROMIUM, launch, openReport } from '../report/browser.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Deterministic synthetic trace: each followed output is spent by a tx with 2-4 outputs. */
export function syntheticTrace(nRows: number): string {
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const hex = (i: number, p: string) => (p + i.toString(16)).padEnd(64, '0').slice(0, 64);
  const rows: Record<string, unknown>[] = [];
  let tx = 0;
  const row = (hop: number, txid: string, vout: number, sat: number) => {
    const r: Record<string, unknown> = {
      hop,
      txid,
      vout,
      address: `bc1qbench${rows.length.toString(36).padStart(6, '0')}`,
      value_sat: sat,
      tainted_sat: sat,
      status: 'unspent',
      block_height: 850000 + hop,
      block_time: null,
      label: null,
      category: null,
      script_type: 'v0_p2wpkh',
      spent_by: null,
      flags: [],
      note: null,
    };
    rows.push(r);
    return r;
  };
  let frontier = [row(0, hex(tx++, 'a'), 0, 10_000_000_000)];
  frontier[0]!.status = 'seed';
  for (let hop = 1; rows.length < nRows && frontier.length > 0; hop++) {
    const next: Record<string, unknown>[] = [];
    for (const parent of frontier) {
      if (rows.length >= nRows) break;
      const txid = hex(tx++, 'b');
      parent.spent_by = txid;
      if (parent.status !== 'seed') parent.status = 'spent';
      const k = 2 + Math.floor(rand() * 3);
      let left =
        (parent.tainted_sat as number) - Math.min(1000, Math.floor((parent.tainted_sat as number) / 100));
      for (let v = 0; v < k && rows.length < nRows; v++) {
        const sat = v === k - 1 ? left : Math.floor(left * rand() * 0.6);
        left -= sat;
        const r = row(hop, txid, v, sat);
        if (rows.length % 37 === 0)
          Object.assign(r, { label: `Exchange${rows.length % 5}`, category: 'exchange', status: 'stopped' });
        else if (rand() < 0.7) next.push(r);
      }
    }
    frontier = next;
  }
  return JSON.stringify(
    {
      meta: { tool: 'btctrace', version: 'bench' },
      trace: { direction: 'forward', model: 'poison', seeds: ['bench'] },
      rows,
    },
    null,
    2,
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const nRows = arg('--rows', 2000);
  const budget = arg('--budget', 300);
  const dir = mkdtempSync(path.join(tmpdir(), 'btctrace-report-bench-'));
  const trace = syntheticTrace(nRows);
  const traceFile = path.join(dir, 'trace.json');
  writeFileSync(traceFile, trace);
  const out = path.join(dir, 'case.html');
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    await writeOutputAtomic(out, renderGraph('html', Buffer.from(trace), 'trace.json', budget));
    if (i > 0) times.push(performance.now() - t0);
  }
  const html = statSync(out).size;
  console.log(`rows ${nRows}, trace JSON ${(trace.length / 2 ** 20).toFixed(2)} MiB, budget ${budget}`);
  console.log(
    `HTML written: median ${median(times).toFixed(0)} ms (5 runs), file ${(html / 2 ** 20).toFixed(2)} MiB`,
  );
  if (!CHROMIUM) {
    console.log('no Chromium at /usr/bin/chromium: interactive time not measured');
    return;
  }
  const browser = await launch();
  try {
    const ready: number[] = [];
    for (let i = 0; i < 4; i++) {
      const t0 = performance.now();
      const { page, errors, network } = await openReport(browser, out);
      const ms = performance.now() - t0;
      const n = await page.textContent('#counts');
      // The page clock when the test saw data-ready (the page sets it when the graph is drawn).
      const inPage = await page.evaluate(() => performance.now());
      if (i > 0)
        console.log(
          `  load ${i}: ${ms.toFixed(0)} ms to ready seen by the test, ${inPage.toFixed(0)} ms page clock`,
        );
      await page.close();
      if (errors.length || network.length)
        throw new Error(`page errors ${errors.join('; ')} network ${network.join(' ')}`);
      if (i > 0) ready.push(ms);
      if (i === 0) console.log(`page: ${n}`);
    }
    console.log(
      `interactive in headless Chromium: median ${median(ready).toFixed(0)} ms (3 loads after a warm-up)`,
    );
  } finally {
    await browser.close();
  }
}

await main();
