// A plain list, one address per line (# comments and blank lines ignored), labelled as a whole
// with --label/--category/--abuse. OFAC's XBT list in this form (sanctioned_addresses_XBT*.txt,
// as published by github.com/0xB10C/ofac-sanctioned-digital-currency-addresses) needs no
// options: it is labelled as sanctioned by OFAC and supersedes the bundled snapshot.
import path from 'node:path';
import { InputError } from '../model/errors.js';
import { labelAddress } from './label-address.js';
import { emptyList, type ImportedList } from './record.js';
import { CONFIDENCE_LEVELS } from './taxonomy.js';

export interface PlainListOptions {
  label?: string;
  category?: string;
  abuse?: string;
  confidence?: number | null;
}

export const OFAC_LIST_FILE = /^sanctioned_addresses_XBT/i;
export const OFAC_LABEL = 'OFAC SDN';

/** True when every line that is not blank or a comment is one token (no commas, no spaces). */
export function looksLikePlainList(source: string): boolean {
  const lines = source
    .split('\n', 50)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  return lines.length > 0 && lines.every((l) => /^[A-Za-z0-9]{14,100}$/.test(l));
}

/** yyyy-mm-dd written in a file name (sanctioned_addresses_XBT-2024-09-27.txt), or null. */
export function dateInName(file: string): string | null {
  return /(\d{4}-\d{2}-\d{2})/.exec(path.basename(file))?.[1] ?? null;
}

export function readPlainList(source: string, file: string, name: string, o: PlainListOptions): ImportedList {
  const ofac = OFAC_LIST_FILE.test(path.basename(file)) && o.label === undefined;
  if (!ofac && (o.label === undefined || o.label.trim() === ''))
    throw new InputError(`${file}: a list of addresses needs --label <name> (and --category or --abuse)`);
  const list = emptyList(name, ofac ? 'ofac' : 'plain', file);
  list.date = dateInName(file);
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (t === '' || t.startsWith('#')) continue;
    const addr = labelAddress(t);
    if ('reason' in addr) {
      list.bad.push({ file, line: i + 1, reason: addr.reason });
      continue;
    }
    list.labels.push({
      address: addr.address,
      label: ofac ? OFAC_LABEL : o.label!.trim(),
      category: ofac ? null : (o.category?.trim().toLowerCase() ?? null),
      abuse: ofac ? 'sanction' : (o.abuse?.trim().toLowerCase() ?? null),
      actor: null,
      confidence: ofac ? CONFIDENCE_LEVELS.authority_data! : (o.confidence ?? null),
      source: ofac ? 'OFAC SDN list (sdn_advanced.xml), digital currency addresses XBT' : path.basename(file),
      definesCluster: false,
    });
  }
  return list;
}
