// With --cluster, a labelled member names the wallet: its label is shown for the cluster's other
// addresses, marked "via cluster <id>". Only labels that define a cluster (TagPack
// is_cluster_definer) are inherited, unless the analyst asks for every label (--inherit-labels):
// a deposit address label says who received there, not who owns the co-spent inputs.
import type { FlowRow } from '../trace/result.js';
import type { Label, LabelBook } from './label.js';

/**
 * The label each cluster passes to its members: the best inheritable label among the members
 * (book order, then address order, so the choice does not depend on row order).
 */
export function clusterLabels(
  clusterOf: ReadonlyMap<string, string>,
  book: LabelBook,
  all: boolean,
): Map<string, { label: Label; from: string }> {
  const found = book.lookup([...clusterOf.keys()].sort());
  const out = new Map<string, { label: Label; from: string }>();
  for (const address of [...found.keys()].sort()) {
    const id = clusterOf.get(address)!;
    if (out.has(id)) continue;
    const l = found.get(address)!.find((x) => all || x.definesCluster);
    if (l) out.set(id, { label: l, from: address });
  }
  return out;
}

/** Gives unlabelled rows of a labelled cluster that cluster's label, marked with labelVia. */
export function inheritClusterLabels(
  rows: FlowRow[],
  clusterOf: ReadonlyMap<string, string>,
  book: LabelBook,
  all: boolean,
): void {
  const byCluster = clusterLabels(clusterOf, book, all);
  for (const r of rows) {
    if (r.label !== null || r.category !== null || !r.cluster) continue;
    const inherited = byCluster.get(r.cluster);
    if (!inherited || inherited.from === r.address) continue;
    const l = inherited.label;
    r.label = l.label;
    r.category = l.category;
    r.abuse = l.abuse;
    r.labelConfidence = l.confidence;
    r.labelSource = l.source;
    r.labelVia = `cluster ${r.cluster} (${inherited.from})`;
    r.labels = [l];
  }
}
