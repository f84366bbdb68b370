// The committed fixtures/demo is exactly what the generator builds, and the recording agrees
// with chain.json through MemoryChain.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDemo, type DemoBuild } from '../../fixtures/generate-demo.js';
import { recordingFile } from '../../src/sources/resources.js';
import { DEMO_DIR, loadDemoChain } from '../support/load-chain.js';

let demo: DemoBuild;
beforeAll(() => {
  demo = buildDemo();
});

describe('fixtures/demo is reproducible', () => {
  it('the generator rebuilds every committed file byte for byte, and nothing else is there', () => {
    const onDisk = readdirSync(DEMO_DIR).sort();
    expect(onDisk).toEqual([...demo.files.keys()]);
    const differing = onDisk.filter(
      (name) => readFileSync(join(DEMO_DIR, name), 'utf8') !== demo.files.get(name),
    );
    expect(differing).toEqual([]);
  });

  it('a second build in the same process gives the same bytes', () => {
    const again = buildDemo();
    expect([...again.files.keys()]).toEqual([...demo.files.keys()]);
    for (const [name, content] of demo.files) expect(again.files.get(name), name).toBe(content);
  });

  it('stays small: 303 files, under 700 kB', () => {
    const names = readdirSync(DEMO_DIR);
    const bytes = names.reduce((s, n) => s + statSync(join(DEMO_DIR, n)).size, 0);
    expect(names.length).toBe(303);
    expect(bytes).toBeLessThan(700_000);
    expect(demo.entries.length).toBe(58);
  });
});

describe('the recording is the MemoryChain answer for every path', () => {
  it('each recording file holds MemoryChain(chain.json).answer(path).body', () => {
    const chain = loadDemoChain();
    const paths = chain.allPaths();
    expect(paths.length).toBe(300); // 1 tip + 58 x 3 tx paths + 62 x 2 address paths + 1 chain page
    expect(chain.addresses().length).toBe(62);
    for (const path of paths) {
      const file = recordingFile(path)!;
      const answer = chain.answer(path);
      expect(answer.status, path).toBe(200);
      expect(readFileSync(join(DEMO_DIR, file), 'utf8'), path).toBe(answer.body);
    }
    expect(readFileSync(join(DEMO_DIR, 'blocks_tip_height.txt'), 'utf8')).toBe('850069');
  });
});

describe('tags.csv and CASE.md', () => {
  it('labels the exchanges and the gambling service, not the shop', () => {
    const lines = readFileSync(join(DEMO_DIR, 'tags.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('address,label,category');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.length).toBe(7);
    const byLabel = (label: string): number => rows.filter((r) => r[1] === label).length;
    expect([byLabel('ExchangeX'), byLabel('ExchangeY'), byLabel('ExchangeZ'), byLabel('LuckyDice')]).toEqual([
      3, 2, 1, 1,
    ]);
    expect(rows.filter((r) => r[2] === 'exchange').length).toBe(6);
    const shop = demo.roles.filter((r) => r.role.startsWith('Shop')).map((r) => r.address);
    expect(shop.length).toBe(11);
    for (const r of rows) expect(shop).not.toContain(r[0]);
    const known = new Set(loadDemoChain().addresses());
    for (const r of rows) expect(known.has(r[0]!), r[0]).toBe(true);
  });

  it('CASE.md names the seed and the headline numbers', () => {
    const text = readFileSync(join(DEMO_DIR, 'CASE.md'), 'utf8');
    expect(demo.seedAddress).toBe('bc1qgxa0vq022w24wgcw78zr2zvla445qujuhm6wq8');
    expect(text).toContain(`Trace forward from ShopA: \`${demo.seedAddress}\``);
    expect(text).toContain(
      '**ExchangeX** received tainted sat: poison 55,000,000 · haircut 23,297,817 · fifo 33,749,740',
    );
    expect(text).toContain(
      '**ExchangeY** received tainted sat: poison 59,999,010 · haircut 26,342,741 · fifo 21,749,010',
    );
    expect(text).toContain(
      '**LuckyDice** received tainted sat: poison 15,000,000 · haircut 6,353,950 · fifo 0',
    );
  });
});
