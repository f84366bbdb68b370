// Table-driven: every worked vector of reference/taint-clustering.md section 1.10 (and the section
// 1.9 backward example, plus hand-checked ones) under all five models. A new case is a fixture line.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MODELS } from '../../src/trace/models/index.js';
import { rangesProblem } from '../../src/trace/ranges.js';
import { MODEL_NAMES, type ModelName, type Taint } from '../../src/trace/taint.js';

/** A haircut fraction is given as numerator/denominator so the fixture holds the exact value. */
type Num = number | { num: number; den: number };
type InputSpec = { value: number; taint?: 'full' } | { from: string };
interface Expected {
  outputs: Num[];
  fee: Num;
  ranges?: number[][];
}
interface ForwardVector {
  id: string;
  source: string;
  txs: { name: string; inputs: InputSpec[]; outputs: number[]; expect: Record<ModelName, Expected> }[];
}
interface BackwardVector {
  id: string;
  source: string;
  inputs: number[];
  outputs: number[];
  interest: ({ amount: number; ranges?: number[] } | null)[];
  expect: Record<ModelName, { amount: Num; ranges?: number[] }[]>;
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/taint-vectors.json', import.meta.url), 'utf8'),
) as { forward: ForwardVector[]; backward: BackwardVector[] };

const ORDER_BASED: readonly ModelName[] = ['fifo', 'lifo', 'tiho'];

function value(n: Num): number {
  return typeof n === 'number' ? n : n.num / n.den;
}

/** Integer models must match exactly; haircut within 1e-9 relative (it is an exact double, not a rational). */
function expectAmount(model: ModelName, got: number, want: Num, what: string): void {
  const w = value(want);
  if (model === 'haircut') {
    expect(Math.abs(got - w), `${what}: got ${got}, want ${w}`).toBeLessThanOrEqual(
      1e-9 * Math.max(1, Math.abs(w)),
    );
  } else {
    expect(got, what).toBe(w);
  }
}

function expectShape(model: ModelName, t: Taint, v: number, what: string): void {
  expect(t.amount, what).toBeGreaterThanOrEqual(0);
  expect(t.amount, what).toBeLessThanOrEqual(v);
  if (ORDER_BASED.includes(model)) {
    expect(rangesProblem(t.ranges!, v, t.amount), what).toBeNull();
  } else {
    expect(t.ranges, what).toBeNull();
  }
}

describe('forward vectors', () => {
  for (const vector of fixture.forward) {
    describe(`${vector.id}: ${vector.source}`, () => {
      for (const model of MODEL_NAMES) {
        it(model, () => {
          const produced = new Map<string, { values: number[]; taints: Taint[] }>();
          for (const tx of vector.txs) {
            const values: number[] = [];
            const taints: (Taint | null)[] = [];
            for (const spec of tx.inputs) {
              if ('from' in spec) {
                const [name, vout] = spec.from.split(':') as [string, string];
                const parent = produced.get(name)!;
                values.push(parent.values[Number(vout)]!);
                taints.push(parent.taints[Number(vout)]!);
              } else {
                values.push(spec.value);
                taints.push(spec.taint === 'full' ? { amount: spec.value, ranges: null } : null);
              }
            }
            const result = MODELS[model].forward({ inputs: values, outputs: tx.outputs }, taints);
            const want = tx.expect[model];
            expect(result.outputs).toHaveLength(tx.outputs.length);
            tx.outputs.forEach((v, j) => {
              const what = `${tx.name} o${j}`;
              expectAmount(model, result.outputs[j]!.amount, want.outputs[j]!, what);
              expectShape(model, result.outputs[j]!, v, what);
              if (want.ranges) expect(result.outputs[j]!.ranges, what).toEqual(want.ranges[j]);
            });
            expectAmount(model, result.fee, want.fee, `${tx.name} fee`);
            produced.set(tx.name, { values: tx.outputs, taints: result.outputs });
          }
        });
      }
    });
  }
});

describe('backward vectors', () => {
  for (const vector of fixture.backward) {
    describe(`${vector.id}: ${vector.source}`, () => {
      for (const model of MODEL_NAMES) {
        it(model, () => {
          const interest = vector.interest.map((t) =>
            t ? { amount: t.amount, ranges: t.ranges ?? null } : null,
          );
          const result = MODELS[model].backward({ inputs: vector.inputs, outputs: vector.outputs }, interest);
          const want = vector.expect[model];
          expect(result.inputs).toHaveLength(vector.inputs.length);
          vector.inputs.forEach((v, i) => {
            const what = `i${i}`;
            expectAmount(model, result.inputs[i]!.amount, want[i]!.amount, what);
            expectShape(model, result.inputs[i]!, v, what);
            if (want[i]!.ranges) expect(result.inputs[i]!.ranges, what).toEqual(want[i]!.ranges);
          });
        });
      }
    });
  }
});
