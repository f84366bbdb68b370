// Issue 9 items 8 and 14, through the built CLI: tx and address take --format
// table|csv|json|jsonl and -o (format from the extension, `-o -` stdout, contradictions refused),
// write a manifest with -o, and carry tool version and time in their JSON; tx says in words which
// output each change heuristic names and why.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_DIR, runBin, SHOP_A } from '../cli/helpers.js';
import { removeScratchDirs, scratchDir } from '../support/scratch.js';

afterAll(removeScratchDirs);

const tmp = () => scratchDir('btctrace-ux8-');
const COINJOIN = 'e3eb40a49ec96ddda3fc8b668b824a1a7d11b4f70426f52cf9ab7626bf56e096';
const PEEL = '0d5d12795b1e97ad0db7457b8077cd1fc76abce0fa06f2eabf28814af73425e0';
const PAY = '08019024e954781d111a0a0f2e951fa047767cf85251a21abfd0a7d7ce81f832';
const TX = ['tx', COINJOIN, '--offline', DEMO_DIR];
const ADDRESS = ['address', SHOP_A, '--offline', DEMO_DIR];

describe('tx: formats, -o and manifest', () => {
  it('writes CSV from the .csv extension, one row per input then output, with a manifest', () => {
    const out = path.join(tmp(), 'tx.csv');
    const r = runBin([...TX, '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`wrote ${out} (manifest ${out}.manifest.json)`);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(
      'side,n,txid,address,value_sat,value_btc,script_type,prev_txid,prev_vout,spent_by,label,category,abuse,label_confidence,label_source,likely_change,note',
    );
    expect(lines).toHaveLength(11); // header + 5 inputs + 5 outputs
    expect(lines[2]).toBe(
      `input,1,${COINJOIN},bc1qen6ksdwvfeyjawfz4cqfj3h3wpukr0ufqlwkvn,5000310,0.05000310,v0_p2wpkh,88faa74d432125843581440fa7dc8e61e403b4dc27d634a77a96e81ef2b89d11,3,,,,,,,,`,
    );
    expect(lines[6]).toBe(
      `output,0,${COINJOIN},bc1qwd8g4jt8y9vppnp0tzn974xzcsunz9hxccz8ad,5000000,0.05000000,v0_p2wpkh,,,,,,,,,,unspent`,
    );
    const m = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')) as Record<string, unknown>;
    expect(m).toMatchObject({ tool: 'btctrace', tip_height: 850069, counts: { inputs: 5, outputs: 5 } });
    expect(typeof m.started_at).toBe('string');
    expect((m.files as { role: string }[])[0]!.role).toBe('output');
    expect(runBin(['verify', `${out}.manifest.json`]).code).toBe(0);
  });

  it('JSON carries meta (tool version, command, time, tip); JSONL is its head then one line per input and output', () => {
    const j = JSON.parse(runBin([...TX, '--format', 'json']).stdout) as {
      meta: Record<string, unknown>;
      inputs: unknown[];
    };
    expect(j.meta).toMatchObject({ tool: 'btctrace', version: '0.1.0', tip_height: 850069, partial: false });
    expect(j.meta.command).toEqual([...TX, '--format', 'json']);
    expect(j.meta.started_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(j.inputs).toHaveLength(5);
    const lines = runBin([...TX, '-o', '-', '--format', 'jsonl'])
      .stdout.trimEnd()
      .split('\n');
    expect(lines).toHaveLength(11); // head + 5 + 5
    const head = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(head.txid).toBe(COINJOIN);
    expect(head.inputs).toBeUndefined();
    expect(JSON.parse(lines[10]!)).toMatchObject({ side: 'output', vout: 4, value_sat: 5000000 });
  });

  it('-o - prints to stdout and writes no file named "-"; a contradicting --format is exit 2', () => {
    const dir = tmp();
    const r = runBin([...TX, '-o', '-', '--format', 'csv'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('side,n,txid,')).toBe(true);
    expect(existsSync(path.join(dir, '-'))).toBe(false);
    const bad = runBin([...TX, '--format', 'table', '-o', path.join(dir, 'tx.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format table contradicts the output file .*tx\.json/);
    expect(existsSync(path.join(dir, 'tx.json'))).toBe(false);
  });
});

describe('address: formats, -o and manifest', () => {
  it('CSV is a header and one row; JSON has meta; JSONL is one line; .json from the extension', () => {
    const dir = tmp();
    const csv = path.join(dir, 'a.csv');
    expect(runBin([...ADDRESS, '-o', csv]).code).toBe(0);
    const [header, row, extra] = readFileSync(csv, 'utf8').split('\n');
    expect(header!.split(',').slice(0, 5)).toEqual([
      'address',
      'type',
      'balance_sat',
      'balance_btc',
      'confirmed_balance_sat',
    ]);
    expect(row!.split(',').slice(0, 9)).toEqual([
      SHOP_A,
      'p2wpkh',
      '14000000',
      '0.14000000',
      '14000000',
      '122100000',
      '108100000',
      '7',
      '0',
    ]);
    expect(extra).toBe('');
    expect(existsSync(`${csv}.manifest.json`)).toBe(true);
    const json = path.join(dir, 'a.json');
    expect(runBin([...ADDRESS, '-o', json]).code).toBe(0);
    const j = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown>;
    expect(j.meta).toMatchObject({ tool: 'btctrace', version: '0.1.0', tip_height: 850069 });
    expect(j.balance_sat).toBe(14000000);
    const jl = runBin([...ADDRESS, '--format', 'jsonl']).stdout;
    expect(jl.trimEnd().split('\n')).toHaveLength(1);
    expect((JSON.parse(jl) as { received_sat: number }).received_sat).toBe(122100000);
    const bad = runBin([...ADDRESS, '--format', 'csv', '-o', path.join(dir, 'b.jsonl')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('contradicts the output file');
  });
});

describe('tx: change findings in words (item 14)', () => {
  it('names the output each heuristic calls change, and why; says "cannot tell" or "no finding" otherwise', () => {
    const r = runBin(['tx', PAY, '--offline', DEMO_DIR]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('change (each heuristic is evidence to weigh, not proof):');
    expect(r.stdout).toContain(
      "address-type: names output 0 (0.05999340 BTC to 3GoRGgqMfFXyoKvTz7assvN26JwGzd5Amu) as change: it is the only output that has the inputs' script type (p2sh)",
    );
    expect(r.stdout).toContain(
      'round-number: names output 0 (0.05999340 BTC to 3GoRGgqMfFXyoKvTz7assvN26JwGzd5Amu) as change: it is the only output that is not a round amount',
    );
    expect(r.stdout).toContain(
      'optimal-change: cannot tell between outputs 0 and 1: each of them is smaller than every input (smallest input 0.20000000 BTC)',
    );
    expect(r.stdout).toContain('address-reuse: no finding: no output pays an input address');
    const peel = runBin(['tx', PEEL, '--offline', DEMO_DIR, '--format', 'json']);
    const j = JSON.parse(peel.stdout) as {
      change_heuristics: { name: string; change_vout: number | null; reason: string }[];
    };
    const reuse = j.change_heuristics.find((h) => h.name === 'address-reuse')!;
    expect(reuse.change_vout).toBe(1);
    expect(reuse.reason).toContain(
      'names output 1 (1.07272364 BTC to bc1qdghlu0jkyuxtrhxd45arnwe5y3twgxt7m06c3h)',
    );
    expect(j.change_heuristics.find((h) => h.name === 'round-number')!.change_vout).toBeNull();
  });

  it('a heuristic that lacks data says what it needed in words, never an internal name', () => {
    const r = runBin(['tx', PAY, '--offline', DEMO_DIR, '--change-heuristics', 'fresh-address']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/fresh-address: /);
    expect(r.stdout).not.toMatch(/isFreshAddress|spenderOf|getTx/);
  });
});
