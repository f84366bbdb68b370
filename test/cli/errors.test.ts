// Bad input: exit code 2 and one line that names the value; never a stack trace.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIO, DEMO_DIR, runBin, SHOP_A } from './helpers.js';

const TXID = '943f2d57f8c8f2e5a5e4c2f0d6e6b3d6b0b6d8e4c1a5f2b9e7d3c6a1b8f4e2d7';

const cases: [string, string[], RegExp][] = [
  [
    'bad checksum',
    ['trace', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5'],
    /bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5: not a valid Bitcoin address \(bad bech32 checksum\)/,
  ],
  [
    'other network',
    ['trace', 'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx'],
    /a testnet address, but the network is mainnet/,
  ],
  ['not anything', ['trace', 'hello'], /hello: not a Bitcoin address, txid or txid:vout outpoint/],
  ['short txid', ['trace', TXID.slice(1)], /63 hex characters; a txid has 64/],
  ['bad outpoint', ['trace', `${TXID}:-1`], /output index must be a whole number/],
  ['bad hops', ['trace', SHOP_A, '--hops', 'three'], /--hops three: not a whole number/],
  [
    'bad model',
    ['trace', SHOP_A, '--model', 'lifo2'],
    /--model lifo2: must be one of poison, haircut, fifo, lifo, tiho/,
  ],
  [
    'bad direction',
    ['trace', SHOP_A, '--direction', 'up'],
    /--direction up: must be one of forward, backward/,
  ],
  ['bad format', ['trace', SHOP_A, '--format', 'xml'], /--format xml: must be one of table, csv, json/],
  [
    'bad network',
    ['trace', SHOP_A, '--network', 'regtest'],
    /--network regtest: must be one of mainnet, testnet, signet/,
  ],
  ['bad url', ['trace', SHOP_A, '--api-url', 'mempool.space'], /--api-url mempool.space: not a URL/],
  [
    'missing offline dir',
    ['trace', SHOP_A, '--offline', '/nonexistent/rec'],
    /--offline \/nonexistent\/rec: no such directory/,
  ],
  [
    'missing tags file',
    ['trace', SHOP_A, '--offline', DEMO_DIR, '--tags', '/nonexistent/tags.csv'],
    /\/nonexistent\/tags.csv: cannot read the tags file \(ENOENT\)/,
  ],
  [
    'unwritable output',
    ['trace', SHOP_A, '--offline', DEMO_DIR, '-o', '/nonexistent/dir/out.csv'],
    /--output \/nonexistent\/dir\/out.csv: cannot write there/,
  ],
  ['bad stop-at', ['trace', SHOP_A, '--stop-at', 'none,exchange'], /"none" cannot be combined/],
];

describe('bad input', () => {
  it.each(cases)('%s -> exit 2, one line', async (_name, argv, why) => {
    const io = captureIO();
    const code = await main(argv, io);
    expect(code).toBe(2);
    expect(io.err).toMatch(why);
    expect(io.err.trim().split('\n')).toHaveLength(1);
    expect(io.err).not.toMatch(/\n\s+at /); // no stack trace
    expect(io.out).toBe('');
  });

  it('a txid missing from an offline recording is a data failure (exit 1) naming the file', async () => {
    const io = captureIO();
    expect(await main(['trace', '00'.repeat(32), '--offline', DEMO_DIR], io)).toBe(1);
    expect(io.err).toMatch(/not in the recording: tx_0{64}\.json/);
    expect(io.err).not.toMatch(/\n\s+at /);
  });

  it('unknown options and commands are usage errors (exit 2)', async () => {
    const io = captureIO();
    expect(await main(['trace', SHOP_A, '--hopz', '2'], io)).toBe(2);
    expect(io.err).toMatch(/unknown option '--hopz'/);
    expect(await main(['tracee'], captureIO())).toBe(2);
  });

  it('the built binary says the same and exits 2', () => {
    const r = runBin(['trace', 'bc1qnotanaddress']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'btctrace: bc1qnotanaddress: not a valid Bitcoin address (bad bech32 checksum)',
    );
  });

  it('--version prints the package version', () => {
    const r = runBin(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('a dead explorer', () => {
  it('ends with exit 1 and one line naming the explorer and what failed', async () => {
    const { runTraceCommand } = await import('../../src/cli/trace.js');
    const { createSource } = await import('../../src/sources/index.js');
    const { exitCodeFor } = await import('../../src/cli/main.js');
    const dead = 'http://127.0.0.1:9/api'; // discard port: connection refused
    // the default schedule gives up after ~11 s here; the same path with a short backoff:
    const failure = await runTraceCommand(
      [SHOP_A],
      { apiUrl: dead, cache: false, quiet: true },
      captureIO(),
      [],
      (req) => createSource({ ...req, baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 2 }),
    ).catch((e: unknown) => e);
    const io = captureIO();
    expect(exitCodeFor(failure, io)).toBe(1);
    expect(io.err).toMatch(
      /^btctrace: nothing traced: seed bc1q\S+ could not be read: http:\/\/127\.0\.0\.1:9\/api: \/address\/\S+\/txs: gave up after 2 attempts: ECONNREFUSED/,
    );
    expect(io.err.trim().split('\n')).toHaveLength(1);
  });
});
