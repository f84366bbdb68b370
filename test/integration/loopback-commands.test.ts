// cluster, --stop-at coinjoin and --verify-txids over HTTP against the loopback explorer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { MemoryChain, type EsploraTx } from '../support/memory.js';
import { startEsploraServer, type EsploraServer } from '../support/esplora-server.js';
import { loadDemoChain, readDemoChainFile } from '../support/load-chain.js';
import { captureIO, DEMO_TAGS, SHOP_A } from '../cli/helpers.js';

const COINJOIN = 'e3eb40a49ec96ddda3fc8b668b824a1a7d11b4f70426f52cf9ab7626bf56e096';

async function run(argv: string[]) {
  const io = captureIO();
  const code = await main([...argv, '--no-cache'], io);
  return { code, out: io.out, err: io.err };
}

describe('over the loopback explorer', () => {
  let server: EsploraServer;
  beforeAll(async () => {
    server = await startEsploraServer(loadDemoChain(), { latencyMs: 2 });
  });
  afterAll(() => server.close());

  it('cluster: the shop is found through its consolidation; CoinJoin participants stay apart; limits report', async () => {
    const shop = await run(['cluster', SHOP_A, '--api-url', server.url, '--format', 'json']);
    expect(shop.code).toBe(0);
    const j = JSON.parse(shop.out) as { clusters: { id: string; size: number }[]; complete: boolean };
    expect(j.clusters).toEqual([{ id: '3Q1nY8fjcEp7Yi2TtrF97pQQffdmqfK4Lg', size: 5 }]);
    expect(j.complete).toBe(true);
    const mixer = await run([
      'cluster',
      'bc1qdc6thfpdlc8g6s9fye0wum477dl4z6zglcpzgv',
      '--api-url',
      server.url,
      '--format',
      'json',
    ]);
    const m = JSON.parse(mixer.out) as {
      clusters: { size: number }[];
      coinjoins_not_linked: { txid: string }[];
    };
    expect(m.clusters).toEqual([{ id: 'bc1qdc6thfpdlc8g6s9fye0wum477dl4z6zglcpzgv', size: 1 }]);
    expect(m.coinjoins_not_linked.map((c) => c.txid)).toEqual([COINJOIN]);
    const cut = await run(['cluster', SHOP_A, '--api-url', server.url, '--max-txs', '3', '--format', 'json']);
    expect(cut.code).toBe(1);
    expect((JSON.parse(cut.out) as { complete: boolean }).complete).toBe(false);
  });

  it('--stop-at coinjoin stops before the mix and says which detector fired', async () => {
    const r = await run([
      'trace',
      SHOP_A,
      '--api-url',
      server.url,
      '--tags',
      DEMO_TAGS,
      '--hops',
      '10',
      '--stop-at',
      'exchange,coinjoin',
      '--format',
      'json',
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    const rows = (
      JSON.parse(r.out) as {
        rows: { txid: string; status: string; note: string | null; spent_by: string | null }[];
      }
    ).rows;
    const premix = rows.find((x) => x.spent_by === COINJOIN)!;
    expect(premix.status).toBe('stopped');
    expect(premix.note).toBe(`spent in CoinJoin ${COINJOIN} (whirlpool:definite)`);
    expect(rows.some((x) => x.txid === COINJOIN)).toBe(false);
  });
});

describe('--verify-txids against a lying explorer', () => {
  let server: EsploraServer;
  let victim = '';
  beforeAll(async () => {
    // The explorer swaps the supplier's output script for an attacker's, keeping value and hex.
    const file = readDemoChainFile();
    const entries = file.txs.map((t) => ({ tx: structuredClone(t.tx), hex: t.hex }));
    const target = entries.find((e) => e.tx.vout.some((o) => o.scriptpubkey_type === 'v1_p2tr'))!;
    victim = target.tx.txid;
    const out = target.tx.vout.find((o: EsploraTx['vout'][number]) => o.scriptpubkey_type === 'v1_p2tr')!;
    const donor = entries.flatMap((e) => e.tx.vout).find((o) => o.scriptpubkey_type === 'v0_p2wpkh')!;
    Object.assign(out, {
      scriptpubkey: donor.scriptpubkey,
      scriptpubkey_asm: donor.scriptpubkey_asm,
      scriptpubkey_type: donor.scriptpubkey_type,
      scriptpubkey_address: donor.scriptpubkey_address,
    });
    server = await startEsploraServer(
      new MemoryChain(entries, { tipHeight: file.tip_height, verifyHex: false }),
    );
  });
  afterAll(() => server.close());

  it('the default txid check already refuses the forged answer; --verify-txids too', async () => {
    // The JSON no longer hashes to its txid: caught by the free check, no raw hex needed.
    const plain = await run(['tx', victim, '--api-url', server.url, '--format', 'json']);
    expect(plain.code).toBe(1);
    expect(plain.err).toContain(`transaction ${victim}: its fields hash to`);
    expect(plain.err.trim().split('\n')).toHaveLength(1);
    const checked = await run(['tx', victim, '--api-url', server.url, '--verify-txids']);
    expect(checked.code).toBe(1);
    expect(checked.err).toContain(`transaction ${victim}`);
    expect(checked.err.trim().split('\n')).toHaveLength(1);
  });
});
