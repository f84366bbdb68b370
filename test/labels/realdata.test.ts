// The real collection in ../shared/realdata: GraphSense's TagPacks and OFAC's XBT list (skipped
// with a message when absent). Counts were checked by an independent PyYAML count of the same
// files (BTC address tags, header fields inherited): 491,262 BTC address tags, of which 10 fail
// address validation, over 482,347 distinct valid addresses; 3,813 actors.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectFiles, readLabelFile } from '../../src/labels/import-files.js';
import type { BadTag } from '../../src/labels/record.js';
import { LabelStore } from '../../src/labels/store.js';
import { storeStats } from '../../src/labels/store-query.js';
import { REPO } from '../cli/helpers.js';

const REAL = path.resolve(REPO, '..', 'shared', 'realdata');
const TAGPACKS = path.join(REAL, 'tagpacks');
const OFAC = path.join(REAL, 'ofac', 'sanctioned_addresses_XBT.txt');
const work = mkdtempSync(path.join(tmpdir(), 'btctrace-labels-real-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const NOW = new Date('2026-01-01T00:00:00Z');

if (!existsSync(TAGPACKS)) console.warn(`labels realdata: skipped, ${TAGPACKS} is absent`);
if (!existsSync(OFAC)) console.warn(`labels realdata: skipped, ${OFAC} is absent`);

describe.skipIf(!existsSync(TAGPACKS))('the real TagPack collection', () => {
  let store: LabelStore;
  const bad: BadTag[] = [];
  let files = 0;
  beforeAll(() => {
    store = LabelStore.open(path.join(work, 'tagpacks.sqlite'), { create: true });
    for (const f of collectFiles([TAGPACKS])) {
      const r = readLabelFile(f.file, {}, f.fromDirectory);
      if (!('labels' in r)) throw new Error(`${r.file}: ${r.reason}`);
      store.importList(r, NOW);
      bad.push(...r.bad);
      files++;
    }
  }, 600_000);
  afterAll(() => store?.close());

  it('imports 491,252 BTC labels of 482,347 addresses and 3,813 actors from 85 files', () => {
    const s = storeStats(store);
    expect(files).toBe(85);
    expect([s.labels, s.addresses, s.actors]).toEqual([491_252, 482_347, 3_813]);
    expect(s.lists.find((l) => l.name === 'walletexplorer.yaml')).toMatchObject({
      kind: 'tagpack',
      date: '2021-11-11',
    });
  });

  it('reports the 10 bad tags with file and line', () => {
    expect(bad).toHaveLength(10);
    const at = bad.map((b) => `${path.basename(b.file)}:${b.line}`);
    expect(at).toEqual([
      'etherscamdb_tagpack.yaml:15521',
      'ofac.yaml:1069',
      'plustoken.yaml:11',
      'plustoken.yaml:31',
      'sextortion_excello.yaml:2867',
      'sextortion_excello.yaml:6485',
      'sextortion_excello.yaml:10617',
      'sextortion_excello.yaml:12935',
      'sextortion_excello.yaml:20861',
      'sextortion_excello.yaml:20871',
    ]);
    expect(bad[1]!.reason).toBe(
      'TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq: not a Bitcoin address (unknown version byte 65)',
    );
  });

  it('importing a pack again changes nothing', () => {
    const file = path.join(TAGPACKS, 'packs', 'ransomware.yaml');
    const before = storeStats(store);
    const r = readLabelFile(file, {}, false);
    if (!('labels' in r)) throw new Error(r.reason);
    const out = store.importList(r, NOW);
    expect(out.replaced).toBe(out.labels);
    expect(storeStats(store)).toEqual(before);
  });

  it('labels come back for a real exchange address with its actor', () => {
    const m = store.lookup(['1NDyJtNTjmwk5xPNhjgAMu4HDHigtobu1s']);
    expect(m.get('1NDyJtNTjmwk5xPNhjgAMu4HDHigtobu1s')).toContainEqual(
      expect.objectContaining({
        label: 'binance.com',
        category: 'exchange',
        list: 'binance.yaml',
        actorName: 'Binance',
        definesCluster: true,
      }),
    );
  });
});

describe.skipIf(!existsSync(OFAC))('the real OFAC XBT list', () => {
  it('434 sanctioned addresses; the Tron address on line 355 is a bad tag', () => {
    const r = readLabelFile(OFAC, {}, false);
    if (!('labels' in r)) throw new Error(r.reason);
    expect([r.kind, r.name, r.labels.length]).toEqual(['ofac', 'ofac-sdn', 434]);
    expect(r.bad).toEqual([
      {
        file: OFAC,
        line: 355,
        reason: expect.stringMatching(/^TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq: /) as string,
      },
    ]);
    const s = LabelStore.open(path.join(work, 'ofac.sqlite'), { create: true });
    s.importList(r, NOW);
    expect(s.lookup(['16ZSAEfYpPCj3D94fsNt2okYj9Ue8mxy6T', '3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1']).size).toBe(
      2,
    );
    s.close();
  });
});
