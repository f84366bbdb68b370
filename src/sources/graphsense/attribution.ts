// GraphSense's whole-chain clusters ("entities") and TagStore labels, read for the addresses a
// run meets: GET /btc/addresses/<a>/tags (address_tags, next_page) and /btc/addresses/<a>/entity.
// One request per address (the tags of an address are bounded to MAX_TAG_PAGES pages), each
// address asked once per run. Tags become Labels (src/labels/label.ts) with their source and
// confidence; an address GraphSense does not know (404) has none.

import type { Label, LabelBook, LabelList } from '../../labels/label.js';
import { CONFIDENCE_LEVELS } from '../../labels/taxonomy.js';
import { NotFoundError } from '../errors.js';
import { HttpTransport, type ValidatingTransport } from '../http.js';
import { BulkQueue } from './bulk.js';
import { MalformedBodyError, parseJson } from '../parse.js';
import { graphsensePath } from './paths.js';
import { explainFailure } from './source.js';

/** Tag pages read per address at most (an exchange address can carry many tags). */
export const MAX_TAG_PAGES = 3;

type Obj = Record<string, unknown>;

function optText(o: Obj, key: string, max = 500): string | null {
  const v = o[key];
  return typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, max) : null;
}

/** One address_tags entry as a Label; null when it has no label text. */
export function labelOfTag(raw: unknown): Label | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const t = raw as Obj;
  const label = optText(t, 'label', 200);
  if (label === null) return null;
  const level = t.confidence_level;
  const named = optText(t, 'confidence');
  const confidence =
    typeof level === 'number' && Number.isInteger(level) && level >= 0 && level <= 100
      ? level
      : named !== null
        ? (CONFIDENCE_LEVELS[named] ?? null)
        : null;
  const lastmod = t.lastmod;
  const listDate =
    typeof lastmod === 'number' && Number.isSafeInteger(lastmod) && lastmod > 0
      ? new Date(lastmod * 1000).toISOString().slice(0, 10)
      : null;
  return {
    label,
    category: optText(t, 'category', 100)?.toLowerCase() ?? null,
    abuse: optText(t, 'abuse', 100)?.toLowerCase() ?? null,
    actor: optText(t, 'actor', 200),
    confidence,
    source: optText(t, 'source'),
    list: `GraphSense: ${optText(t, 'tagpack_title', 200) ?? optText(t, 'tagpack_uri') ?? 'TagStore'}`,
    listDate,
    definesCluster: t.is_cluster_definer === true,
  };
}

/** Best first: higher confidence, then list, then label (LabelBook's order). */
export function byBest(a: Label, b: Label): number {
  return (
    (b.confidence ?? -1) - (a.confidence ?? -1) ||
    a.list.localeCompare(b.list) ||
    a.label.localeCompare(b.label)
  );
}

export class GraphSenseAttribution {
  readonly description: string;
  private readonly tags = new Map<string, Promise<Label[]>>();
  private readonly entityIds = new Map<string, Promise<number | null>>();

  /** Tags of the addresses asked in one tick, in one bulk request (HTTP transports only). */
  private readonly bulk: BulkQueue | null;

  constructor(
    private readonly transport: ValidatingTransport,
    options: { bulk?: boolean } = {},
  ) {
    this.description = `GraphSense TagStore ${transport.description}`;
    this.bulk =
      options.bulk && transport instanceof HttpTransport
        ? new BulkQueue(
            transport,
            (_op, address) => this.tagRows(address),
            (e) => explainFailure(e, transport.description),
          )
        : null;
  }

  /** Labels of each address that has any (best first). */
  async labels(addresses: readonly string[]): Promise<Map<string, Label[]>> {
    const out = new Map<string, Label[]>();
    await Promise.all(
      [...new Set(addresses)].map(async (a) => {
        const list = await this.tagsOf(a);
        if (list.length > 0) out.set(a, list);
      }),
    );
    return out;
  }

  /** GraphSense entity (cluster) id of each address it knows. */
  async entities(addresses: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    await Promise.all(
      [...new Set(addresses)].map(async (a) => {
        const id = await this.entityOf(a);
        if (id !== null) out.set(a, id);
      }),
    );
    return out;
  }

  private tagsOf(address: string): Promise<Label[]> {
    let p = this.tags.get(address);
    if (!p) {
      p = this.readTags(address);
      this.tags.set(address, p);
    }
    return p;
  }

  private async readTags(address: string): Promise<Label[]> {
    const rows = this.bulk
      ? await this.bulk.ask('list_tags_by_address', address)
      : await this.tagRows(address);
    const labels: Label[] = [];
    for (const raw of rows) {
      const l = labelOfTag(raw);
      if (l) labels.push(l);
    }
    return labels.sort(byBest);
  }

  /** The address_tags entries of an address by GET, MAX_TAG_PAGES pages at most. */
  private async tagRows(address: string): Promise<unknown[]> {
    const rows: unknown[] = [];
    let page: string | null = null;
    for (let n = 0; n < MAX_TAG_PAGES; n++) {
      const path =
        graphsensePath.addressTags(address) + (page === null ? '' : `?page=${encodeURIComponent(page)}`);
      const body = await this.get(path);
      if (body === null) break;
      const list = body.address_tags;
      if (!Array.isArray(list))
        throw new MalformedBodyError(`${path}: address_tags: expected an array`, path);
      rows.push(...(list as unknown[]));
      const next = body.next_page;
      if (typeof next !== 'string' || next === '' || next === page) break;
      page = next;
    }
    return rows;
  }

  private entityOf(address: string): Promise<number | null> {
    let p = this.entityIds.get(address);
    if (!p) {
      const path = graphsensePath.addressEntity(address);
      p = this.get(path).then((body) => {
        if (body === null) return null;
        const id = body.entity;
        if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0)
          throw new MalformedBodyError(`${path}: entity: expected an entity id`, path);
        return id;
      });
      this.entityIds.set(address, p);
    }
    return p;
  }

  /**
   * The addresses of an entity, pages of 100 until the end or `max` (then complete is false).
   * Null when GraphSense does not know the entity.
   */
  async entityAddresses(
    entity: number,
    max: number,
  ): Promise<{ addresses: string[]; complete: boolean } | null> {
    const addresses: string[] = [];
    const seen = new Set<string>();
    let page: string | null = null;
    for (;;) {
      const path = graphsensePath.entityAddresses(entity, page);
      const body = await this.get(path);
      if (body === null) return page === null ? null : { addresses, complete: false };
      const list = body.addresses;
      if (!Array.isArray(list)) throw new MalformedBodyError(`${path}: addresses: expected an array`, path);
      for (const raw of list) {
        const a = raw !== null && typeof raw === 'object' ? (raw as Obj).address : undefined;
        if (typeof a !== 'string' || a === '' || a.length > 100)
          throw new MalformedBodyError(`${path}: addresses[].address: expected an address`, path);
        if (!seen.has(a)) {
          seen.add(a);
          addresses.push(a);
        }
      }
      const next = body.next_page;
      const more = typeof next === 'string' && next !== '' && next !== page;
      if (addresses.length >= max)
        return { addresses: addresses.slice(0, max), complete: !more && addresses.length === max };
      if (!more) return { addresses, complete: true };
      page = next;
    }
  }

  /** The JSON object at path; null for 404 (GraphSense does not know the address). */
  private async get(path: string): Promise<Obj | null> {
    let held: Obj | null = null;
    try {
      await this.transport.get(path, {
        validate: (r) => {
          const v = parseJson(r.body, path);
          if (v === null || typeof v !== 'object' || Array.isArray(v))
            throw new MalformedBodyError(`${path}: expected an object`, path);
          held = v as Obj;
        },
      });
    } catch (e) {
      if (e instanceof NotFoundError) return null;
      throw explainFailure(e, this.transport.description);
    }
    return held;
  }
}

/**
 * A LabelBook over the labels read so far (LabelBook.lookup is synchronous and batched); the map
 * may grow while the walk runs (src/cli/backend-labels.ts fills it), so every answer is read from
 * it at the time of the call.
 */
export function labelBook(labels: ReadonlyMap<string, readonly Label[]>): LabelBook {
  const all = () => [...labels.values()].flat();
  return {
    lookup(addresses) {
      const out = new Map<string, readonly Label[]>();
      for (const a of addresses) {
        const l = labels.get(a);
        if (l) out.set(a, l);
      }
      return out;
    },
    vocabulary() {
      const words = new Set<string>();
      for (const l of all()) {
        if (l.category) words.add(l.category);
        if (l.abuse) words.add(l.abuse);
      }
      return words;
    },
    lists() {
      const lists = new Map<string, LabelList>();
      for (const l of all()) {
        const known = lists.get(l.list) ?? { name: l.list, date: l.listDate, labels: 0 };
        known.labels++;
        lists.set(l.list, known);
      }
      return [...lists.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
  };
}
