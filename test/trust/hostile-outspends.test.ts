// The `tx` command shows who spent each output; that is the explorer's claim until the spender's
// own input is seen to spend the output (src/sources/spenders.ts). A false claim fails the run
// (exit 1, naming output, spender and input) instead of printing a wrong "spent by".
import { afterEach, describe, expect, it } from 'vitest';
import type { EsploraServer } from '../support/esplora-server.js';
import { startEsploraServer } from '../support/esplora-server.js';
import { loadDemoChain } from '../support/load-chain.js';
import type { Outspend, Tx } from '../../src/model/tx.js';
import type { ChainSource } from '../../src/sources/source.js';
import { checkSpenders } from '../../src/sources/spenders.js';
import { CONSOLIDATION, hostileServer, OPERATOR, PEEL1, run } from './hostile.js';

let server: EsploraServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

interface RawOutspend {
  spent: boolean;
  txid?: string;
  vin?: number;
}

const editOutspends = (txid: string, edit: (list: RawOutspend[]) => void) =>
  hostileServer((path, json) => {
    if (path !== `/tx/${txid}/outspends`) return undefined;
    edit(json as RawOutspend[]);
    return json;
  });

describe('tx: spent-by claims are checked against the spender', () => {
  it('honest explorer: CONSOLIDATION:0 spent by PEEL1, exit 0', async () => {
    server = await startEsploraServer(loadDemoChain());
    const r = await run(['tx', CONSOLIDATION, '--api-url', server.url, '--format', 'json']);
    expect(r.code).toBe(0);
    const outs = (JSON.parse(r.out) as { outputs: { spent_by: string | null }[] }).outputs;
    expect(outs[0]!.spent_by).toBe(PEEL1);
  });

  it('a spender that does not spend the output: exit 1, naming both', async () => {
    server = await editOutspends(CONSOLIDATION, (list) => {
      list[0] = { ...list[0]!, txid: OPERATOR, vin: 0 };
    });
    const r = await run(['tx', CONSOLIDATION, '--api-url', server.url]);
    expect([r.code, r.out]).toEqual([1, '']);
    expect(r.err).toBe(
      `btctrace: /tx/${CONSOLIDATION}/outspends: output 0 is spent by ${OPERATOR} input 0, says the explorer, but no input of that transaction spends it\n`,
    );
  });

  it('the right spender at the wrong input (off by one): exit 1', async () => {
    server = await editOutspends(CONSOLIDATION, (list) => {
      list[0] = { ...list[0]!, vin: 1 };
    });
    const r = await run(['tx', CONSOLIDATION, '--api-url', server.url]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `output 0 is spent by ${PEEL1} input 1, says the explorer, but it is spent at input 0`,
    );
  });
});

describe('checkSpenders bounds its requests', () => {
  const parent = 'aa'.repeat(32);
  const spender = (k: number): Tx =>
    ({ txid: `${k}`.padStart(64, '0'), vin: [{ txid: parent, vout: k }] }) as unknown as Tx;
  const source = (reads: string[]) =>
    ({
      getTx: (t: string) => {
        reads.push(t);
        return Promise.resolve(spender(Number(t)));
      },
    }) as unknown as ChainSource;
  const spent = (n: number): Outspend[] =>
    Array.from({ length: n }, (_, k) => ({
      spent: true,
      txid: `${k}`.padStart(64, '0'),
      vin: 0,
      status: null,
    }));

  it('max spent outputs are checked and named; the next one is "spent" without a spender', async () => {
    const reads: string[] = [];
    const r = await checkSpenders(source(reads), parent, spent(4), 3);
    expect([r.checked, r.unnamed, reads.length]).toEqual([3, 1, 3]);
    expect(r.outspends.map((o) => o.txid)).toEqual([...spent(3).map((o) => o.txid), null]);
    expect(r.outspends[3]!.spent).toBe(true);
  });

  it('a spender that spends another output of the same parent is refused', async () => {
    const claims = spent(2);
    claims[0] = { ...claims[0]!, txid: claims[1]!.txid }; // spender 1 spends parent:1, not parent:0
    await expect(checkSpenders(source([]), parent, claims)).rejects.toThrow(
      `output 0 is spent by ${claims[1]!.txid} input 0, says the explorer, but no input of that transaction spends it`,
    );
  });

  it('exactly max spent outputs: all checked, none unnamed', async () => {
    const reads: string[] = [];
    const r = await checkSpenders(source(reads), parent, spent(3), 3);
    expect([r.checked, r.unnamed, reads.length]).toEqual([3, 0, 3]);
  });
});
