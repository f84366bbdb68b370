// Item 5 of issue 8: text from outside (explorer answers, error bodies, tags files) never reaches
// the terminal or a case file with raw control characters, and a non-address in an address
// field is refused, not clustered. Each case runs a command against a hostile explorer and
// checks that no raw C0/C1 control other than newline is in stdout or stderr, and that the
// hostile text is shown escaped.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { EsploraServer } from '../support/esplora-server.js';
import { startEsploraServer } from '../support/esplora-server.js';
import { loadDemoChain } from '../support/load-chain.js';
import type { Answer, MemoryChain } from '../support/memory.js';
import { safeCells, safeJson, safeLines, safeText } from '../../src/output/escape.js';
import { guardText } from '../../src/output/csv.js';
import { main, safeOutput } from '../../src/cli/main.js';
import { captureIO, DEMO_TAGS, SHOP_A } from '../cli/helpers.js';
import { CONSOLIDATION, hostileServer, PEEL1, run, tamperTx } from './hostile.js';

const ESC_RED = '\u001b[31m';
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

let server: EsploraServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});
const dir = mkdtempSync(path.join(tmpdir(), 'btctrace-escape-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function clean(r: { out: string; err: string }): void {
  expect(RAW_CONTROL.exec(r.out)?.[0]).toBeUndefined();
  expect(RAW_CONTROL.exec(r.err)?.[0]).toBeUndefined();
}

describe('an explorer that puts escape sequences in an address', () => {
  const evil = `${ESC_RED}EVIL\u001b[0m\u009b2J`;
  const tamper = tamperTx(PEEL1, (tx) => {
    tx.vout[0]!.scriptpubkey_address = evil;
  });

  for (const args of [
    ['tx', PEEL1],
    ['tx', PEEL1, '--format', 'json'],
  ]) {
    it(`${args.join(' ')}: exit 1, the address shown escaped in the one-line error`, async () => {
      server = await hostileServer(tamper);
      const r = await run([...args, '--api-url', server.url]);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toBe(
        `btctrace: transaction ${PEEL1}: vout[0].address: the explorer says \\x1b[31mEVIL\\x1b[0m\\x9b2J, but script a91482b6e6d8bf5e3908bb6d0c1e3a9abd650de82f2087 is the address 3DcAsiagxGibYHvtvXZLCxtCPQcA8B73u1\n`,
      );
      clean(r);
    });
  }

  it('trace: an error row, partial, exit 1; the warning is escaped on stderr and in the JSON', async () => {
    server = await hostileServer(tamper);
    const r = await run(['trace', SHOP_A, '--hops', '4', '--api-url', server.url, '--format', 'json']);
    expect(r.code).toBe(1);
    clean(r);
    expect(r.out).toContain('\\u001b[31mEVIL');
    expect(r.out).toContain('\\u009b2J');
    const table = await run(['trace', SHOP_A, '--hops', '4', '--api-url', server.url]);
    expect(table.code).toBe(1);
    clean(table);
    expect(table.out).toContain('\\x1b[31mEVIL');
  });

  it('trace -o x.csv: no cell of the case file holds a raw control character', async () => {
    server = await hostileServer(tamper);
    const out = path.join(dir, 'evil.csv');
    const r = await run(['trace', SHOP_A, '--hops', '4', '--api-url', server.url, '-o', out]);
    expect(r.code).toBe(1);
    const csv = readFileSync(out, 'utf8');
    expect(csv).toContain('error');
    expect(RAW_CONTROL.exec(csv)?.[0]).toBeUndefined();
  });
});

describe('a non-address in an address field is refused, not clustered', () => {
  it('cluster: an input whose prevout address is not an address ends the run (exit 1), naming it escaped', async () => {
    server = await hostileServer(
      tamperTx(CONSOLIDATION, (tx) => {
        tx.vin[0]!.prevout!.scriptpubkey_address = 'not-an-address\u001b[8m';
      }),
    );
    const r = await run(['cluster', SHOP_A, '--api-url', server.url]);
    expect(r.code).toBe(1);
    clean(r);
    expect(r.out).toContain(
      `  - history of ${SHOP_A} could not be read: transaction ${CONSOLIDATION}: vin[0].prevout.address: the explorer says not-an-address\\x1b[8m, but script`,
    );
    expect(r.out).toContain('1 address in 1 cluster; 0 histories and 0 transactions read');
    const json = await run(['cluster', SHOP_A, '--api-url', server.url, '--format', 'json']);
    const members = (JSON.parse(json.out) as { members: { address: string }[] }).members;
    expect(members.map((m) => m.address)).toEqual([SHOP_A]);
  });
});

describe('error bodies and local files', () => {
  it('a 404 body with escape sequences is shown escaped, on one line', async () => {
    const chain = loadDemoChain();
    const hostile = {
      answer(p: string): Answer {
        if (p.startsWith('/tx/'))
          return { status: 404, body: `Transaction not found${ESC_RED}\u202e`, contentType: 'text/plain' };
        return chain.answer(p);
      },
    };
    server = await startEsploraServer(hostile as unknown as MemoryChain);
    const r = await run(['tx', PEEL1, '--api-url', server.url]);
    expect(r.code).toBe(1);
    clean(r);
    expect(r.err).toBe(
      `btctrace: ${server.url}: /tx/${PEEL1}: HTTP 404: Transaction not found\\x1b[31m\\u202e\n`,
    );
  });

  it('a tags file with an escape sequence in a label is refused with exit 2, naming the line', async () => {
    const tags = path.join(dir, 'tags.csv');
    const original = readFileSync(DEMO_TAGS, 'utf8').trimEnd().split('\n');
    writeFileSync(tags, [...original, `${SHOP_A},Shop${ESC_RED}A,darknet`].join('\n') + '\n');
    const r = await run(['trace', SHOP_A, '--offline', 'fixtures/demo', '--tags', tags]);
    expect(r.code).toBe(2);
    clean(r);
    expect(r.err).toBe(
      `btctrace: ${tags} line ${original.length + 1}: the label of ${SHOP_A} has control characters (Shop\\x1b[31mA)\n`,
    );
  });
});

describe('local files that may have been edited', () => {
  it('verify: a manifest naming a file with an escape sequence prints the name escaped', async () => {
    const out = path.join(dir, 'v.csv');
    expect((await run(['trace', SHOP_A, '--offline', 'fixtures/demo', '--hops', '2', '-o', out])).code).toBe(
      0,
    );
    const manifest = `${out}.manifest.json`;
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as { files: { path: string }[] };
    m.files[0]!.path = `v${ESC_RED}.csv`;
    writeFileSync(manifest, JSON.stringify(m));
    const io = captureIO();
    const r = { code: await main(['verify', manifest], io), out: io.out, err: io.err };
    expect(r.code).toBe(1);
    clean(r);
    expect(r.out).toContain('v\\x1b[31m.csv');
  });
});

describe('the escape helpers', () => {
  it('safeText: C0, DEL, C1, bidi overrides and line separators become visible; text stays', () => {
    expect(safeText('a\u0000b\u001b[2Jc\u007fd\u009be\u202ef\u2066g\u2028h é→ Ωש')).toBe(
      'a\\x00b\\x1b[2Jc\\x7fd\\x9be\\u202ef\\u2066g\\u2028h é→ Ωש',
    );
  });

  it('safeLines keeps newlines and tabs, escapes CR and ESC', () => {
    expect(safeLines('one\n\ttwo\r\u001b[Kthree')).toBe('one\n\ttwo\\x0d\\x1b[Kthree');
  });

  it('safeJson: the same JSON value, with no raw C1 or bidi character', () => {
    const text = JSON.stringify({ a: 'x\u009by\u202ez\u001b' });
    const safe = safeJson(text);
    expect(JSON.parse(safe)).toEqual(JSON.parse(text));
    expect(RAW_CONTROL.test(safe)).toBe(false);
  });

  it('safeCells escapes string cells and cell objects, leaves numbers', () => {
    expect(safeCells(['\u001b', 3, { content: '\u0007', hAlign: 'right' }])).toEqual([
      '\\x1b',
      3,
      { content: '\\x07', hAlign: 'right' },
    ]);
  });

  it('CSV cells: controls escaped, then the formula guard (a leading tab is escaped text, not a formula)', () => {
    expect(guardText('a\nb')).toBe('a\\x0ab');
    expect(guardText('=1+1')).toBe("'=1+1");
    expect(guardText('\t=1')).toBe('\\x09=1');
  });

  it('stderr: the progress line prefix is kept, any other control escaped; stdout keeps ESC (colours)', () => {
    const io = captureIO();
    const safe = safeOutput(io);
    safe.stderr('\r\u001b[2Ktracing 3/5');
    safe.stderr('\nwarning: \r\u001b[2Kfake\n');
    safe.stdout(`${ESC_RED}head\u001b[39m \u009b`);
    expect(io.err).toBe('\r\u001b[2Ktracing 3/5\nwarning: \\x0d\\x1b[2Kfake\n');
    expect(io.out).toBe(`${ESC_RED}head\u001b[39m \\u009b`);
  });
});
