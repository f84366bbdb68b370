// The HTML case report in a real browser: the demo trace's report loads with the network blocked,
// shows the node and edge counts worked out here from the JSON rows (not from the model code),
// the labels, a node's rows on click, a search hit, no console errors, and a screenshot.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { CHROMIUM, launch, openReport } from './browser.js';
import { EVIL_ADDRESS, EVIL_LABEL, tamperedTrace } from './tampered.js';
import { removeScratchDirs, scratchDir } from '../support/scratch.js';

afterAll(removeScratchDirs);

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/btctrace.js');
const SEED = 'bc1qgxa0vq022w24wgcw78zr2zvla445qujuhm6wq8';

interface Row {
  txid: string;
  address: string | null;
  label: string | null;
  spent_by: string | null;
  status: string;
}

/** Expected counts by the rule stated in the README, written out independently of model.ts. */
export function expectedCounts(rows: Row[]): { nodes: number; edges: number } {
  const node = (r: Row) => (r.label ? `L${r.label}` : `A${r.address}`);
  const nodes = new Set(rows.map(node));
  const edges = new Set<string>();
  const txids = new Set(rows.map((r) => r.txid));
  const spenders = new Map<string, Set<string>>();
  for (const r of rows)
    if (r.spent_by && txids.has(r.spent_by))
      spenders.set(r.spent_by, (spenders.get(r.spent_by) ?? new Set()).add(node(r)));
  for (const [tx, from] of spenders) {
    const outs = rows.filter((r) => r.txid === tx).map(node);
    if (from.size === 1) for (const o of outs) edges.add(`${[...from][0]}>${o}`);
    else {
      nodes.add(`T${tx}`);
      for (const f of from) edges.add(`${f}>T${tx}`);
      for (const o of outs) edges.add(`T${tx}>${o}`);
    }
  }
  return { nodes: nodes.size, edges: edges.size };
}

const dir = scratchDir('btctrace-report-');
const traceFile = path.join(dir, 'demo.json');
const htmlFile = path.join(dir, 'case.html');

describe.skipIf(!CHROMIUM)('HTML flow graph report in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    execFileSync(
      'node',
      [
        BIN,
        'trace',
        SEED,
        '--offline',
        'fixtures/demo',
        '--tags',
        'fixtures/demo/tags.csv',
        '--hops',
        '6',
        '--format',
        'json',
        '-o',
        traceFile,
        '-q',
      ],
      { cwd: ROOT },
    );
    execFileSync('node', [BIN, 'report', traceFile, '-o', htmlFile, '-q'], { cwd: ROOT });
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('loads offline with the expected nodes, edges, labels, rows on click and search', async () => {
    const doc = JSON.parse(readFileSync(traceFile, 'utf8')) as { rows: Row[] };
    const want = expectedCounts(doc.rows);
    // Worked out by hand from the 25 demo rows: 19 address/entity nodes, 20 flows.
    expect(want).toEqual({ nodes: 19, edges: 20 });
    const { page, network, errors } = await openReport(browser, htmlFile);

    const counts = await page.evaluate(() => {
      const cy = (
        globalThis as unknown as {
          btctraceGraph: { nodes(): { length: number }; edges(): { length: number } };
        }
      ).btctraceGraph;
      return { nodes: cy.nodes().length, edges: cy.edges().length };
    });
    expect(counts).toEqual(want);
    expect(await page.textContent('#counts')).toContain(`${want.nodes} nodes, ${want.edges} edges, 25 rows`);
    const names = await page.evaluate(() =>
      (
        globalThis as unknown as {
          btctraceGraph: { nodes(): { map(f: (n: { data(k: string): string }) => string): string[] } };
        }
      ).btctraceGraph
        .nodes()
        .map((n) => n.data('name')),
    );
    expect(names).toContain('ExchangeX\n0.23297817 BTC');
    expect(names).toContain('ExchangeY (2 addr.)\n0.26342741 BTC');
    expect(names.some((n) => n.startsWith('LuckyDice\n'))).toBe(true);
    expect(await page.textContent('#manifest')).toMatch(/trace sha256[0-9a-f]{64}/);
    expect(await page.textContent('#tables')).toContain('122100000');

    // Click the ExchangeY node where cytoscape drew it: its two rows appear.
    const pos = await page.evaluate(() => {
      const cy = (
        globalThis as unknown as {
          btctraceGraph: { getElementById(id: string): { renderedPosition(): { x: number; y: number } } };
        }
      ).btctraceGraph;
      return cy.getElementById('entity:ExchangeY').renderedPosition();
    });
    const box = (await page.locator('#graph').boundingBox())!;
    await page.mouse.click(box.x + pos.x, box.y + pos.y);
    await page.waitForSelector('#detail-rows');
    expect(await page.locator('#details h3').textContent()).toBe('ExchangeY');
    expect(await page.locator('#detail-rows table.row').count()).toBe(2);
    const detail = (await page.textContent('#detail-rows'))!;
    expect(detail).toContain('67ce07d13c38188af7ad23478417c2239ac600c809efd6ed16f85b80118cbdd7:0');
    expect(detail).toContain('0.09399293');
    expect(detail).toContain('fixtures/demo/tags.csv');

    await page.fill('#search', 'e3eb40a4');
    await page.press('#search', 'Enter');
    // The five CoinJoin outputs of e3eb40a4... plus the input address that it spent.
    expect(await page.textContent('#search-result')).toBe('6 matching nodes');

    const shotDir = path.join(dir, 'screenshots');
    mkdirSync(shotDir, { recursive: true });
    await page.click('#fit');
    await page.screenshot({ path: path.join(shotDir, 'demo.png'), fullPage: true });
    expect(existsSync(path.join(shotDir, 'demo.png'))).toBe(true);
    if (process.env.BTCTRACE_KEEP_SCREENSHOT)
      copyFileSync(path.join(shotDir, 'demo.png'), process.env.BTCTRACE_KEEP_SCREENSHOT);

    expect(network).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('shows a hostile label and address as text: no script runs, no element is injected', async () => {
    const evilHtml = path.join(dir, 'tampered.html');
    execFileSync('node', [BIN, 'report', tamperedTrace(dir), '-o', evilHtml, '-q'], { cwd: ROOT });
    const { page, network, errors } = await openReport(browser, evilHtml);
    expect(await page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned)).toBeUndefined();
    // The page's own elements only: the data, two libraries, the app; one img (the print copy).
    expect(await page.locator('script').count()).toBe(4);
    expect(await page.locator('img').count()).toBe(1);
    await page.fill('#search', '<script>');
    await page.press('#search', 'Enter');
    expect(await page.textContent('#search-result')).toBe('1 matching node');
    expect(await page.locator('#details h3').textContent()).toBe(EVIL_LABEL);
    await page.fill('#search', 'onerror');
    await page.press('#search', 'Enter');
    expect(await page.locator('#details h3').textContent()).toBe(EVIL_ADDRESS);
    expect(await page.textContent('#detail-rows')).toContain(EVIL_ADDRESS);
    expect(await page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(network).toEqual([]);
    expect(errors).toEqual([]);
  });
});

if (!CHROMIUM)
  console.warn('skipping the browser test: no Chromium at /usr/bin/chromium (apt-get install chromium)');
