// MemoryChain answers as an Esplora host would: outspends, paging, bulk outspends, stats, errors.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildDemo } from '../../fixtures/generate-demo.js';
import { MemoryChain, type EsploraTx } from '../support/memory.js';
import { loadDemoChain, readDemoChainFile } from '../support/load-chain.js';

const chain = loadDemoChain();
let id: (name: string) => string;
let addr: (role: string) => string;
beforeAll(() => {
  const demo = buildDemo();
  id = (name) => demo.txNames.get(name)!;
  addr = (role) => demo.roles.find((r) => r.role === role)!.address;
});

const json = (path: string): unknown => {
  const a = chain.answer(path);
  expect(a.status, `${path}: ${a.body}`).toBe(200);
  expect(a.contentType).toBe('application/json');
  return JSON.parse(a.body);
};
const txids = (path: string): string[] => (json(path) as EsploraTx[]).map((t) => t.txid);

describe('transactions', () => {
  it('/tx/:txid is the stored JSON, compact; /hex is the raw tx as text', () => {
    const file = readDemoChainFile();
    const { tx, hex } = file.txs[5]!;
    expect(chain.answer(`/tx/${tx.txid}`)).toEqual({
      status: 200,
      body: JSON.stringify(tx),
      contentType: 'application/json',
    });
    expect(chain.answer(`/tx/${tx.txid}/hex`)).toEqual({ status: 200, body: hex, contentType: 'text/plain' });
    expect(chain.answer(`/tx/${tx.txid.toUpperCase()}`).body).toBe(JSON.stringify(tx));
  });

  it('/blocks/tip/height is text', () => {
    expect(chain.answer('/blocks/tip/height')).toEqual({
      status: 200,
      body: '850069',
      contentType: 'text/plain',
    });
  });
});

describe('outspends', () => {
  it('a spent output names its spender, input index and the spender block', () => {
    const spender = chain.getTx(id('peel-1'))!;
    expect(json(`/tx/${id('consolidation')}/outspends`)).toEqual([
      {
        spent: true,
        txid: id('peel-1'),
        vin: 0,
        status: {
          confirmed: true,
          block_height: spender.status.block_height,
          block_hash: spender.status.block_hash,
          block_time: spender.status.block_time,
        },
      },
    ]);
  });

  it('the CoinJoin spends premix output 0 at input 2; unspent and OP_RETURN outputs are {spent:false}', () => {
    const peel4 = json(`/tx/${id('peel-4')}/outspends`) as { spent: boolean; txid?: string; vin?: number }[];
    expect(peel4.map((o) => [o.spent, o.txid, o.vin])).toEqual([
      [true, id('whirlpool-coinjoin'), 2],
      [true, id('peel-5'), 0],
    ]);
    expect(chain.answer(`/tx/${id('peel-6')}/outspends`).body).toBe(
      '[{"spent":false},{"spent":false},{"spent":false}]',
    );
  });

  it('an output spent in the mempool has status {confirmed:false}', () => {
    const out = json(`/tx/${id('payment-B1')}/outspends`) as object[];
    expect(out).toContainEqual({
      spent: true,
      txid: id('payment-B4-unconfirmed'),
      vin: 0,
      status: { confirmed: false },
    });
  });

  it('bulk /txs/outspends?txids= answers per txid; unknown and invalid txids get []', () => {
    const unknown = 'ab'.repeat(32);
    const body = json(
      `/txs/outspends?txids=${id('consolidation')},${unknown},nothex,${id('peel-6')}`,
    ) as unknown[][];
    expect(body.map((o) => o.length)).toEqual([1, 0, 0, 3]);
    expect(body[0]).toEqual(json(`/tx/${id('consolidation')}/outspends`));
    expect(chain.answer(`/txs/outspends?txids=${id('consolidation')}%2C${id('peel-6')}`).body).toBe(
      `[${chain.answer(`/tx/${id('consolidation')}/outspends`).body},${chain.answer(`/tx/${id('peel-6')}/outspends`).body}]`,
    );
  });

  it('bulk refuses more than 50 txids and a missing list', () => {
    const many = Array.from({ length: 51 }, () => 'aa'.repeat(32)).join(',');
    expect(chain.answer(`/txs/outspends?txids=${many}`)).toEqual({
      status: 400,
      body: 'Too many txids requested',
      contentType: 'text/plain',
    });
    expect((json(`/txs/outspends?txids=${many.slice(65)}`) as unknown[]).length).toBe(50);
    expect(chain.answer('/txs/outspends').body).toBe('No txids specified');
  });
});

describe('address histories', () => {
  it('the ExchangeZ hot wallet: 31 confirmed txs page as 25 + 6, newest first, then []', () => {
    const hot = addr('ExchangeZ hot wallet');
    const page1 = json(`/address/${hot}/txs`) as EsploraTx[];
    expect(page1.length).toBe(25);
    expect(page1[0]!.txid).toBe(id('ExchangeZ-withdrawal-30'));
    const heights = page1.map((t) => t.status.block_height!);
    expect(heights).toEqual([...heights].sort((a, b) => b - a));
    const last = page1[24]!.txid;
    expect(last).toBe(id('ExchangeZ-withdrawal-6'));
    const page2 = txids(`/address/${hot}/txs/chain/${last}`);
    expect(page2.length).toBe(6);
    expect(page2.at(-1)).toBe(id('pool-payout-2'));
    expect(txids(`/address/${hot}/txs/chain/${page2.at(-1)}`)).toEqual([]);
    expect(new Set([...page1.map((t) => t.txid), ...page2]).size).toBe(31);
    // Without last_seen, or with an unparsable one, /txs/chain is the first page; an unknown txid ends it.
    expect(txids(`/address/${hot}/txs/chain`)).toEqual(page1.map((t) => t.txid));
    expect(txids(`/address/${hot}/txs/chain/zz`)).toEqual(page1.map((t) => t.txid));
    expect(txids(`/address/${hot}/txs/chain/${'cd'.repeat(32)}`)).toEqual([]);
    expect(chain.allPaths()).toContain(`/address/${hot}/txs/chain/${last}`);
  });

  it('address stats sum the history', () => {
    const hot = addr('ExchangeZ hot wallet');
    const stats = json(`/address/${hot}`) as {
      chain_stats: Record<string, number>;
      mempool_stats: Record<string, number>;
    };
    const lastChange = chain
      .getTx(id('ExchangeZ-withdrawal-30'))!
      .vout.find((o) => o.scriptpubkey_address === hot)!.value;
    expect(stats.chain_stats.tx_count).toBe(31);
    expect(stats.chain_stats.funded_txo_count).toBe(31);
    expect(stats.chain_stats.spent_txo_count).toBe(30);
    expect(stats.chain_stats.funded_txo_sum! - stats.chain_stats.spent_txo_sum!).toBe(lastChange);
    expect(stats.chain_stats.funded_txo_sum).toBe(3_726_398_364);
    expect(stats.chain_stats.spent_txo_sum).toBe(3_662_880_072);
    expect(lastChange).toBe(63_518_292);
    expect(Object.keys(stats)).toEqual(['address', 'chain_stats', 'mempool_stats']);
  });

  it('ShopB: the mempool payment comes first on page 1 and counts in mempool_stats', () => {
    const shopB = addr('ShopB');
    const page = txids(`/address/${shopB}/txs`);
    expect(page).toEqual([
      id('payment-B4-unconfirmed'),
      id('consolidation'),
      id('payment-B3'),
      id('payment-B2'),
      id('payment-B1'),
    ]);
    expect(txids(`/address/${shopB}/txs/chain`)).toEqual(page.slice(1));
    expect(txids(`/address/${shopB}/txs/mempool`)).toEqual(page.slice(0, 1));
    expect(json(`/address/${shopB}`)).toEqual({
      address: shopB,
      chain_stats: {
        funded_txo_count: 3,
        funded_txo_sum: 34_450_000,
        spent_txo_count: 3,
        spent_txo_sum: 34_450_000,
        tx_count: 4,
      },
      mempool_stats: {
        funded_txo_count: 1,
        funded_txo_sum: 5_500_000,
        spent_txo_count: 0,
        spent_txo_sum: 0,
        tx_count: 1,
      },
    });
  });

  it('an address with no transactions answers zero stats and []', () => {
    const empty = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
    expect((json(`/address/${empty}`) as { chain_stats: { tx_count: number } }).chain_stats.tx_count).toBe(0);
    expect(json(`/address/${empty}/txs`)).toEqual([]);
  });

  it('/utxo lists the unspent outputs of ShopA: the late payment only', () => {
    const utxo = json(`/address/${addr('ShopA')}/utxo`) as { txid: string; vout: number; value: number }[];
    expect(utxo.map((u) => [u.txid, u.vout, u.value])).toEqual([[id('payment-A4'), 1, 14_000_000]]);
  });

  it('transactions of one block: later in the block comes first', () => {
    const file = readDemoChainFile();
    const [w1, w2] = ['ExchangeZ-withdrawal-1', 'ExchangeZ-withdrawal-2'].map((n) =>
      file.txs.find((t) => t.tx.txid === id(n))!,
    );
    const sameBlock = (e: typeof w1) => ({
      hex: e!.hex,
      tx: {
        ...e!.tx,
        status: { confirmed: true, block_height: 7, block_hash: 'ab'.repeat(32), block_time: 1 },
      },
    });
    const small = new MemoryChain([sameBlock(w1), sameBlock(w2)], { tipHeight: 7 });
    const hot = addr('ExchangeZ hot wallet');
    expect((JSON.parse(small.answer(`/address/${hot}/txs`).body) as EsploraTx[]).map((t) => t.txid)).toEqual([
      id('ExchangeZ-withdrawal-2'),
      id('ExchangeZ-withdrawal-1'),
    ]);
  });
});

describe('errors, as Esplora words them (text/plain)', () => {
  const unknown = '00'.repeat(31) + '01';
  it.each([
    [`/tx/${unknown}`, 404, 'Transaction not found'],
    [`/tx/${unknown}/hex`, 404, 'Transaction not found'],
    [`/tx/${unknown}/outspends`, 404, 'Transaction not found'],
    ['/tx/1234', 400, 'Invalid hex string'],
    [`/tx/${'g'.repeat(64)}/outspends`, 400, 'Invalid hex string'],
    ['/address/1BoatSLRHtKNngkdXEeobR76b53LETtpyZ', 400, 'Invalid Bitcoin address'],
    ['/address/notanaddress/txs', 400, 'Invalid Bitcoin address'],
    ['/address/tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx', 400, 'Address on invalid network'],
    ['/nothing/here', 404, 'endpoint does not exist "/nothing/here"'],
    [`/tx/${unknown}/whatever`, 404, `endpoint does not exist "/tx/${unknown}/whatever"`],
    ['/blocks/tip/height/', 404, 'endpoint does not exist "/blocks/tip/height/"'],
  ])('%s -> %i %s', (path, status, body) => {
    expect(chain.answer(path)).toEqual({ status, body, contentType: 'text/plain' });
  });

  it('/tx/:txid/status and /outspend/:vout never 404', () => {
    expect(chain.answer(`/tx/${unknown}/status`).body).toBe('{"confirmed":false}');
    expect(chain.answer(`/tx/${unknown}/outspend/3`).body).toBe('{"spent":false}');
    expect(chain.answer(`/tx/${id('consolidation')}/outspend/0`).body).toBe(
      chain.answer(`/tx/${id('consolidation')}/outspends`).body.slice(1, -1),
    );
  });
});

describe('construction checks', () => {
  it('a tx whose JSON no longer matches its hex is refused, unless verification is off', () => {
    const { tx, hex } = readDemoChainFile().txs[10]!;
    const tampered: EsploraTx = {
      ...tx,
      vout: tx.vout.map((o, i) => (i === 0 ? { ...o, value: o.value + 1 } : o)),
    };
    expect(() => new MemoryChain([{ tx: tampered }], { tipHeight: 1 })).toThrow(
      new RegExp(`tx ${tx.txid}: its JSON fields hash to [0-9a-f]{64}, not to the txid`),
    );
    const wrongHex = readDemoChainFile().txs[11]!.hex;
    expect(() => new MemoryChain([{ tx, hex: wrongHex }], { tipHeight: 1 })).toThrow(
      `tx ${tx.txid}: its hex hash to`,
    );
    const lax = new MemoryChain([{ tx: tampered, hex }], { tipHeight: 1, verifyHex: false });
    expect(lax.answer(`/tx/${tx.txid}/hex`).body).toBe(hex);
    expect((JSON.parse(lax.answer(`/tx/${tx.txid}`).body) as EsploraTx).vout[0]!.value).toBe(
      tx.vout[0]!.value + 1,
    );
  });

  it('the same txid twice keeps the first; a bad txid or tip is refused', () => {
    const { tx } = readDemoChainFile().txs[3]!;
    const twice = new MemoryChain([{ tx }, { tx: { ...tx, fee: 1 } }], { tipHeight: 1 });
    expect(twice.txids()).toEqual([tx.txid]);
    expect(twice.getTx(tx.txid)!.fee).toBe(tx.fee);
    expect(() => new MemoryChain([{ tx: { ...tx, txid: 'XYZ' } }], { tipHeight: 1 })).toThrow(
      'entry 0: txid must be',
    );
    expect(() => new MemoryChain([], { tipHeight: -1 })).toThrow(
      'tipHeight must be a non-negative integer, got -1',
    );
  });
});
