// OFAC's SDN list in its advanced XML form (sdn_advanced.xml): the feature type named "Digital
// Currency Address - XBT" gives an id; every distinct party's profile carrying features of that
// type lists its Bitcoin addresses in <VersionDetail>, and its primary alias names the entity.
// A plain scan of the text is enough for this fixed, machine-written layout (the file is large:
// no DOM is built); names and addresses are unescaped from XML entities.
import { InputError } from '../model/errors.js';
import { labelAddress } from './label-address.js';
import { emptyList, type ImportedList } from './record.js';
import { CONFIDENCE_LEVELS } from './taxonomy.js';

export const SDN_SOURCE =
  'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN_ADVANCED.XML';

export function looksLikeSdnXml(head: string): boolean {
  return /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<Sanctions[\s>]/.test(head);
}

function unescapeXml(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function lineAt(source: string, index: number, cache: { index: number; line: number }): number {
  for (let i = cache.index; i < index; i++) if (source.charCodeAt(i) === 10) cache.line++;
  cache.index = index;
  return cache.line;
}

/** The entity name of one party: the name parts of its primary alias, joined by spaces. */
function partyName(party: string): string | null {
  const alias = /<Alias\b[^>]*\bPrimary="true"[^>]*>([\s\S]*?)<\/Alias>/.exec(party);
  if (!alias) return null;
  const parts = [...alias[1]!.matchAll(/<NamePartValue\b[^>]*>([^<]*)<\/NamePartValue>/g)].map((m) =>
    unescapeXml(m[1]!).trim(),
  );
  return parts.length ? parts.join(' ') : null;
}

export function readSdnXml(source: string, file: string, name: string): ImportedList {
  const type =
    /<FeatureType\b[^>]*\bID="(\d+)"[^>]*>\s*Digital Currency Address - XBT\s*<\/FeatureType>/.exec(source);
  if (!type)
    throw new InputError(
      `${file}: an SDN XML file without the "Digital Currency Address - XBT" feature type`,
    );
  const list = emptyList(name, 'ofac', file);
  const issued =
    /<DateOfIssue>\s*<Year>(\d{4})<\/Year>\s*<Month>(\d{1,2})<\/Month>\s*<Day>(\d{1,2})<\/Day>/.exec(source);
  if (issued) list.date = `${issued[1]}-${issued[2]!.padStart(2, '0')}-${issued[3]!.padStart(2, '0')}`;
  const featureOpen = new RegExp(
    `<Feature\\b[^>]*\\bFeatureTypeID="${type[1]}"[^>]*>([\\s\\S]*?)</Feature>`,
    'g',
  );
  const pos = { index: 0, line: 1 };
  const partyRe = /<DistinctParty\b[\s\S]*?<\/DistinctParty>/g;
  for (const party of source.matchAll(partyRe)) {
    const body = party[0];
    if (!body.includes(`FeatureTypeID="${type[1]}"`)) continue;
    const entity = partyName(body) ?? 'OFAC SDN entry';
    for (const f of body.matchAll(featureOpen)) {
      const detail = /<VersionDetail\b[^>]*>([^<]*)<\/VersionDetail>/.exec(f[1]!);
      const line = lineAt(source, party.index + f.index, pos);
      const addr = labelAddress(unescapeXml(detail?.[1] ?? ''));
      if ('reason' in addr) {
        list.bad.push({ file, line, reason: addr.reason });
        continue;
      }
      list.labels.push({
        address: addr.address,
        label: entity,
        category: null,
        abuse: 'sanction',
        actor: null,
        confidence: CONFIDENCE_LEVELS.authority_data!,
        source: SDN_SOURCE,
        definesCluster: false,
      });
    }
  }
  return list;
}
