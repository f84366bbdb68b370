// --provider graphsense against the demo chain served in GraphSense REST shapes (nock, no
// network): the trace CSV is byte for byte the Esplora offline run's; call counts per endpoint.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIO, DEMO_DIR, DEMO_TAGS, SHOP_A } from '../cli/helpers.js';
import { GraphSenseChain, gsKind, type GsKind } from '../support/graphsense-chain.js';

const BASE = 'https://graphsense.test';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

function serve(chain: GraphSenseChain) {
  const calls: Record<GsKind, number> = {
    tx: 0,
    spending: 0,
    spent_in: 0,
    address_txs: 0,
    stats: 0,
    other: 0,
  };
  const auth: (string | undefined)[] = [];
  nock(BASE)
    .persist()
    .get(/.*/)
    .reply(function (uri) {
      calls[gsKind(uri)]++;
      auth.push(this.req.headers.authorization);
      const a = chain.answer(uri);
      return [a.status, a.body, { 'Content-Type': 'application/json' }];
    });
  return { calls, auth };
}

async function run(args: string[], env: Record<string, string> = {}) {
  const io = captureIO(env);
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

const TRACE = ['trace', SHOP_A, '--tags', DEMO_TAGS, '--hops', '6', '--format', 'csv', '--no-cache', '-q'];

describe('trace --provider graphsense', () => {
  for (const model of ['haircut', 'fifo', 'poison', 'lifo', 'tiho']) {
    it(`${model}: the CSV is the Esplora offline run's, byte for byte`, async () => {
      const esplora = await run([...TRACE, '--model', model, '--offline', DEMO_DIR]);
      expect(esplora.code).toBe(0);
      const { calls } = serve(new GraphSenseChain());
      const gs = await run([...TRACE, '--model', model, '--provider', 'graphsense', '--api-url', BASE]);
      expect(gs.err).toBe('');
      expect(gs.code).toBe(0);
      expect(gs.out).toBe(esplora.out);
      expect(calls.other).toBe(0);
    });
  }
});
