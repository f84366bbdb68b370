// When the walk stops at a labelled address: its category or abuse term is in --stop-at, or its
// entity name is in --stop-at-label. The rule that fired is named on the row, so a case file says
// why the trail ends there.
import type { Label } from './label.js';

export interface StopRules {
  /** Lower-case categories and abuse terms (--stop-at; "coinjoin" is the walk's own rule). */
  terms: readonly string[];
  /** Entity names (--stop-at-label), compared case-insensitively. */
  labels: readonly string[];
}

/**
 * The first rule that fires for an address with these labels (best label first; for one label,
 * category, then abuse, then name), as the row's note says it, or null when none fires.
 */
export function firedStopRule(labels: readonly Label[], rules: StopRules): string | null {
  if (labels.length === 0) return null;
  const names = new Set(rules.labels.map((l) => l.toLowerCase()));
  for (const l of labels) {
    if (l.category && rules.terms.includes(l.category)) return `stop-at category ${l.category} (${l.label})`;
    if (l.abuse && rules.terms.includes(l.abuse)) return `stop-at abuse ${l.abuse} (${l.label})`;
    if (names.has(l.label.toLowerCase())) return `stop-at-label ${l.label}`;
  }
  return null;
}
