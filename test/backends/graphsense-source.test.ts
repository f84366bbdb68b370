// GraphSenseSource against GraphSense REST shapes (nock): normalisation, paging bounds, and
// answers that must be refused.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IntegrityError, NotFoundError } from '../../src/sources/errors.js';
import { GraphSenseSource, MAX_HISTORY_PAGES } from '../../src/sources/graphsense/index.js';
import { scriptOfAddress } from '../../src/sources/graphsense/parse.js';
import { HttpTransport } from '../../src/sources/http.js';
import { EsploraSource } from '../../src/sources/esplora.js';
import { DirectoryTransport } from '../../src/sources/directory.js';
import { DEMO_DIR } from '../support/load-chain.js';
import { GraphSenseChain, gsKind } from '../support/graphsense-chain.js';
import { virtualClock } from '../sources/helpers.js';

const BASE = 'https://graphsense.test';
const EXCHANGE_Z = 'bc1qdghlu0jkyuxtrhxd45arnwe5y3twgxt7m06c3h'; // 31 transactions
const OP_RETURN_TX = '3b1f5037671276f9895f3bee06bdc0842d365229af03d1244035c6cf6df2fc6b';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

function source(answer: (uri: string) => { status: number; body: string }) {
  const paths: string[] = [];
  nock(BASE)
    .persist()
    .get(/.*/)
    .reply((uri) => {
      paths.push(uri);
      const a = answer(uri);
      return [a.status, a.body, { 'Content-Type': 'application/json' }];
    });
  const clock = virtualClock();
  const t = new HttpTransport({
    baseUrl: BASE,
    sleep: clock.sleep,
    now: clock.now,
    random: () => 0.5,
    maxAttempts: 2,
  });
  return { src: new GraphSenseSource(t), paths };
}

const esplora = () => new EsploraSource(new DirectoryTransport(DEMO_DIR));

describe('GraphSense transactions', () => {
  it('normalises to what Esplora says, but for the fields GraphSense lacks', async () => {
    const chain = new GraphSenseChain();
    const { src, paths } = source((u) => chain.answer(u));
    const gs = await src.getTx(OP_RETURN_TX);
    const es = await esplora().getTx(OP_RETURN_TX);
    expect(paths.map(gsKind).sort()).toEqual(['spending', 'tx']);
    expect(gs.fee).toBe(es.fee);
    expect(gs.status).toEqual({ ...es.status, hash: null });
    expect(gs.vin.map((i) => [i.txid, i.vout, i.prevout])).toEqual(
      es.vin.map((i) => [i.txid, i.vout, i.prevout]),
    );
    // The OP_RETURN output: no address, no script, type unknown (GraphSense gives address: []).
    const k = es.vout.findIndex((o) => o.scriptType === 'op_return');
    expect(k).toBeGreaterThanOrEqual(0);
    expect(gs.vout[k]).toEqual({
      value: es.vout[k]!.value,
      script: '',
      scriptType: 'unknown',
      address: null,
    });
    gs.vout.forEach((o, j) => {
      if (j !== k) expect(o).toEqual(es.vout[j]);
    });
  });

  it('outspends from /spent_in, one entry per output', async () => {
    const chain = new GraphSenseChain();
    const { src } = source((u) => chain.answer(u));
    const es = await esplora().getOutspends(OP_RETURN_TX);
    const gs = await src.getOutspends(OP_RETURN_TX);
    expect(gs.map((o) => [o.spent, o.txid, o.vin])).toEqual(es.map((o) => [o.spent, o.txid, o.vin]));
  });

  it('scripts rebuilt from every address type', () => {
    expect(scriptOfAddress('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2')).toBe(
      '76a91477bff20c60e522dfaa3350c39b030a5d004e839a88ac',
    );
    expect(scriptOfAddress('3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy')).toBe(
      'a914b472a266d0bd89c13706a4132ccfb16f7c3b9fcb87',
    );
    expect(scriptOfAddress('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4')).toBe(
      '0014751e76e8199196d454941c45d1b3a323f1433bd6',
    );
    expect(scriptOfAddress('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0')).toBe(
      '512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798',
    );
    expect(scriptOfAddress('not-an-address')).toBeNull();
  });

  const body = (patch: (b: Record<string, unknown>) => void) => {
    const chain = new GraphSenseChain();
    return (u: string) => {
      const a = chain.answer(u);
      if (gsKind(u) !== 'tx') return a;
      const b = JSON.parse(a.body) as Record<string, unknown>;
      patch(b);
      return { status: 200, body: JSON.stringify(b) };
    };
  };
  const refused: [string, (b: Record<string, unknown>) => void, RegExp][] = [
    ['a missing output position', (b) => (b.outputs as unknown[]).splice(1, 1), /positions are not 0\.\./],
    ['another transaction', (b) => (b.tx_hash = 'ab'.repeat(32)), /GraphSense answered abab/],
    [
      'total_output off by one',
      (b) => ((b.total_output as { value: number }).value += 1),
      /total_output is not the sum/,
    ],
  ];
  for (const [what, patch, message] of refused) {
    it(`refuses ${what}`, async () => {
      const { src } = source(body(patch));
      const e = await src.getTx(OP_RETURN_TX).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(IntegrityError);
      expect((e as Error).message).toMatch(message);
    });
  }

  it('refuses an input without its spent outpoint, and a spent_in entry past the last output', async () => {
    const chain = new GraphSenseChain();
    const { src } = source((u) => {
      const a = chain.answer(u);
      if (gsKind(u) === 'spending') return { status: 200, body: '[]' };
      if (gsKind(u) === 'spent_in')
        return {
          status: 200,
          body: JSON.stringify([{ input_index: 0, output_index: 9, tx_hash: 'cd'.repeat(32) }]),
        };
      return a;
    });
    await expect(src.getTx(OP_RETURN_TX)).rejects.toThrow(/input 0 has no spent outpoint/);
    await expect(src.getOutspends(OP_RETURN_TX)).rejects.toThrow(/output 9 is listed, but .* has 3 outputs/);
  });
});

describe('GraphSense address histories (pages of next_page tokens)', () => {
  it('31 transactions in pages of 10: 4 pages, newest first, complete', async () => {
    const chain = new GraphSenseChain(undefined, 10);
    const { src, paths } = source((u) => chain.answer(u));
    const h = await src.getAddressHistory(EXCHANGE_Z, 1000);
    const es = await esplora().getAddressHistory(EXCHANGE_Z, 1000);
    expect(h.complete).toBe(true);
    expect(h.txs.map((t) => t.txid)).toEqual(es.txs.map((t) => t.txid));
    expect(paths.filter((p) => gsKind(p) === 'address_txs')).toHaveLength(4);
    expect(paths.filter((p) => gsKind(p) === 'tx')).toHaveLength(31);
  });

  for (const [maxTxs, complete, pages] of [
    [31, true, 4],
    [30, false, 3],
    [11, false, 2],
    [10, false, 1],
  ] as const) {
    it(`maxTxs ${maxTxs} of 31: ${complete ? 'complete' : 'cut'}, ${pages} page(s)`, async () => {
      const chain = new GraphSenseChain(undefined, 10);
      const { src, paths } = source((u) => chain.answer(u));
      const h = await src.getAddressHistory(EXCHANGE_Z, maxTxs);
      expect(h.complete).toBe(complete);
      expect(h.txs).toHaveLength(Math.min(maxTxs, 31));
      expect(paths.filter((p) => gsKind(p) === 'address_txs')).toHaveLength(pages);
    });
  }

  it('a token handed out twice ends the paging as incomplete', async () => {
    const chain = new GraphSenseChain(undefined, 10);
    const { src, paths } = source((u) => {
      const a = chain.answer(u);
      if (gsKind(u) !== 'address_txs') return a;
      const b = JSON.parse(a.body) as { next_page?: string };
      if (b.next_page) b.next_page = 'p10';
      return { status: 200, body: JSON.stringify(b) };
    });
    const h = await src.getAddressHistory(EXCHANGE_Z, 1000);
    expect(h.complete).toBe(false);
    expect(h.txs).toHaveLength(20);
    expect(paths.filter((p) => gsKind(p) === 'address_txs')).toHaveLength(2);
    expect(MAX_HISTORY_PAGES).toBe(1000);
  });

  it('an address GraphSense does not know (404) has an empty history', async () => {
    const { src } = source(() => ({ status: 404, body: '{"detail":"not found"}' }));
    expect(await src.getAddressHistory('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 10)).toEqual({
      txs: [],
      complete: true,
    });
    await expect(src.getTx(OP_RETURN_TX)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('the tip is /stats no_blocks - 1', async () => {
    const chain = new GraphSenseChain();
    const { src } = source((u) => chain.answer(u));
    expect(await src.getTipHeight()).toBe(850069);
  });
});
