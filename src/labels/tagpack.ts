// GraphSense TagPack YAML: header fields apply to every tag, a tag's own fields override them.
// Only Bitcoin address tags are kept; other currencies and transaction tags are counted as left
// out, and a tag that claims to be Bitcoin but cannot be used is a bad tag (file, line, reason).
import yaml from 'js-yaml';
import { labelAddress } from './label-address.js';
import { countSkip, emptyList, isoDate, type ImportedList, type LabelRecord } from './record.js';
import { tagLines } from './tag-lines.js';
import { confidenceLevel } from './taxonomy.js';

/** Header fields that describe the pack, not its tags. */
const PACK_ONLY = new Set(['title', 'creator', 'description', 'owner', 'is_public', 'tags']);

type Fields = Record<string, unknown>;

function isFields(v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Lower-case term, or null for absent/blank. */
function term(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const t = v.trim().toLowerCase();
  return t === '' ? null : t;
}

function text(v: unknown): string | null {
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t === '' ? null : t;
}

/** Parsed YAML of a label file (throws the parser's error, which names line and column). */
export function loadYaml(source: string, file: string): unknown {
  return yaml.load(source, { filename: file, json: true });
}

/** Why a merged tag is unusable, or the label it gives. `null`: not a Bitcoin address tag. */
function toRecord(tag: Fields, list: ImportedList): LabelRecord | string | null {
  const currency = text(tag.currency) ?? text(tag.network);
  if (currency === null) return 'no currency or network';
  if (currency.toUpperCase() !== 'BTC') {
    countSkip(list, `currency ${currency.toUpperCase()}`);
    return null;
  }
  if (tag.address === undefined && tag.tx_hash !== undefined) {
    countSkip(list, 'transaction tag (no address)');
    return null;
  }
  const addr = labelAddress(tag.address);
  if ('reason' in addr) return addr.reason;
  const label = text(tag.label);
  if (label === null) return `${addr.address}: no label`;
  const confidence = confidenceLevel(tag.confidence);
  if (confidence === undefined)
    return `${addr.address}: unknown confidence ${JSON.stringify(tag.confidence)}`;
  return {
    address: addr.address,
    label,
    category: term(tag.category),
    abuse: term(tag.abuse),
    actor: text(tag.actor),
    confidence,
    source: text(tag.source),
    definesCluster: tag.is_cluster_definer === true || tag.is_cluster_definer === 'true',
  };
}

/** The labels of one TagPack document (already parsed from `source`, the file's text). */
export function readTagPack(doc: Fields, source: string, file: string, name: string): ImportedList {
  const list = emptyList(name, 'tagpack', file);
  const header: Fields = {};
  for (const [k, v] of Object.entries(doc)) if (!PACK_ONLY.has(k)) header[k] = v;
  list.date = isoDate(doc.lastmod);
  const tags = Array.isArray(doc.tags) ? (doc.tags as unknown[]) : [];
  const lines = tagLines(source, tags.length);
  for (let i = 0; i < tags.length; i++) {
    const raw = tags[i];
    const line = lines ? lines[i]! : null;
    if (!isFields(raw)) {
      list.bad.push({ file, line, reason: `tag ${i + 1} is not a mapping` });
      continue;
    }
    const r = toRecord({ ...header, ...raw }, list);
    if (typeof r === 'string') list.bad.push({ file, line, reason: r });
    else if (r !== null) list.labels.push(r);
  }
  return list;
}

/** True when a parsed YAML document looks like a TagPack. */
export function isTagPack(doc: unknown): doc is Fields {
  return isFields(doc) && Array.isArray(doc.tags);
}

export function isActorPack(doc: unknown): doc is Fields {
  return isFields(doc) && Array.isArray(doc.actors);
}

export { isFields, text, term };
