// What the rest of btctrace knows about attribution: a label on an address, and a book that
// answers "which labels do these addresses carry" in one batched call. The SQLite label store, a
// --tags CSV and a backend's tags are all books; outputs, stop rules and exposure read only this.

export interface Label {
  /** The entity, e.g. "Binance" or "Hydra Market". */
  label: string;
  /** Taxonomy category (src/labels/taxonomy.ts), e.g. "exchange"; null when the source gave none. */
  category: string | null;
  /** Taxonomy abuse term, e.g. "ransomware", "sanction"; null when none. */
  abuse: string | null;
  /** Actor id or name the tag belongs to, when the source names one. */
  actor: string | null;
  /** 0-100 (TagPack confidence levels mapped by taxonomy.ts); null when unknown. */
  confidence: number | null;
  /** Where the claim comes from: a URL or a file name, as the source gave it. */
  source: string | null;
  /** The import this label came from (pack or file name), and that import's date when known. */
  list: string;
  listDate: string | null;
  /** True when the label names the owner of the whole cluster (TagPack is_cluster_definer). */
  definesCluster: boolean;
  /** The actor's name and jurisdictions (country codes) from an imported actor pack, when known. */
  actorName?: string | null;
  jurisdictions?: readonly string[];
}

export interface LabelList {
  name: string;
  /** The list's own date (lastmod, snapshot date), ISO yyyy-mm-dd, when known. */
  date: string | null;
  labels: number;
}

export interface LabelBook {
  /**
   * Labels of these addresses (normalised address → labels, best first: higher confidence, then
   * list, then label). Addresses without labels are absent. One batched call, not one per row.
   */
  lookup(addresses: readonly string[]): ReadonlyMap<string, readonly Label[]>;
  /** Categories and abuse terms present in the book (accepted by --stop-at besides the taxonomy). */
  vocabulary(): ReadonlySet<string>;
  /** The lists the book holds, for "checked against ..." lines. */
  lists(): readonly LabelList[];
}
