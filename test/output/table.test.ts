import { describe, expect, it } from 'vitest';
import { FULL_WIDTH, safeText, shortMiddle, traceTable } from '../../src/output/table.js';
import { META, loadTrace, shuffled } from './load.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

describe('traceTable without colour', () => {
  const result = loadTrace('forward-haircut.json');
  const text = traceTable(result, { color: false });

  it('contains no ANSI escape codes', () => {
    expect(ANSI.test(text)).toBe(false);
  });

  it('shows BTC with 8 decimals, value and rounded taint', () => {
    for (const btc of [
      '3.00000000', // seed value and taint
      '2.00000000', // b0..:0 value
      '0.66666667', // b0..:0 taint, 200000000/3 rounded half up
      '1.33333333', // b0..:1 taint
      '0.99996667', // p2pk output taint
      '0.00000500', // dust
      '0.83330000',
    ]) {
      expect(text).toContain(btc);
    }
  });

  it('shortens txids and addresses in the middle, and names address-less outputs', () => {
    expect(text).toContain('fafafafa…fafa:0');
    expect(text).toContain('b0b0b0b0…b0b0:2');
    expect(text).toContain('bc1qexchan…000000');
    expect(text).toContain('(p2pk)');
    expect(text).not.toContain('fa'.repeat(32));
  });

  it('prints full ids from FULL_WIDTH columns up', () => {
    const wide = traceTable(result, { color: false, width: FULL_WIDTH });
    expect(wide).toContain(`${'fa'.repeat(32)}:0`);
    expect(wide).toContain('bc1qexchangexdeposit000000000000000000000');
  });

  it('lists one line per row in sorted order', () => {
    const order = [
      'fafafafa…fafa:0',
      '0e0e0e0e…0e0e:3',
      'b0b0b0b0…b0b0:0',
      '0f0f0f0f…0f0f:1',
      'c0c0c0c0…c0c0:1',
    ];
    const positions = order.map((o) => text.indexOf(`│ ${o}`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('shows labels, flags and notes (on one line each in a terminal wide enough)', () => {
    const wide = traceTable(result, { color: false, width: FULL_WIDTH - 1 });
    expect(wide).toContain('ExchangeX (exchange)');
    expect(wide).toContain('round-amount, change:fresh-type');
    expect(wide).toContain('+ not followed: --max-txs 2 reached');
  });

  it('shows totals, sentences, the caveat and the PARTIAL RESULT block', () => {
    expect(text).toContain('Seed taint: 3.00050000 BTC; 9 outputs listed.');
    // conservation: endpoints + fees add up to the seed taint, no totals summed across hops
    expect(text).toMatch(/│ unspent, unlabelled\s+│\s+2 │\s+183,326,667 │ 1\.83326667 │/);
    expect(text).toMatch(/│ paid as fees to miners \(\d+ transactions?\)\s+│\s+│\s+16,166 │ 0\.00016166 │/);
    expect(text).toMatch(/│ total \(= seed taint\)\s+│\s+│\s+300,050,000 │ 3\.00050000 │/);
    expect(text).toMatch(/│ ExchangeX \(exchange\)\s+│\s+2 │\s+1\.16666667 │/);
    expect(text).toContain('ExchangeX (exchange) received 1.16666667 BTC of tainted funds in 2 outputs.');
    expect(text).toContain('Haircut model: amounts are proportional estimates');
    expect(text).toContain(
      'PARTIAL RESULT: part of the flow was not explored; the totals above are incomplete.',
    );
    expect(text).toContain('  - --max-txs 2 reached: 0f0f0f0f…0f0f:0 not followed');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('does not depend on input order', () => {
    expect(traceTable(shuffled(result, 8), { color: false })).toBe(text);
  });

  it('has a header line naming the source and tip when given the run meta', () => {
    const withMeta = traceTable(result, { color: false, meta: META });
    expect(withMeta.split('\n')[0]).toBe(
      'Forward trace from 1 seed, model haircut; source offline:fixtures/demo (bitcoin); chain tip 700200; ' +
        'btctrace 0.1.0, finished 2024-05-01T10:00:05Z',
    );
    expect(withMeta).toContain('  - provider answered 1 request with HTTP 429 (retried)');
  });

  it('says so when nothing was found, and has no PARTIAL block for a complete trace', () => {
    const empty = traceTable(
      { ...result, rows: [], txs: [], partial: false, warnings: [], seedTotal: 0 },
      { color: false },
    );
    expect(empty).toContain('No tainted outputs found.');
    expect(empty).toContain('Seed taint: 0.00000000 BTC; 0 outputs listed.');
    expect(empty).not.toContain('fees');
    expect(empty).not.toContain('PARTIAL');
  });

  it('escapes control characters from labels and notes', () => {
    const r = loadTrace('forward-haircut.json');
    r.rows[0]!.label = 'Evil\u001b[2J\u009b';
    const t = traceTable(r, { color: false });
    expect(ANSI.test(t)).toBe(false);
    expect(t).toContain('Evil\\x1b[2J\\x9b');
  });
});

describe('traceTable with colour', () => {
  it('uses ANSI codes, including on the PARTIAL line', () => {
    const text = traceTable(loadTrace('forward-haircut.json'), { color: true });
    expect(ANSI.test(text)).toBe(true);
    expect(text).toContain('\u001b[1;31mPARTIAL RESULT');
  });
});

describe('backward table', () => {
  it('says where the funds came from', () => {
    const text = traceTable(loadTrace('backward-haircut.json'), { color: false });
    expect(text.split('\n')[0]).toBe('Backward trace from 1 seed, model haircut; chain tip 700200');
    expect(text).toContain('0.18750000 BTC of newly mined coins (coinbase) in 1 output.');
    expect(text).toMatch(/│ newly mined coins \(coinbase\)\s+│\s+1 │\s+18,750,000 │ 0\.18750000 │/);
    expect(text).toContain('source of funds');
    expect(text).not.toContain('fees');
    expect(text).not.toContain('PARTIAL');
  });
});

describe('helpers', () => {
  it.each([
    ['abcdefghijklmnop', 3, 2, 'abc…op'],
    ['abcdef', 3, 2, 'abcdef'],
    ['abcdefg', 3, 2, 'abc…fg'],
  ])('shortMiddle(%s, %i, %i) -> %s', (text, head, tail, out) => {
    expect(shortMiddle(text, head, tail)).toBe(out);
  });

  it('safeText escapes C0, DEL and C1 controls only', () => {
    expect(safeText('a\u0000b\u007fc\u0085dé…')).toBe('a\\x00b\\x7fc\\x85dé…');
  });
});
