// The transport's queue: at most `concurrency` tasks at once, the waiting ones highest priority
// first, arrival order among equals; the priority a request gets is the one withPriority set
// around the call, through the source wrappers, and a bulk outspends request (which leaves a
// turn later) ranks as the highest of its callers.
import { describe, expect, it } from 'vitest';
import { capturing } from '../../src/sources/capture.js';
import { checkedSource } from '../../src/sources/checks.js';
import { EsploraSource } from '../../src/sources/esplora.js';
import type { GetOptions, ValidatingTransport } from '../../src/sources/http.js';
import { memoized } from '../../src/sources/memo.js';
import { currentPriority, PriorityLimit, withPriority } from '../../src/sources/schedule.js';
import type { TransportResponse } from '../../src/sources/transport.js';
import { loadDemoChain } from '../support/load-chain.js';

/** A task that records its start and finishes when released. */
function gated(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  return {
    task: () => {
      log.push(name);
      return done.then(() => name);
    },
    release: () => release(),
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('PriorityLimit', () => {
  it('runs at most `concurrency` at once and starts waiting tasks highest priority first, ties in arrival order', async () => {
    const log: string[] = [];
    const limit = new PriorityLimit(2);
    const t = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => gated(log, n));
    const results = [
      limit.run(t[0]!.task, 0),
      limit.run(t[1]!.task, 0),
      limit.run(t[2]!.task, 1), // waits: both slots taken
      limit.run(t[3]!.task, 3),
      limit.run(t[4]!.task, 1),
      limit.run(t[5]!.task, 3),
    ];
    expect(log).toEqual(['a', 'b']);
    expect(limit.waiting).toBe(4);
    t[0]!.release();
    await tick();
    expect(log).toEqual(['a', 'b', 'd']); // priority 3, the first of the two
    t[1]!.release();
    await tick();
    expect(log).toEqual(['a', 'b', 'd', 'f']);
    t[3]!.release();
    t[5]!.release();
    await tick();
    expect(log).toEqual(['a', 'b', 'd', 'f', 'c', 'e']); // priority 1 ties: arrival order
    t[2]!.release();
    t[4]!.release();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(limit.waiting).toBe(0);
  });

  it('passes a failure to its caller and frees the slot', async () => {
    const limit = new PriorityLimit(1);
    const failing = limit.run(() => Promise.reject(new Error('boom')));
    const thrown = limit.run(() => {
      throw new Error('sync boom');
    });
    const next = limit.run(() => Promise.resolve('next'));
    await expect(failing).rejects.toThrow('boom');
    await expect(thrown).rejects.toThrow('sync boom');
    expect(await next).toBe('next');
  });

  it('refuses a concurrency that is not a positive integer', () => {
    expect(() => new PriorityLimit(0)).toThrow('concurrency must be a positive integer, got 0');
    expect(() => new PriorityLimit(1.5)).toThrow(RangeError);
  });

  it('takes the priority from withPriority for the call, nested calls restoring the outer one', async () => {
    expect(currentPriority()).toBe(0);
    expect(withPriority(4, () => currentPriority())).toBe(4);
    expect(withPriority(4, () => [withPriority(6, () => currentPriority()), currentPriority()])).toEqual([
      6, 4,
    ]);
    expect(() =>
      withPriority(5, () => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(currentPriority()).toBe(0);
    const log: string[] = [];
    const limit = new PriorityLimit(1);
    const first = gated(log, 'first');
    const p0 = limit.run(first.task);
    const low = gated(log, 'low');
    const p1 = limit.run(low.task);
    const high = gated(log, 'high');
    const p2 = withPriority(2, () => limit.run(high.task));
    first.release();
    await tick();
    expect(log).toEqual(['first', 'high']);
    high.release();
    low.release();
    expect(await Promise.all([p0, p1, p2])).toEqual(['first', 'low', 'high']);
    expect(log).toEqual(['first', 'high', 'low']);
  });
});

describe('the priority reaches the transport through the source wrappers', () => {
  /** Answers from the demo chain and notes the priority each request joined with. */
  function recording(): { transport: ValidatingTransport; asked: [string, number][] } {
    const chain = loadDemoChain();
    const asked: [string, number][] = [];
    const transport: ValidatingTransport = {
      description: 'demo chain',
      stats: () => ({ requests: asked.length, retries: 0 }),
      get: (path: string, options: GetOptions = {}): Promise<TransportResponse> => {
        asked.push([path, currentPriority()]);
        const a = chain.answer(path);
        const response: TransportResponse = { status: a.status, body: a.body, headers: {} };
        options.validate?.(response);
        return Promise.resolve(response);
      },
    };
    return { transport, asked };
  }

  it('a tx request at once, bulk outspends a turn later ranked as the highest caller', async () => {
    const { transport, asked } = recording();
    const esplora = new EsploraSource(transport, { bulkOutspends: true });
    const { source } = capturing(checkedSource(memoized(esplora), { network: 'mainnet' }));
    const [a, b, c, d] = loadDemoChain().txids();
    const calls = [
      withPriority(4, () => source.getTx(a!)),
      withPriority(3, () => source.getOutspends(b!)),
      withPriority(5, () => source.getOutspends(c!)),
      withPriority(2, () => source.getOutspends(b!)), // the same txid again: shares the first call
    ];
    expect(asked).toEqual([[`/tx/${a}`, 4]]);
    await Promise.all(calls);
    expect(asked).toEqual([
      [`/tx/${a}`, 4],
      [`/txs/outspends?txids=${b},${c}`, 5],
    ]);
    // One txid alone goes to the ordinary endpoint, with its caller's priority.
    await withPriority(7, () => source.getOutspends(d!));
    expect(asked.at(-1)).toEqual([`/tx/${d}/outspends`, 7]);
  });
});
