// A hostile explorer for the trust tests: the demo recording (fixtures/demo) served over loopback
// HTTP by the ordinary test server, with one answer rewritten by a tamper function. The demo's
// own CASE.md figures are what an honest explorer gives; every test here changes one field.
import type { Answer, EsploraTx, MemoryChain } from '../support/memory.js';
import { startEsploraServer, type EsploraServer } from '../support/esplora-server.js';
import { loadDemoChain } from '../support/load-chain.js';
import { captureIO, DEMO_TAGS, SHOP_A } from '../cli/helpers.js';
import { main } from '../../src/cli/main.js';

/** Demo transactions the tests tamper with (see the demo trace, fixtures/demo/CASE.md). */
export const CONSOLIDATION = 'bb1b8f8f9efc9e1ebb1582427938a9dcfdc32322ce424d91518bfbce23d02e31';
/** Spends CONSOLIDATION:0 (81,497,878 tainted sat under haircut): ExchangeX deposit + change. */
export const PEEL1 = 'fe448c46dc81fe53e35e356e4b1298203bd68c4e4d0b9f0b536f3615107f1df9';
/** Spends PEEL1:1 (68,789,617 tainted sat): peel to LuckyDice (vout 1) + change. */
export const PEEL2 = 'e9bd7078cf6dfe80b00eab8fb713e29fac0a000e3f41be1ebf8faa475206f200';
/** The operator's 2-in/3-out spend of a ShopA payment; it does not spend CONSOLIDATION:0. */
export const OPERATOR = '67ce07d13c38188af7ad23478417c2239ac600c809efd6ed16f85b80118cbdd7';
export const EXCHANGE_X = '3DcAsiagxGibYHvtvXZLCxtCPQcA8B73u1';

/** Rewrites one answer (parsed JSON in, JSON out); return undefined to leave it as it is. */
export type Tamper = (path: string, json: unknown) => unknown;

export async function hostileServer(tamper: Tamper): Promise<EsploraServer> {
  const chain = loadDemoChain();
  const hostile = {
    answer(path: string): Answer {
      const a = chain.answer(path);
      if (a.status !== 200 || !a.contentType.startsWith('application/json')) return a;
      const changed = tamper(path.split('?')[0]!, JSON.parse(a.body));
      return changed === undefined ? a : { ...a, body: JSON.stringify(changed) };
    },
  };
  return startEsploraServer(hostile as unknown as MemoryChain);
}

/** A tamper of one transaction's JSON wherever it is served (GET /tx/:txid and history pages). */
export function tamperTx(txid: string, edit: (tx: EsploraTx) => void): Tamper {
  return (path, json) => {
    if (path === `/tx/${txid}`) {
      edit(json as EsploraTx);
      return json;
    }
    if (path.startsWith('/address/') && Array.isArray(json)) {
      const list = json as EsploraTx[];
      for (const tx of list) if (tx.txid === txid) edit(tx);
      return list;
    }
    return undefined;
  };
}

export interface Run {
  code: number;
  out: string;
  err: string;
}

export async function run(argv: string[]): Promise<Run> {
  const io = captureIO();
  const code = await main([...argv, '--no-cache', '--quiet'], io);
  return { code, out: io.out, err: io.err };
}

/** The demo trace (haircut, --hops 10) through a server, as JSON. */
export async function demoTrace(url: string, extra: string[] = []): Promise<Run> {
  return run([
    'trace',
    SHOP_A,
    '--tags',
    DEMO_TAGS,
    '--hops',
    '10',
    '--format',
    'json',
    '--api-url',
    url,
    ...extra,
  ]);
}

export interface JsonRow {
  hop: number;
  txid: string;
  vout: number;
  address: string | null;
  tainted_sat: number;
  status: string;
  label: string | null;
  note: string | null;
}

export function rowsOf(r: Run): JsonRow[] {
  return (JSON.parse(r.out) as { rows: JsonRow[] }).rows;
}
