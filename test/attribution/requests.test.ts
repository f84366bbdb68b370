// Records-request sheets: the hand-computed case through the trace JSON (pure), then the demo
// case end to end through the binary, including the manifest check that refuses a changed file.
import { readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { traceJson } from '../../src/output/json.js';
import { entitySheets, fileStem, traceRows } from '../../src/requests/sheets.js';
import { sheetCsv, sheetMarkdown } from '../../src/requests/render.js';
import { txidOf } from '../trace/fake-chain.js';
import { META } from '../output/load.js';
import { DEMO_DIR, DEMO_TAGS, runBin, SHOP_A } from '../cli/helpers.js';
import { removeScratchDirs, scratchDir } from '../support/scratch.js';

afterAll(removeScratchDirs);
import { runCase, X1, X2, G } from './case.js';

describe('entitySheets, hand-computed case', () => {
  it('one sheet per service: ExchangeX 2 deposits (50,000 + 37,500 tainted), Hydra 1; paths from the seed', async () => {
    const doc = JSON.parse(traceJson(await runCase('forward', 'haircut'), META)) as unknown;
    const t = traceRows(doc, 'case.json');
    const sheets = entitySheets(t.rows);
    expect(
      sheets.map((s) => `${s.entity}/${s.category}: ${s.deposits.length} ${s.valueSat} ${s.taintedSat}`),
    ).toEqual(['ExchangeX/exchange: 2 350000 87500', 'Hydra/market: 1 44000 11000']);
    const [x] = sheets;
    expect(x!.addresses).toBe(2);
    expect(x!.deposits.map((d) => [d.address, d.hop, d.valueSat, d.taintedSat, d.labelConfidence])).toEqual([
      [X1, 1, 200_000, 50_000, 50],
      [X2, 2, 150_000, 37_500, 50],
    ]);
    expect(x!.deposits[0]!.labelSource).toBe('https://example.org/x');
    expect(x!.deposits[0]!.path).toEqual([txidOf('cb'), txidOf('B')]);
    expect(x!.deposits[1]!.path).toEqual([txidOf('cb'), txidOf('B'), txidOf('C')]);
    expect(sheets[1]!.deposits[0]!.address).toBe(G);
    const csv = sheetCsv(x!).split('\n');
    expect(csv[0]).toBe(
      'entity,category,address,txid,vout,block_time_utc,value_sat,value_btc,tainted_sat,tainted_btc,hop,label_source,label_confidence,txid_path',
    );
    expect(csv[1]).toContain(
      `,200000,0.00200000,50000,0.00050000,1,https://example.org/x,50,${txidOf('cb')} > ${txidOf('B')}`,
    );
    const md = sheetMarkdown(x!, {
      file: 'case.json',
      sha256: 'ab'.repeat(32),
      direction: 'forward',
      model: 'haircut',
      seeds: ['S'],
    });
    expect(md).toContain('| | **total** | | | **350,000** | **87,500** | | | |');
  });

  it('leaves out users, unlabelled outputs and the seeds; refuses a row that is not a trace row', () => {
    const base = {
      hop: 1,
      txid: 'a'.repeat(64),
      vout: 0,
      address: 'x',
      value_sat: 10,
      tainted_sat: 5,
      status: 'unspent',
      block_time: null,
      spent_by: null,
      label_confidence: null,
      label_source: null,
    };
    const rows = [
      { ...base, label: 'Alice', category: 'user' },
      { ...base, label: null, category: null },
      { ...base, hop: 0, label: 'Ex', category: 'exchange' },
      { ...base, tainted_sat: 0, label: 'Ex', category: 'exchange' },
      { ...base, label: 'Ex', category: 'exchange' },
    ];
    expect(entitySheets(rows).map((s) => s.deposits.length)).toEqual([1]);
    expect(() => traceRows({ trace: {}, rows: [{ ...base, tainted_sat: -1 }] }, 'f.json')).toThrow(
      'f.json: rows[0] is not a trace row',
    );
  });

  it('file stems are plain and unique', () => {
    const taken = new Set(['index']);
    expect(['Exchange X', 'exchange-x', 'Ünï/..', 'index'].map((e) => fileStem(e, taken))).toEqual([
      'exchange-x',
      'exchange-x-2',
      'uni',
      'index-2',
    ]);
  });
});

describe('btctrace requests (demo case)', () => {
  const dir = scratchDir('btctrace-requests-');
  const trace = path.join(dir, 'case.json');
  const made = runBin([
    'trace',
    SHOP_A,
    '--offline',
    DEMO_DIR,
    '--tags',
    DEMO_TAGS,
    '--hops',
    '6',
    '-o',
    trace,
    '-q',
  ]);

  it('writes one CSV and one Markdown per service plus an index; ExchangeX has its 2 deposits', () => {
    expect(made.code).toBe(0);
    const out = path.join(dir, 'req');
    const r = runBin(['requests', trace, '--out-dir', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('wrote 3 request sheets (ExchangeY, ExchangeX, LuckyDice)');
    for (const f of [
      'exchangex.csv',
      'exchangex.md',
      'exchangey.csv',
      'luckydice.md',
      'index.md',
      'index.csv',
      'requests.manifest.json',
    ])
      expect(existsSync(path.join(out, f))).toBe(true);
    const rows = readFileSync(path.join(out, 'exchangex.csv'), 'utf8')
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    expect(rows.map((c) => [c[2], c[3]!.slice(0, 8), c[4], c[6], c[8], c[10]])).toEqual([
      ['3DcAsiagxGibYHvtvXZLCxtCPQcA8B73u1', 'fe448c46', '0', '30000000', '12707900', '2'],
      ['3DcAsiagxGibYHvtvXZLCxtCPQcA8B73u1', '99e67e74', '0', '25000000', '10589917', '6'],
    ]);
    const md = readFileSync(path.join(out, 'exchangex.md'), 'utf8');
    expect(md).toContain('tainted 23,297,817 sat (0.23297817 BTC)');
    const index = readFileSync(path.join(out, 'index.csv'), 'utf8');
    expect(index).toContain('ExchangeY,exchange,2,2,59999010,26342741,0.26342741,exchangey.csv,exchangey.md');
    expect(runBin(['verify', path.join(out, 'requests.manifest.json')]).code).toBe(0);
  });

  it('refuses a trace changed since its manifest, one without a manifest, and a backward trace (exit 2)', () => {
    const changed = path.join(dir, 'changed.json');
    writeFileSync(changed, readFileSync(trace));
    writeFileSync(
      `${changed}.manifest.json`,
      readFileSync(`${trace}.manifest.json`, 'utf8').replace('"case.json"', '"changed.json"'),
    );
    expect(runBin(['requests', changed, '--out-dir', path.join(dir, 'r1')]).code).toBe(0);
    writeFileSync(changed, readFileSync(trace, 'utf8').replace('"ExchangeX"', '"ExchangeQ"'));
    const bad = runBin(['requests', changed, '--out-dir', path.join(dir, 'r2')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /changed\.json: does not match its manifest \(changed: expected sha256 [0-9a-f]{64}/,
    );
    expect(existsSync(path.join(dir, 'r2'))).toBe(false);
    rmSync(`${changed}.manifest.json`);
    const none = runBin(['requests', changed, '--out-dir', path.join(dir, 'r3')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no manifest');
    const back = path.join(dir, 'back.json');
    runBin([
      'trace',
      SHOP_A,
      '--offline',
      DEMO_DIR,
      '--tags',
      DEMO_TAGS,
      '--direction',
      'backward',
      '-o',
      back,
      '-q',
    ]);
    const b = runBin(['requests', back, '--out-dir', path.join(dir, 'r4')]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('records requests need a forward trace');
  });
});
