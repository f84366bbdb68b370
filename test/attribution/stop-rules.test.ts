// Stop rules on the hand-computed case: categories, abuse terms and entity labels, each named on
// the stopped row; and the walk's label lookups, one per transaction, never one per row.
import { describe, expect, it } from 'vitest';
import { firedStopRule } from '../../src/labels/stop-rules.js';
import { checkStopAt } from '../../src/cli/stop-at.js';
import { caseBook, countingBook, G, runCase, X1 } from './case.js';
import type { TraceResult } from '../../src/trace/result.js';
import { bookOf } from '../support/labels.js';

const row = (r: TraceResult, address: string) => r.rows.find((x) => x.address === address)!;

describe('stop rules in the walk', () => {
  it('default exchange: X1 stopped with the rule named; G (market, sanction) is followed on', async () => {
    const r = await runCase('forward', 'haircut');
    expect(row(r, X1)).toMatchObject({
      status: 'stopped',
      note: 'stop-at category exchange (ExchangeX)',
      label: 'ExchangeX',
      category: 'exchange',
      labelConfidence: 50,
      labelSource: 'https://example.org/x',
    });
    expect(row(r, G)).toMatchObject({ status: 'unspent', note: null, abuse: 'sanction' });
  });

  it('an abuse term stops: --stop-at sanction', async () => {
    const r = await runCase('forward', 'haircut', { stopAt: ['sanction'] });
    expect(row(r, G)).toMatchObject({ status: 'stopped', note: 'stop-at abuse sanction (Hydra)' });
    expect(row(r, X1).status).toBe('unspent'); // exchange is no longer in the list
  });

  it('--stop-at-label matches the entity name case-insensitively, and only whole names', async () => {
    const hit = await runCase('forward', 'haircut', { stopAt: [], stopAtLabels: ['hydra'] });
    expect(row(hit, G)).toMatchObject({ status: 'stopped', note: 'stop-at-label Hydra' });
    const miss = await runCase('forward', 'haircut', { stopAt: [], stopAtLabels: ['Hydr'] });
    expect(row(miss, G).status).toBe('unspent');
  });

  it('stops backward too: ExchangeZ input stopped at hop 2', async () => {
    const r = await runCase('backward', 'haircut');
    const z = r.rows.find((x) => x.label === 'ExchangeZ')!;
    expect(z).toMatchObject({ hop: 2, status: 'stopped', note: 'stop-at category exchange (ExchangeZ)' });
    expect(Math.round(z.taintedSat)).toBe(33_000);
  });

  it('looks labels up once per transaction read (3 calls forward for 5 rows), no address twice', async () => {
    const book = countingBook(caseBook());
    const r = await runCase('forward', 'haircut', { book });
    expect(r.rows).toHaveLength(5);
    expect(book.calls).toHaveLength(3);
    const all = book.calls.flat();
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('firedStopRule', () => {
  const l = (label: string, category: string | null, abuse: string | null) => ({
    label,
    category,
    abuse,
    actor: null,
    confidence: null,
    source: null,
    list: 'x',
    listDate: null,
    definesCluster: false,
  });
  it('checks each label best first: category, then abuse, then name', () => {
    const labels = [l('Shop', 'shop', null), l('Hydra', 'market', 'sanction')];
    expect(firedStopRule(labels, { terms: ['sanction', 'shop'], labels: [] })).toBe(
      'stop-at category shop (Shop)',
    );
    expect(firedStopRule(labels, { terms: ['sanction'], labels: [] })).toBe('stop-at abuse sanction (Hydra)');
    expect(firedStopRule(labels, { terms: [], labels: ['HYDRA'] })).toBe('stop-at-label Hydra');
    expect(firedStopRule(labels, { terms: [], labels: [] })).toBeNull();
    expect(firedStopRule([], { terms: ['shop'], labels: ['Shop'] })).toBeNull();
  });
});

describe('checkStopAt', () => {
  it('accepts taxonomy terms, abuse terms and words of the book; suggests the nearest otherwise', () => {
    const book = bookOf([['a', { label: 'P', category: 'pig_butchering' }]]);
    expect(() => checkStopAt(['exchange', 'sanction', 'coinjoin', 'pig_butchering'], book)).not.toThrow();
    expect(() => checkStopAt(['sanctoin'], book)).toThrow(
      'unknown category "sanctoin" for --stop-at (did you mean "sanction"?)',
    );
  });
});
