import { describe, expect, it } from 'vitest';
import { BinaryHeap } from '../../src/model/heap.js';
import { mulberry32 } from '../support/prng.js';

describe('BinaryHeap', () => {
  it('pops in the given order, ties by the second key, then is empty', () => {
    const h = new BinaryHeap<[number, number]>((a, b) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]));
    for (const x of [
      [3, 0],
      [1, 2],
      [1, 1],
      [2, 0],
      [3, -1],
    ] as [number, number][])
      h.push(x);
    expect(h.size).toBe(5);
    const out: [number, number][] = [];
    for (let x = h.pop(); x !== undefined; x = h.pop()) out.push(x);
    expect(out).toEqual([
      [1, 1],
      [1, 2],
      [2, 0],
      [3, -1],
      [3, 0],
    ]);
    expect(h.size).toBe(0);
    expect(h.pop()).toBeUndefined();
  });

  it('sorts 1,000 random numbers like Array.sort', () => {
    const random = mulberry32(7);
    const xs = Array.from({ length: 1000 }, () => Math.floor(random() * 100));
    const h = new BinaryHeap<number>((a, b) => a < b);
    for (const x of xs) h.push(x);
    const out: number[] = [];
    while (h.size > 0) out.push(h.pop()!);
    expect(out).toEqual([...xs].sort((a, b) => a - b));
  });
});
