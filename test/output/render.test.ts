import { describe, expect, it } from 'vitest';
import { renderTrace, traceCsv, traceJson, traceTable } from '../../src/output/index.js';
import { META, loadTrace, readFixture } from './load.js';

describe('renderTrace', () => {
  const result = loadTrace('forward-haircut.json');

  it('csv is the trace CSV', () => {
    expect(renderTrace('csv', result, META)).toBe(readFixture('forward-haircut.csv'));
    expect(renderTrace('csv', result, META, { cluster: true })).toBe(traceCsv(result, { cluster: true }));
  });

  it('json is the trace JSON', () => {
    expect(renderTrace('json', result, META)).toBe(traceJson(result, META));
  });

  it('table is uncoloured unless asked, with the meta header', () => {
    const text = renderTrace('table', result, META);
    expect(text).toBe(traceTable(result, { color: false, meta: META }));
    expect(text.startsWith('Forward trace from 1 seed, model haircut; source offline:fixtures/demo')).toBe(
      true,
    );
  });

  it('rejects an unknown format by name', () => {
    expect(() => renderTrace('xml' as 'csv', result, META)).toThrow(
      'output format xml is not one of table, csv, json',
    );
  });
});
