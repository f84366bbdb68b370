// Boundaries of seed input that had no test: base58 addresses of the other network (each is a
// valid address there, so the refusal is about the network, not the checksum), and `txid:` with
// an empty output index. Through the CLI both are bad input: one line, exit 2, no request.
import { describe, expect, it } from 'vitest';
import { checkAddress } from '../../src/model/address.js';
import { InputError } from '../../src/model/errors.js';
import { parseSeed } from '../../src/model/seed.js';
import { main } from '../../src/cli/main.js';
import { captureIO, DEMO_DIR } from '../cli/helpers.js';

const TESTNET_P2PKH_M = 'mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn';
const TESTNET_P2PKH_N = 'n3GNqMveyvaPvUbH469vDRadqpJMPc84JA';
const TESTNET_P2SH = '2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc';
const MAINNET_P2PKH = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa';
const MAINNET_P2SH = '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy';
const TXID = '6a682812860066167e7e97724f7a7a200689ea89fe62212c11adff063d3cd5c1';

async function cli(args: string[]) {
  const io = captureIO();
  const code = await main(['trace', ...args, '--offline', DEMO_DIR], io);
  return { code, err: io.err, out: io.out };
}

describe('wrong-network base58 addresses', () => {
  it('testnet m…/n…/2… are valid on testnet and signet, refused on mainnet naming the network', () => {
    for (const [a, type] of [
      [TESTNET_P2PKH_M, 'p2pkh'],
      [TESTNET_P2PKH_N, 'p2pkh'],
      [TESTNET_P2SH, 'p2sh'],
    ] as const) {
      expect(checkAddress(a, 'testnet')).toBe(type);
      expect(checkAddress(a, 'signet')).toBe(type);
      expect(() => checkAddress(a, 'mainnet')).toThrow(InputError);
      expect(() => checkAddress(a, 'mainnet')).toThrow(`${a}: a testnet address, but the network is mainnet`);
    }
  });

  it('mainnet 1…/3… are valid on mainnet, refused on testnet and signet', () => {
    for (const [a, type] of [
      [MAINNET_P2PKH, 'p2pkh'],
      [MAINNET_P2SH, 'p2sh'],
    ] as const) {
      expect(checkAddress(a, 'mainnet')).toBe(type);
      for (const net of ['testnet', 'signet'] as const) {
        expect(() => checkAddress(a, net)).toThrow(`${a}: a mainnet address, but the network is ${net}`);
      }
    }
  });

  it('the CLI exits 2 with one line for each, before any request', async () => {
    for (const [a, net] of [
      [TESTNET_P2PKH_M, 'mainnet'],
      [TESTNET_P2SH, 'mainnet'],
      [MAINNET_P2PKH, 'testnet'],
      [MAINNET_P2SH, 'testnet'],
    ] as const) {
      const r = await cli([a, '--network', net]);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain(`${a}: a ${net === 'mainnet' ? 'testnet' : 'mainnet'} address`);
    }
  });
});

describe('txid:vout outpoints', () => {
  it('an empty output index is refused; 0 is the boundary that works', async () => {
    expect(() => parseSeed(`${TXID}:`, 'mainnet')).toThrow(
      `${TXID}:: not an outpoint (the output index must be a whole number)`,
    );
    expect(parseSeed(`${TXID}:0`, 'mainnet')).toEqual({
      kind: 'outpoint',
      txid: TXID,
      vout: 0,
      input: `${TXID}:0`,
    });
    const r = await cli([`${TXID}:`]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});
