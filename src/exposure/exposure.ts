// Exposure: how much of the seed funds reached each labelled entity, category and abuse term,
// directly (at the first hop) or indirectly (further on), forward ("where it went") or backward
// ("where it came from"). Read off a finished trace's rows: an output at hop h carrying t
// tainted satoshis to an address labelled E exposes the seed to E by t, at hop h.
//
// Amounts are each row's printed tainted_sat (whole satoshis, as the trace CSV shows them), so an
// exposure line always equals the sum of the rows it names. An output counts once per entity,
// once per category and once per abuse term among its address's labels. Under poison every
// touched output counts in full, so lines can exceed the seed amount (and each other's sum).
import type { Label } from '../labels/label.js';
import { roundSat } from '../output/amount.js';
import type { Direction, FlowRow, TraceResult } from '../trace/result.js';

export type ExposureKind = 'entity' | 'category' | 'abuse';

export interface ExposureLine {
  direction: Direction;
  kind: ExposureKind;
  /** The entity label, category or abuse term. */
  name: string;
  /** Entity lines: the entity's category and abuse term (of its best label that names it). */
  category: string | null;
  abuse: string | null;
  /** An entity labelled with the abuse term "sanction", or the "sanction" line itself. */
  sanctioned: boolean;
  /** Tainted satoshis at hop 1 (the seed's own transaction's other side). */
  directSat: number;
  /** Tainted satoshis at hop 2 and beyond. */
  indirectSat: number;
  totalSat: number;
  /** The smallest hop at which it was reached. */
  firstHop: number;
  outputs: number;
}

export interface DirectionExposure {
  direction: Direction;
  model: string;
  /** Seed amount the shares are of: the seed outputs' total. */
  seedSat: number;
  partial: boolean;
  lines: ExposureLine[];
}

export const SANCTION = 'sanction';

/** The labels a row reached with: all of its address's labels, or the inherited one. */
function rowLabels(r: FlowRow): readonly Label[] {
  if (r.labels && r.labels.length > 0) return r.labels;
  if (r.label === null) return [];
  return [
    {
      label: r.label,
      category: r.category,
      abuse: r.abuse ?? null,
      actor: null,
      confidence: r.labelConfidence ?? null,
      source: r.labelSource ?? null,
      list: '',
      listDate: null,
      definesCluster: false,
    },
  ];
}

const KIND_ORDER: Record<ExposureKind, number> = { category: 0, abuse: 1, entity: 2 };

/** Sanctioned first; then categories, abuse terms, entities; larger totals first; then by name. */
export function compareLines(a: ExposureLine, b: ExposureLine): number {
  if (a.direction !== b.direction) return a.direction === 'forward' ? -1 : 1;
  if (a.sanctioned !== b.sanctioned) return a.sanctioned ? -1 : 1;
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  if (a.totalSat !== b.totalSat) return b.totalSat - a.totalSat;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function exposureOf(result: TraceResult): DirectionExposure {
  const lines = new Map<string, ExposureLine>();
  const add = (kind: ExposureKind, name: string, l: Label, hop: number, sat: number) => {
    const key = `${kind}\u0000${name}`;
    let line = lines.get(key);
    if (!line) {
      line = {
        direction: result.direction,
        kind,
        name,
        category: kind === 'entity' ? l.category : kind === 'category' ? name : null,
        abuse: kind === 'entity' ? l.abuse : kind === 'abuse' ? name : null,
        sanctioned: false,
        directSat: 0,
        indirectSat: 0,
        totalSat: 0,
        firstHop: hop,
        outputs: 0,
      };
      lines.set(key, line);
    }
    if (kind !== 'category' && l.abuse === SANCTION) line.sanctioned = true;
    if (hop === 1) line.directSat += sat;
    else line.indirectSat += sat;
    line.totalSat += sat;
    line.firstHop = Math.min(line.firstHop, hop);
    line.outputs++;
  };
  for (const r of result.rows) {
    if (r.hop < 1 || r.status === 'seed') continue;
    const labels = rowLabels(r);
    if (labels.length === 0) continue;
    const sat = roundSat(r.taintedSat);
    if (sat <= 0) continue;
    // once per name and kind, whichever of the address's labels carries it
    const seen = new Set<string>();
    for (const l of labels) {
      const keys: [ExposureKind, string | null][] = [
        ['entity', l.label],
        ['category', l.category],
        ['abuse', l.abuse],
      ];
      for (const [kind, name] of keys) {
        if (name === null || seen.has(`${kind}\u0000${name}`)) continue;
        seen.add(`${kind}\u0000${name}`);
        add(kind, name, l, r.hop, sat);
      }
    }
  }
  return {
    direction: result.direction,
    model: result.model,
    seedSat: result.seedTotal,
    partial: result.partial,
    lines: [...lines.values()].sort(compareLines),
  };
}

/**
 * sat as a share of seed, in percent with 2 decimals, rounded half up in integer arithmetic
 * ("21.57%"); "-" when the seed amount is 0.
 */
export function shareOf(sat: number, seed: number): string {
  if (seed <= 0) return '-';
  const hundredths = (BigInt(sat) * 20000n + BigInt(seed)) / (2n * BigInt(seed));
  const whole = hundredths / 100n;
  const frac = (hundredths % 100n).toString().padStart(2, '0');
  return `${whole}.${frac}%`;
}

/** True when any line of any direction is sanctioned. */
export function anySanctioned(exposures: readonly DirectionExposure[]): boolean {
  return exposures.some((e) => e.lines.some((l) => l.sanctioned));
}
