// The registry, the conventions lines, the interval buffer, and the errors a model raises on data it
// cannot split (wrong arity, amounts or ranges that do not fit, outputs worth more than inputs).

import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/errors.js';
import { getModel, MODELS } from '../../src/trace/models/index.js';
import { IntervalBuffer, rangesProblem } from '../../src/trace/ranges.js';
import { MODEL_NAMES, type Taint } from '../../src/trace/taint.js';

describe('registry', () => {
  it('holds the five models under their own names, each with a one-line conventions text', () => {
    expect(Object.keys(MODELS).sort()).toEqual(['fifo', 'haircut', 'lifo', 'poison', 'tiho']);
    for (const name of MODEL_NAMES) {
      expect(MODELS[name].name).toBe(name);
      expect(getModel(name)).toBe(MODELS[name]);
      expect(MODELS[name].conventions.length).toBeGreaterThan(40);
      expect(MODELS[name].conventions).not.toContain('\n');
    }
    expect(MODELS.lifo.conventions).toContain('lifo-stream');
    expect(MODELS.haircut.conventions).toContain('T*F/V');
  });

  it('rejects an unknown model name as bad user input, listing the valid ones', () => {
    expect(() => getModel('fifo2')).toThrow(InputError);
    expect(() => getModel('fifo2')).toThrow(
      'unknown taint model "fifo2": use one of poison, haircut, fifo, lifo, tiho',
    );
    expect(() => getModel('toString')).toThrow(InputError);
  });
});

describe('IntervalBuffer', () => {
  it('merges touching intervals, grows past its capacity, and mirrors in place', () => {
    const b = new IntervalBuffer(2);
    b.append(1, 3);
    b.append(3, 4);
    b.append(5, 6);
    b.append(8, 9);
    expect(b.toArray()).toEqual([1, 4, 5, 6, 8, 9]);
    b.mirror(10);
    expect(b.toArray()).toEqual([1, 2, 4, 5, 6, 9]);
    b.clear();
    expect(b.toArray()).toEqual([]);
  });

  it('rangesProblem names what is wrong', () => {
    expect(rangesProblem([0, 5, 7, 9], 10, 7)).toBeNull();
    expect(rangesProblem([0, 5, 5, 9], 10, 9)).toBe('[5, 9) overlaps or touches the range before it');
    expect(rangesProblem([0, 11], 10, 11)).toBe('[0, 11) is empty or outside 0..10');
    expect(rangesProblem([0, 5], 10, 6)).toBe('ranges cover 5 sat, amount is 6');
    expect(rangesProblem([0], 10, 0)).toBe('odd length 1');
    expect(rangesProblem([0.5, 2], 10, 1.5)).toBe('[0.5, 2) is not whole satoshis');
  });
});

describe('order-based models on many ranges', () => {
  it('fifo and lifo keep 3,000 separate one-satoshi ranges exact (buffer growth)', () => {
    const ranges: number[] = [];
    for (let p = 0; p < 6000; p += 2) ranges.push(p, p + 1);
    const tx = { inputs: [6000, 1000], outputs: [2501, 4000] };
    const taints = [{ amount: 3000, ranges }, null];
    const f = MODELS.fifo.forward(tx, taints);
    expect(f.outputs.map((t) => t.amount)).toEqual([1251, 1749]);
    expect(f.outputs[0]!.ranges!.length).toBe(2 * 1251);
    expect(f.outputs[1]!.ranges!.slice(0, 4)).toEqual([1, 2, 3, 4]);
    expect(f.fee).toBe(0);
    const l = MODELS.lifo.forward(tx, taints);
    // reversed stream: input 1's 1,000 clean satoshis first, then input 0 from its last satoshi
    // (offset 5999, clean), so tainted stream positions are the odd ones from 1001 on
    expect(l.outputs.map((t) => t.amount)).toEqual([750, 2000]);
    expect(l.outputs[0]!.ranges!.slice(0, 4)).toEqual([1001, 1002, 1003, 1004]);
    expect(l.fee).toBe(250);
  });
});

describe('purity', () => {
  it('no model writes to what it is given', () => {
    const tx = Object.freeze({ inputs: Object.freeze([100, 50]), outputs: Object.freeze([60, 80]) });
    const ins = Object.freeze([
      Object.freeze({ amount: 15, ranges: Object.freeze([5, 20]) as number[] }),
      Object.freeze({ amount: 50, ranges: null }),
    ]);
    for (const name of MODEL_NAMES) {
      const m = MODELS[name];
      const f = m.forward(tx, ins);
      const b = m.backward(tx, f.outputs);
      expect(b.inputs).toHaveLength(2);
    }
    expect(ins[0]!.ranges).toEqual([5, 20]);
  });
});

describe('bad data is refused with a message that names it', () => {
  const tx = { inputs: [100, 50], outputs: [60, 80] };

  it('a taint list of the wrong length', () => {
    for (const name of MODEL_NAMES) {
      expect(() => MODELS[name].forward(tx, [null])).toThrow(
        'taint list has 1 entries for 2 inputs; expected one each',
      );
      expect(() => MODELS[name].backward(tx, [null])).toThrow(
        'taint list has 1 entries for 2 outputs; expected one each',
      );
    }
  });

  it('an amount above the coin value, negative, or not a number', () => {
    for (const name of MODEL_NAMES) {
      expect(() => MODELS[name].forward(tx, [{ amount: 101, ranges: null }, null])).toThrow(
        /^input 0: taint amount 101 /,
      );
      expect(() => MODELS[name].forward(tx, [null, { amount: -1, ranges: null }])).toThrow(
        /^input 1: taint amount -1 /,
      );
      expect(() => MODELS[name].backward(tx, [{ amount: NaN, ranges: null }, null])).toThrow(
        /^output 0: taint amount NaN /,
      );
    }
  });

  it('a fraction of a satoshi outside haircut (and poison, which only asks "any taint?")', () => {
    const half: (Taint | null)[] = [{ amount: 10.5, ranges: null }, null];
    for (const name of ['fifo', 'lifo', 'tiho'] as const) {
      expect(() => MODELS[name].forward(tx, half)).toThrow(
        'input 0: taint amount 10.5 is not a whole number of satoshis within 0..100',
      );
    }
    expect(MODELS.haircut.forward(tx, half).outputs[0]!.amount).toBeCloseTo((60 * 10.5) / 150, 12);
    expect(MODELS.poison.forward(tx, half).outputs[0]!.amount).toBe(60);
  });

  it('malformed ranges under fifo and lifo, in either direction', () => {
    for (const name of ['fifo', 'lifo'] as const) {
      const m = MODELS[name];
      expect(() => m.forward(tx, [{ amount: 20, ranges: [0, 10, 5, 15] }, null])).toThrow(
        'input 0: range [5, 15) is not a whole-satoshi interval after 10 within 0..100',
      );
      expect(() => m.forward(tx, [{ amount: 10, ranges: [0, 5] }, null])).toThrow(
        'input 0: ranges cover 5 sat but the amount is 10',
      );
      expect(() => m.forward(tx, [null, { amount: 5, ranges: [0, 5, 9] }])).toThrow(
        'input 1: range list has an odd length (3)',
      );
      expect(() => m.backward(tx, [null, { amount: 5, ranges: [78, 83] }])).toThrow(
        'output 1: range [78, 83) is not a whole-satoshi interval after 0 within 0..80',
      );
    }
  });

  it('outputs worth more than the inputs, when there is taint to split', () => {
    const over = { inputs: [100], outputs: [60, 50] };
    for (const name of MODEL_NAMES) {
      expect(() => MODELS[name].forward(over, [{ amount: 1, ranges: null }])).toThrow(
        'outputs (110 sat) exceed inputs (100 sat) by 10 sat; taint cannot be split',
      );
      expect(() => MODELS[name].backward(over, [{ amount: 1, ranges: null }, null])).toThrow(
        'outputs (110 sat) exceed inputs (100 sat) by 10 sat; taint cannot be split',
      );
    }
  });

  it('a coinbase (no inputs of value) carries no taint forward and attributes nothing backward', () => {
    for (const name of MODEL_NAMES) {
      const fwd = MODELS[name].forward({ inputs: [], outputs: [625_000_000, 0] }, []);
      expect(fwd.outputs.map((t) => t.amount)).toEqual([0, 0]);
      expect(fwd.fee).toBe(0);
      const back = MODELS[name].backward({ inputs: [], outputs: [625_000_000] }, [
        { amount: 625_000_000, ranges: null },
      ]);
      expect(back.inputs).toEqual([]);
    }
  });
});
