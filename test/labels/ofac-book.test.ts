// The bundled OFAC book checks only the lines a lookup hits (books.ts); its answers must be those
// of the whole list checked line by line (readPlainList), for every address in it, in any case.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLED_OFAC_NAME, bundledOfacBook, bundledOfacFile } from '../../src/labels/books.js';
import type { LabelBook } from '../../src/labels/label.js';
import { readPlainList } from '../../src/labels/plain-list.js';
import { normalizeAddress } from '../../src/model/address.js';

const work = mkdtempSync(path.join(tmpdir(), 'btctrace-ofac-book-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** address -> how many labels the whole list gives it (one per valid line naming it). */
function wholeList(file: string): Map<string, number> {
  const list = readPlainList(readFileSync(file, 'utf8'), file, BUNDLED_OFAC_NAME, {});
  const n = new Map<string, number>();
  for (const l of list.labels) n.set(l.address, (n.get(l.address) ?? 0) + 1);
  return n;
}

function labelCount(book: LabelBook, address: string): number {
  return book.lookup([address]).get(address)?.length ?? 0;
}

describe('bundled OFAC book, looked up line by line', () => {
  it('every address of the bundled list, one at a time and all at once, as the whole list gives it', () => {
    const file = bundledOfacFile();
    const want = wholeList(file);
    expect(want.size).toBe(434);
    const book = bundledOfacBook(file);
    for (const [a, n] of want) {
      expect(labelCount(book, a)).toBe(n);
      expect(book.lookup([a]).get(a)![0]).toMatchObject({
        label: 'OFAC SDN',
        abuse: 'sanction',
        list: BUNDLED_OFAC_NAME,
      });
    }
    const all = bundledOfacBook(file).lookup([...want.keys()]);
    expect(all.size).toBe(434);
    expect(book.lookup(['1BoatSLRHtKNngkdXEeobR76b53LETtpyT', 'not-an-address']).size).toBe(0);
  });

  it('a list with duplicates, upper-case bech32, bad lines, comments and blanks', () => {
    const seg = 'bc1qq2euq8pw950klpjcawuy4uj39ym43hs6cfsegq';
    const legacy = '16ZSAEfYpPCj3D94fsNt2okYj9Ue8mxy6T';
    const file = path.join(work, 'sanctioned_addresses_XBT-2030-01-02.txt');
    const lines = [
      '# a comment',
      '',
      seg.toUpperCase(),
      `  ${legacy}  `,
      legacy,
      'not an address',
      '1'.repeat(30),
      seg,
    ];
    writeFileSync(file, lines.join('\n') + '\n');
    const want = wholeList(file);
    expect([...want]).toEqual([
      [seg, 2],
      [legacy, 2],
    ]);
    const book = bundledOfacBook(file);
    expect(labelCount(book, seg)).toBe(2);
    expect(labelCount(book, normalizeAddress(seg.toUpperCase()))).toBe(2);
    expect(labelCount(book, legacy)).toBe(2);
    // a bad line is skipped as readPlainList skips it, whether or not a lookup hits its text
    expect(labelCount(book, '1'.repeat(30))).toBe(0);
    expect(book.lookup([seg, seg, legacy]).get(seg)).toHaveLength(2);
    expect(book.lists()).toEqual([{ name: BUNDLED_OFAC_NAME, date: '2030-01-02', labels: 4 }]);
  });
});
