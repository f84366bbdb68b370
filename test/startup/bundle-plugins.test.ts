// What the bundle build replaces (bin/bundle-plugins.js) must answer as the original does: the
// width cli-table3 gets for a cell is string-width's, and a lazy built-in loads on first use only.
import { createRequire } from 'node:module';
import { runInThisContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JS build script, without type declarations
import * as untyped from '../../bin/bundle-plugins.js';

const { FAST_WIDTH, lazyModule } = untyped as { FAST_WIDTH: string; lazyModule: (name: string) => string };

const fromTable = createRequire(createRequire(import.meta.url).resolve('cli-table3'));
const stringWidth = fromTable('string-width') as (s: string) => number;

/** The stand-in module, evaluated as esbuild would bundle it, with `require` given. */
function load<T>(source: string, req: (id: string) => unknown): T {
  const module = { exports: {} as T };
  const run = runInThisContext(`(function (require, module) {\n${source}\n})`) as (
    r: typeof req,
    m: typeof module,
  ) => void;
  run(req, module);
  return module.exports;
}

describe('the bundle: cli-table3 cell widths', () => {
  const fast = load<(s: unknown) => number>(FAST_WIDTH, fromTable);

  it('equals string-width on every character up to U+2FFF, alone and around plain text', () => {
    let checked = 0;
    for (let c = 0; c <= 0x2fff; c++) {
      const ch = String.fromCharCode(c);
      for (const s of [ch, `ab${ch}`, `${ch}…${ch}`]) {
        expect(fast(s), `U+${c.toString(16)} in ${JSON.stringify(s)}`).toBe(stringWidth(s));
        checked++;
      }
    }
    expect(checked).toBe(3 * 0x3000);
  });

  it('the edges of the plain range, colours, emoji and wide text', () => {
    const cases: [string, number][] = [
      ['', 0],
      [' ~', 2], // 0x20 and 0x7e: the plain range's ends
      ['bc1q…6wq8', 9],
      ['\u001f', 0], // below the range: a control
      ['\u007f', 0], // above it: DEL
      ['\u2025\u2027', 2], // beside "…"
      ['\u001b[31mred\u001b[39m', 3],
      ['😀', 2],
      ['漢字', 4],
    ];
    for (const [s, width] of cases) {
      expect(stringWidth(s)).toBe(width);
      expect(fast(s)).toBe(width);
    }
  });
});

describe('the bundle: lazy built-ins', () => {
  it('requires the module on its first use only, and answers __esModule without it', () => {
    const asked: string[] = [];
    const real = { spawn: () => 'spawned' };
    const m = load<{ spawn: () => string; __esModule?: unknown }>(lazyModule('node:child_process'), (id) => {
      asked.push(id);
      return real;
    });
    expect(m.__esModule).toBeUndefined();
    expect(asked).toEqual([]);
    expect(m.spawn()).toBe('spawned');
    expect('spawn' in m).toBe(true);
    expect(asked).toEqual(['node:child_process']);
  });
});
