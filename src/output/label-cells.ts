// An address's best label as the non-trace outputs print it (tx, address, cluster): the same
// fields a trace row carries, so a label reads alike everywhere.
import type { Label } from '../labels/label.js';

export interface LabelFields {
  label: string | null;
  category: string | null;
  abuse: string | null;
  confidence: number | null;
  source: string | null;
  /** "cluster <id> (<member>)" when the label is another member's. */
  via: string | null;
}

export const LABEL_CSV_COLUMNS = ['label', 'category', 'abuse', 'label_confidence', 'label_source'] as const;

export function labelFields(labels: readonly Label[] | undefined, via: string | null = null): LabelFields {
  const l = labels?.[0];
  return {
    label: l?.label ?? null,
    category: l?.category ?? null,
    abuse: l?.abuse ?? null,
    confidence: l?.confidence ?? null,
    source: l?.source ?? null,
    via: l ? via : null,
  };
}

/** The five CSV cells, in LABEL_CSV_COLUMNS order (source prefixed "via cluster ..." when inherited). */
export function labelCsvCells(f: LabelFields): (string | number | null)[] {
  const source = f.via ? `via ${f.via}${f.source ? `: ${f.source}` : ''}` : f.source;
  return [f.label, f.category, f.abuse, f.confidence, source];
}

/** "ExchangeX (exchange)", "Hydra (market, sanction)", "" when unlabelled; "via cluster <id>" added. */
export function labelText(f: LabelFields): string {
  if (f.label === null) return '';
  const kinds = [f.category, f.abuse].filter((k): k is string => k !== null);
  const via = f.via ? ` via ${f.via.replace(/ \(.*\)$/, '')}` : '';
  return `${f.label}${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}${via}`;
}

export function labelJson(f: LabelFields): Record<string, unknown> | null {
  if (f.label === null) return null;
  return {
    label: f.label,
    category: f.category,
    abuse: f.abuse,
    confidence: f.confidence,
    source: f.source,
    via: f.via,
  };
}
