// The demo chain (fixtures/demo/chain.json, Esplora JSON) answered in GraphSense REST shapes
// (graphsense-REST openapi_spec/graphsense.yaml): tx_utxo with include_io/include_io_index,
// tx_ref lists for /spending and /spent_in, address_txs pages with next_page tokens, /stats.
// GraphSense indexes blocks only, so unconfirmed transactions are left out. Used through nock.

import type { EsploraOut, EsploraTx } from './memory.js';
import { readDemoChainFile } from './load-chain.js';

export interface GsAnswer {
  status: number;
  body: string;
}

/** Which endpoint a path is, for call counts. */
export type GsKind =
  | 'tx'
  | 'spending'
  | 'spent_in'
  | 'address_txs'
  | 'tags'
  | 'entity'
  | 'stats'
  | 'bulk'
  | 'bulk_tags'
  | 'other';

export function emptyCalls(): Record<GsKind, number> {
  return {
    tx: 0,
    spending: 0,
    spent_in: 0,
    address_txs: 0,
    tags: 0,
    entity: 0,
    stats: 0,
    bulk: 0,
    bulk_tags: 0,
    other: 0,
  };
}

export function gsKind(path: string): GsKind {
  if (path === '/stats') return 'stats';
  if (/^\/btc\/bulk\.json\/list_tags_by_address\?/.test(path)) return 'bulk_tags';
  if (/^\/btc\/bulk\.json\/get_(tx|spending_txs|spent_in_txs)\?num_pages=1$/.test(path)) return 'bulk';
  if (/^\/btc\/txs\/[0-9a-f]{64}\/spending$/.test(path)) return 'spending';
  if (/^\/btc\/txs\/[0-9a-f]{64}\/spent_in$/.test(path)) return 'spent_in';
  if (/^\/btc\/txs\/[0-9a-f]{64}\?/.test(path)) return 'tx';
  if (/^\/btc\/addresses\/[^/]+\/txs\?/.test(path)) return 'address_txs';
  if (/^\/btc\/addresses\/[^/]+\/tags(\?|$)/.test(path)) return 'tags';
  if (/^\/btc\/addresses\/[^/]+\/entity$/.test(path)) return 'entity';
  if (/^\/btc\/entities\/\d+\/addresses\?/.test(path)) return 'entity';
  return 'other';
}

function values(sat: number) {
  return { fiat_values: [{ code: 'eur', value: 0 }], value: sat };
}

function io(o: EsploraOut, index: number) {
  return { address: o.scriptpubkey_address ? [o.scriptpubkey_address] : [], value: values(o.value), index };
}

export class GraphSenseChain {
  private readonly txs = new Map<string, EsploraTx>();
  private readonly spentIn = new Map<
    string,
    { input_index: number; output_index: number; tx_hash: string }[]
  >();
  private readonly byAddress = new Map<string, EsploraTx[]>();
  readonly tipHeight: number;

  /** Entity id per address: common-input clusters (every input address of a tx joins one). */
  readonly entity = new Map<string, number>();

  /**
   * maxPage caps the page size asked (GraphSense caps it too), so tests can force paging; tags
   * are the TagStore's (address -> label, category), served by /addresses/<a>/tags.
   */
  constructor(
    file = readDemoChainFile(),
    private readonly maxPage = 100,
    private readonly tags = new Map<string, { label: string; category: string }>(),
  ) {
    this.tipHeight = file.tip_height;
    const confirmed = file.txs.map((t) => t.tx).filter((t) => t.status.confirmed);
    confirmed.forEach((tx) => this.txs.set(tx.txid, tx));
    confirmed.forEach((tx, order) => {
      tx.vin.forEach((i, k) => {
        if (i.is_coinbase) return;
        const list = this.spentIn.get(i.txid) ?? [];
        list.push({ input_index: k, output_index: i.vout, tx_hash: tx.txid });
        this.spentIn.set(i.txid, list);
      });
      const addrs = new Set<string>();
      for (const o of tx.vout) if (o.scriptpubkey_address) addrs.add(o.scriptpubkey_address);
      for (const i of tx.vin) if (i.prevout?.scriptpubkey_address) addrs.add(i.prevout.scriptpubkey_address);
      for (const a of addrs) {
        const list = this.byAddress.get(a) ?? [];
        list.push(tx);
        this.byAddress.set(a, list);
      }
      void order;
    });
    // Union-find over co-spent input addresses, ids = the smallest address position.
    const names = [...this.byAddress.keys()].sort();
    const parent = new Map(names.map((a) => [a, a]));
    const find = (a: string): string => {
      while (parent.get(a) !== a) a = parent.get(a)!;
      return a;
    };
    for (const tx of confirmed) {
      const ins = tx.vin.map((i) => i.prevout?.scriptpubkey_address).filter((a): a is string => !!a);
      for (const a of ins.slice(1)) {
        const [x, y] = [find(ins[0]!), find(a)];
        if (x !== y) parent.set(x < y ? y : x, x < y ? x : y);
      }
    }
    names.forEach((a) => this.entity.set(a, names.indexOf(find(a)) + 1000));
  }

  /** POST /btc/bulk.json/<op>: the rows of each hash's GET answer, tagged _request_tx_hash. */
  bulk(path: string, body: unknown): GsAnswer {
    const m =
      /^\/btc\/bulk\.json\/(get_tx|get_spending_txs|get_spent_in_txs|list_tags_by_address)\?num_pages=\d+$/.exec(
        path,
      );
    const field = m?.[1] === 'list_tags_by_address' ? 'address' : 'tx_hash';
    const keys = (body as Record<string, unknown>)[field];
    if (!m || !Array.isArray(keys)) return { status: 400, body: '{"detail":"bad bulk request"}' };
    const rows: unknown[] = [];
    const tag = `_request_${field}`;
    // The server answers in completion order: reversed here, so order is never relied on.
    for (const h of [...(keys as string[])].reverse()) {
      const single =
        m[1] === 'get_tx'
          ? `/btc/txs/${h}?include_io=true`
          : m[1] === 'list_tags_by_address'
            ? `/btc/addresses/${h}/tags`
            : `/btc/txs/${h}/${m[1] === 'get_spending_txs' ? 'spending' : 'spent_in'}`;
      const a = this.answer(single);
      if (a.status !== 200) {
        rows.push({ _error: 'not found', [tag]: h });
        continue;
      }
      const json = JSON.parse(a.body) as unknown;
      const list = Array.isArray(json)
        ? json
        : m[1] === 'list_tags_by_address'
          ? (json as { address_tags: unknown[] }).address_tags
          : [json];
      if (list.length === 0) rows.push({ _info: 'no data', [tag]: h });
      for (const r of list) rows.push({ ...(r as object), [tag]: h });
    }
    return { status: 200, body: JSON.stringify(rows) };
  }

  answer(path: string): GsAnswer {
    const url = new URL(path, 'http://x');
    const p = url.pathname;
    const json = (v: unknown): GsAnswer => ({ status: 200, body: JSON.stringify(v) });
    const notFound: GsAnswer = { status: 404, body: JSON.stringify({ detail: 'not found' }) };
    if (p === '/stats') {
      return json({
        currencies: [{ name: 'btc', no_blocks: this.tipHeight + 1, no_txs: this.txs.size, timestamp: 0 }],
        version: '1.13.0',
        request_timestamp: '2026-01-01T00:00:00Z',
      });
    }
    let m = /^\/btc\/txs\/([0-9a-f]{64})(\/spending|\/spent_in)?$/.exec(p);
    if (m) {
      const tx = this.txs.get(m[1]!);
      if (!tx) return notFound;
      if (m[2] === '/spending')
        return json(
          tx.vin
            .map((i, k) => ({
              input_index: k,
              output_index: i.vout,
              tx_hash: i.txid,
              coinbase: i.is_coinbase,
            }))
            .filter((r) => !r.coinbase)
            .map(({ coinbase: _, ...r }) => r),
        );
      if (m[2] === '/spent_in') return json(this.spentIn.get(tx.txid) ?? []);
      const coinbase = tx.vin.some((i) => i.is_coinbase);
      const totalIn = tx.vin.reduce((s, i) => s + (i.prevout?.value ?? 0), 0);
      const totalOut = tx.vout.reduce((s, o) => s + o.value, 0);
      return json({
        tx_type: 'utxo',
        currency: 'btc',
        tx_hash: tx.txid,
        coinbase,
        height: tx.status.block_height,
        timestamp: tx.status.block_time,
        no_inputs: tx.vin.length,
        no_outputs: tx.vout.length,
        total_input: values(totalIn),
        total_output: values(totalOut),
        inputs: coinbase ? [] : tx.vin.map((i, k) => io(i.prevout!, k)),
        outputs: tx.vout.map((o, k) => io(o, k)),
      });
    }
    m = /^\/btc\/entities\/(\d+)\/addresses$/.exec(p);
    if (m) {
      const e = Number(m[1]);
      const all = [...this.entity].filter(([, id]) => id === e).map(([a]) => a);
      if (all.length === 0) return notFound;
      const size = Math.min(Number(url.searchParams.get('pagesize') ?? 10), this.maxPage);
      const start = Number(url.searchParams.get('page')?.replace(/^p/, '') ?? 0);
      const next = start + size < all.length ? `p${start + size}` : undefined;
      return json({
        addresses: all.slice(start, start + size).map((address) => ({ currency: 'btc', address, entity: e })),
        ...(next !== undefined && { next_page: next }),
      });
    }
    m = /^\/btc\/addresses\/([^/]+)\/(tags|entity)$/.exec(p);
    if (m) {
      const address = decodeURIComponent(m[1]!);
      if (!this.byAddress.has(address)) return notFound;
      if (m[2] === 'entity')
        return json({ currency: 'btc', entity: this.entity.get(address), root_address: address });
      const t = this.tags.get(address);
      return json({
        address_tags: t
          ? [
              {
                label: t.label,
                category: t.category,
                confidence: 'service_data',
                confidence_level: 50,
                currency: 'BTC',
                is_cluster_definer: true,
                lastmod: 1636675200,
                source: 'https://example.org/tags',
                tagpack_creator: 'test',
                tagpack_is_public: true,
                tagpack_title: 'Demo TagPack',
                address,
              },
            ]
          : [],
      });
    }
    m = /^\/btc\/addresses\/([^/]+)\/txs$/.exec(p);
    if (m) {
      const address = decodeURIComponent(m[1]!);
      const list = this.byAddress.get(address);
      if (!list) return notFound;
      // Newest first: height descending, later block position first.
      const ordered = [...list].reverse().sort((a, b) => b.status.block_height! - a.status.block_height!);
      const size = Math.min(Number(url.searchParams.get('pagesize') ?? 10), this.maxPage);
      const start = Number(url.searchParams.get('page')?.replace(/^p/, '') ?? 0);
      const page = ordered.slice(start, start + size);
      const next = start + size < ordered.length ? `p${start + size}` : undefined;
      return json({
        address_txs: page.map((tx) => ({
          tx_type: 'utxo',
          tx_hash: tx.txid,
          currency: 'btc',
          coinbase: tx.vin.some((i) => i.is_coinbase),
          height: tx.status.block_height,
          timestamp: tx.status.block_time,
          value: values(0),
        })),
        ...(next !== undefined && { next_page: next }),
      });
    }
    return notFound;
  }
}
