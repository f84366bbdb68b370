// Exposure on the hand-computed case (test/attribution/case.ts), haircut and poison, forward and
// backward; then the pure helpers' boundaries.
import { describe, expect, it } from 'vitest';
import { exposureOf, shareOf, type ExposureLine } from '../../src/exposure/exposure.js';
import { exposureCsv, exposureJson, exposureTable, noSanctionsLine } from '../../src/exposure/render.js';
import { runCase } from './case.js';

const brief = (l: ExposureLine) =>
  `${l.kind} ${l.name}${l.sanctioned ? ' SANCTIONED' : ''}: ${l.directSat}+${l.indirectSat}=${l.totalSat} hop ${l.firstHop} x${l.outputs}`;

describe('exposure, hand-computed case', () => {
  it('forward haircut: ExchangeX 50,000 direct + 37,500 indirect; Hydra 11,000 sanctioned, listed first', async () => {
    const e = exposureOf(await runCase('forward', 'haircut'));
    expect(e.seedSat).toBe(100_000);
    expect(e.lines.map(brief)).toEqual([
      'abuse sanction SANCTIONED: 0+11000=11000 hop 2 x1',
      'entity Hydra SANCTIONED: 0+11000=11000 hop 2 x1',
      'category exchange: 50000+37500=87500 hop 1 x2',
      'category market: 0+11000=11000 hop 2 x1',
      'entity ExchangeX: 50000+37500=87500 hop 1 x2',
    ]);
    const x = e.lines.find((l) => l.name === 'ExchangeX')!;
    expect(shareOf(x.totalSat, e.seedSat)).toBe('87.50%');
  });

  it('forward poison: touched outputs count in full (ExchangeX 200,000 + 150,000 = 350%)', async () => {
    const e = exposureOf(await runCase('forward', 'poison'));
    const x = e.lines.find((l) => l.name === 'ExchangeX')!;
    expect([x.directSat, x.indirectSat, x.totalSat]).toEqual([200_000, 150_000, 350_000]);
    expect(shareOf(x.totalSat, e.seedSat)).toBe('350.00%');
    const h = e.lines.find((l) => l.name === 'Hydra')!;
    expect([h.totalSat, h.firstHop, h.sanctioned]).toEqual([44_000, 2, true]);
  });

  it('backward haircut from G: ExchangeZ supplied 33,000 of its 44,000 (75%), first at hop 2', async () => {
    const e = exposureOf(await runCase('backward', 'haircut'));
    expect(e.seedSat).toBe(44_000);
    expect(e.lines.map(brief)).toEqual([
      'category exchange: 0+33000=33000 hop 2 x1',
      'entity ExchangeZ: 0+33000=33000 hop 2 x1',
    ]);
    expect(shareOf(33_000, 44_000)).toBe('75.00%');
  });

  it('backward poison from G: the whole 300,000 of ExchangeZ input counts', async () => {
    const e = exposureOf(await runCase('backward', 'poison'));
    const z = e.lines.find((l) => l.name === 'ExchangeZ')!;
    expect([z.directSat, z.indirectSat, z.firstHop]).toEqual([0, 300_000, 2]);
    expect(shareOf(z.totalSat, e.seedSat)).toBe('681.82%');
  });

  it('renders: CSV rows in order with exact BTC strings; JSON says sanctions were found', async () => {
    const fwd = exposureOf(await runCase('forward', 'haircut'));
    const report = { seeds: ['S'], exposures: [fwd], lists: [{ name: 'test.csv', date: null, labels: 4 }] };
    const csv = exposureCsv(report).trimEnd().split('\n');
    expect(csv[0]).toBe(
      'direction,kind,name,category,abuse,sanctioned,direct_sat,direct_btc,indirect_sat,indirect_btc,total_sat,total_btc,share_of_seed,first_hop,outputs',
    );
    expect(csv[1]).toBe(
      'forward,abuse,sanction,,sanction,true,0,0.00000000,11000,0.00011000,11000,0.00011000,11.00%,2,1',
    );
    expect(csv[5]).toBe(
      'forward,entity,ExchangeX,exchange,,false,50000,0.00050000,37500,0.00037500,87500,0.00087500,87.50%,1,2',
    );
    const j = JSON.parse(exposureJson(report)) as { sanctioned_found: boolean; no_sanctions_line: null };
    expect(j.sanctioned_found).toBe(true);
    expect(j.no_sanctions_line).toBeNull();
    expect(exposureTable(report, false)).toContain('SANCTIONED');
  });

  it('says when no sanctioned address was reached, naming the lists and their dates', async () => {
    const back = exposureOf(await runCase('backward', 'haircut'));
    const report = {
      seeds: ['G'],
      exposures: [back],
      lists: [
        { name: 'tags.csv', date: null, labels: 7 },
        { name: 'OFAC SDN', date: '2026-11-28', labels: 1 },
      ],
    };
    const line =
      'No sanctioned exposure found backward; lists checked: tags.csv (undated, 7 labels), OFAC SDN (2026-11-28, 1 label).';
    expect(noSanctionsLine(report)).toBe(line);
    expect(exposureTable(report, false)).toContain(line);
    expect((JSON.parse(exposureJson(report)) as { no_sanctions_line: string }).no_sanctions_line).toBe(line);
  });
});

describe('shareOf', () => {
  it.each([
    [1, 3, '33.33%'],
    [2, 3, '66.67%'],
    [1, 200, '0.50%'], // exactly half a hundredth rounds up
    [1, 20001, '0.00%'], // just under half a hundredth rounds down
    [0, 5, '0.00%'],
    [5, 5, '100.00%'],
    [5, 0, '-'],
  ])('%i of %i is %s', (sat, seed, want) => {
    expect(shareOf(sat, seed)).toBe(want);
  });
});
