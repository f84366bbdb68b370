// Pure parts of the BigQuery backend: the batching wrapper (what one bulk call holds, when it is
// sent, how answers and failures reach each caller), the frontier statement's parameters and
// partition filters, and the normalisation of result rows.
import { describe, expect, it } from 'vitest';
import type { Tx } from '../../src/model/tx.js';
import {
  batchedSource,
  MAX_SETTLE_TURNS,
  type BulkAnswer,
  type BulkBackend,
  type BulkRequest,
} from '../../src/sources/batching.js';
import { NotFoundError, UnavailableError } from '../../src/sources/errors.js';
import { assemble, parseTxRow, type FrontierRow } from '../../src/sources/bigquery/rows.js';
import { frontierQuery, monthOf } from '../../src/sources/bigquery/sql.js';
import { etlBody } from '../support/bigquery-fake.js';
import { loadDemoChain } from '../support/load-chain.js';

const A = 'aa'.repeat(32);
const B = 'bb'.repeat(32);

function fakeTx(txid: string): Tx {
  return {
    txid,
    version: 1,
    locktime: 0,
    size: 1,
    weight: 4,
    fee: 0,
    vin: [],
    vout: [{ value: 5, script: '00', scriptType: 'unknown', address: null }],
    status: { confirmed: true, height: 1, hash: null, time: 0 },
  };
}

function backend(answer: (r: BulkRequest) => Promise<BulkAnswer> | BulkAnswer) {
  const requests: BulkRequest[] = [];
  const b: BulkBackend = {
    description: 'fake',
    fetch: async (r) => {
      requests.push(r);
      return answer(r);
    },
    getAddressStats: () => Promise.reject(new Error('no')),
    getTxHex: () => Promise.reject(new Error('no')),
    stats: () => ({ requests: requests.length, retries: 0, memoHits: 0, repeated: 0 }),
  };
  return { b, requests };
}

const EMPTY = (): BulkAnswer => ({ txs: new Map(), outspends: new Map(), histories: new Map(), tip: null });

describe('batchedSource', () => {
  it('sends the calls of one turn, and of the turns right after it, as one sorted request', async () => {
    const { b, requests } = backend((r) => ({
      ...EMPTY(),
      txs: new Map(r.txids.map((t) => [t, fakeTx(t)])),
      outspends: new Map(
        r.outspends.map((t) => [t, [{ spent: false, txid: null, vin: null, status: null }]]),
      ),
      tip: 7,
    }));
    const s = batchedSource(b);
    const first = [s.getTx(B), s.getTx(A), s.getTx(A), s.getTipHeight()];
    // A call one turn later (as the walk's recompute makes) still joins the same request.
    const later = new Promise<unknown>((r) => setImmediate(() => r(s.getOutspends(A))));
    const [tb, ta, ta2, tip] = await Promise.all(first);
    await later;
    expect(requests).toEqual([{ txids: [A, B], outspends: [A], histories: [], tip: true }]);
    expect([(tb as Tx).txid, (ta as Tx).txid, ta2 === ta, tip]).toEqual([B, A, true, 7]);
    // A body that came with an answer needs no further call.
    await s.getTx(A);
    expect(requests).toHaveLength(1);
  });

  it('a history asked with two limits is fetched once with the larger and cut for the smaller', async () => {
    const txs = [fakeTx(A), fakeTx(B)];
    const { b, requests } = backend((r) => ({
      ...EMPTY(),
      histories: new Map(r.histories.map((h) => [h.address, { txs, complete: true }])),
    }));
    const s = batchedSource(b);
    const [small, large] = await Promise.all([
      s.getAddressHistory('addr', 1),
      s.getAddressHistory('addr', 5),
    ]);
    expect(requests[0]!.histories).toEqual([{ address: 'addr', maxTxs: 5 }]);
    expect(small).toEqual({ txs: [txs[0]], complete: false });
    expect(large).toEqual({ txs, complete: true });
  });

  it('what the answer lacks is not found; a failed call fails every caller of the batch', async () => {
    const s1 = batchedSource(backend(() => EMPTY()).b);
    await expect(s1.getTx(A)).rejects.toBeInstanceOf(NotFoundError);
    await expect(s1.getOutspends(A)).rejects.toBeInstanceOf(NotFoundError);
    const boom = new UnavailableError('bigquery: quota exceeded', 'bigquery');
    const s2 = batchedSource(backend(() => Promise.reject(boom)).b);
    const all = await Promise.allSettled([s2.getTx(A), s2.getOutspends(B), s2.getTipHeight()]);
    expect(all.map((r) => (r.status === 'rejected' ? (r.reason as unknown) : null))).toEqual([
      boom,
      boom,
      boom,
    ]);
  });

  it(`a caller that never goes quiet holds a batch back at most ${MAX_SETTLE_TURNS} turns`, async () => {
    const { b, requests } = backend((r) => ({
      ...EMPTY(),
      txs: new Map(r.txids.map((t) => [t, fakeTx(t)])),
    }));
    const s = batchedSource(b);
    let n = 0;
    let stop = false;
    const ids: string[] = [];
    const spin = () => {
      if (stop) return;
      const id = (n++).toString(16).padStart(64, '0');
      ids.push(id);
      void s.getTx(id);
      setImmediate(spin);
    };
    spin();
    await new Promise<void>((r) => {
      const check = (): void => {
        if (requests.length > 0) r();
        else setImmediate(check);
      };
      check();
    });
    stop = true;
    // The first call, then one a turn while the batch waited: MAX_SETTLE_TURNS turns in all.
    expect(requests[0]!.txids).toHaveLength(MAX_SETTLE_TURNS);
  });
});

describe('frontierQuery', () => {
  const req = (p: Partial<BulkRequest>): BulkRequest => ({
    txids: [],
    outspends: [],
    histories: [],
    tip: false,
    ...p,
  });

  it('names the partitions only when every transaction of a part has a known month', () => {
    const hints = new Map([[A, '2024-06-01']]);
    const known = frontierQuery(req({ txids: [A], outspends: [A] }), hints);
    expect(known.params.map((p) => p.name)).toEqual(['txids', 'tx_months', 'spent', 'spent_from']);
    expect(known.params[1]!.parameterValue.arrayValues).toEqual([{ value: '2024-06-01' }]);
    expect(known.params[3]).toEqual({
      name: 'spent_from',
      parameterType: { type: 'DATE' },
      parameterValue: { value: '2024-06-01' },
    });
    const unknown = frontierQuery(req({ txids: [A, B] }), hints);
    expect(unknown.params.map((p) => p.name)).toEqual(['txids']);
    expect(unknown.sql).not.toContain('@tx_months');
  });

  it('asks one more history row than the largest limit; values pass as parameters, never as text', () => {
    const q = frontierQuery(
      req({
        histories: [
          { address: "x' OR 1=1 --", maxTxs: 10 },
          { address: 'y', maxTxs: 1000 },
        ],
      }),
      new Map(),
    );
    expect(q.params.find((p) => p.name === 'history_limit')!.parameterValue.value).toBe('1001');
    expect(q.sql).not.toContain('OR 1=1');
    expect(q.sql).toMatch(/^-- btctrace frontier\nWITH touched AS/);
  });

  it('casts every NUMERIC to STRING', () => {
    const q = frontierQuery(req({ txids: [A], tip: true }), new Map());
    expect(q.sql).toContain('CAST(t.fee AS STRING)');
    expect(q.sql).toContain('CAST(i.value AS STRING)');
    expect(q.sql).toContain('CAST(o.value AS STRING)');
    expect(q.sql).toContain("'tip' AS kind");
  });

  it('refuses a dataset name that is not project.dataset, and an empty frontier', () => {
    expect(() => frontierQuery(req({ tip: true }), new Map(), 'x`; DROP TABLE y; --')).toThrow(RangeError);
    expect(() => frontierQuery(req({}), new Map())).toThrow('an empty frontier has no query');
  });

  it('monthOf is the UTC month, at the boundary', () => {
    expect(monthOf(Date.UTC(2024, 5, 30, 23, 59, 59) / 1000)).toBe('2024-06-01');
    expect(monthOf(Date.UTC(2024, 6, 1, 0, 0, 0) / 1000)).toBe('2024-07-01');
  });
});

describe('rows', () => {
  const chain = loadDemoChain();
  const txids = chain.txids();

  it('a body row equals the explorer transaction it came from (prevout scripts from addresses)', () => {
    const id = txids.find((t) => chain.getTx(t)!.vin.some((i) => i.prevout?.scriptpubkey_type === 'p2pkh'))!;
    const e = chain.getTx(id)!;
    const tx = parseTxRow(etlBody(e), new Map());
    expect(tx.vin.map((i) => i.prevout?.script)).toEqual(e.vin.map((i) => i.prevout?.scriptpubkey));
    expect(tx.vin.map((i) => i.prevout?.address)).toEqual(e.vin.map((i) => i.prevout?.scriptpubkey_address));
    expect(tx.vout.map((o) => [o.value, o.address, o.scriptType])).toEqual(
      e.vout.map((o) => [o.value, o.scriptpubkey_address, o.scriptpubkey_type]),
    );
    expect(tx.fee).toBe(e.fee);
  });

  it('an address-less prevout takes the script of the parent output read before', () => {
    const e = chain.getTx(txids.find((t) => !chain.getTx(t)!.vin[0]!.is_coinbase)!)!;
    const body = JSON.parse(etlBody(e)) as { vin: { addresses: string[]; type: string }[] };
    body.vin[0]!.addresses = [];
    body.vin[0]!.type = 'pubkey';
    const key = `${e.vin[0]!.txid}:${e.vin[0]!.vout}`;
    expect(parseTxRow(JSON.stringify(body), new Map()).vin[0]!.prevout).toMatchObject({
      script: '',
      address: null,
      scriptType: 'p2pk',
    });
    const filled = parseTxRow(JSON.stringify(body), new Map([[key, e.vin[0]!.prevout!.scriptpubkey]]));
    expect(filled.vin[0]!.prevout!.script).toBe(e.vin[0]!.prevout!.scriptpubkey);
  });

  it.each([
    ['value', '21000000000000001'],
    ['value', '100.0'],
    ['value', 5],
    ['value', '007'],
  ])('an output %s of %j is refused', (field, v) => {
    const e = chain.getTx(txids[1]!)!;
    const body = JSON.parse(etlBody(e)) as { vout: Record<string, unknown>[] };
    body.vout[0]![field] = v;
    expect(() => parseTxRow(JSON.stringify(body), new Map())).toThrow(
      /vout\[0\]: value: expected an integer satoshi string/,
    );
  });

  it('the money supply itself is accepted', () => {
    const e = chain.getTx(txids[1]!)!;
    const body = JSON.parse(etlBody(e)) as { vout: Record<string, unknown>[] };
    body.vout[0]!.value = '2100000000000000';
    expect(parseTxRow(JSON.stringify(body), new Map()).vout[0]!.value).toBe(2_100_000_000_000_000);
  });

  it('outputs fewer than the count say, or numbered out of order, are refused', () => {
    const e = chain.getTx(txids[1]!)!;
    const body = JSON.parse(etlBody(e)) as { nout: number; vout: { n: number }[] };
    body.nout += 1;
    expect(() => parseTxRow(JSON.stringify(body), new Map())).toThrow(/vout: expected \d+ outputs/);
    body.nout -= 1;
    body.vout[0]!.n = 1;
    expect(() => parseTxRow(JSON.stringify(body), new Map())).toThrow(/n: expected an integer in 0\.\.0/);
  });

  it('outspends: unspent where no row, and a spend row beyond the outputs is refused', () => {
    const e = chain.getTx(txids[1]!)!;
    const rows: FrontierRow[] = [{ kind: 'tx', key: e.txid, body: etlBody(e) }];
    const request: BulkRequest = { txids: [], outspends: [e.txid], histories: [], tip: false };
    const a = assemble(rows, request, new Map());
    expect(a.outspends.get(e.txid)!.every((o) => !o.spent)).toBe(true);
    const spend = JSON.stringify({ vout: e.vout.length, txid: B, vin: 0, height: 1, block_hash: A, time: 1 });
    expect(() =>
      assemble([...rows, { kind: 'spend', key: e.txid, body: spend }], request, new Map()),
    ).toThrow(/vout: expected an output index below/);
  });
});
