// The label vocabulary: categories and abuse terms of GraphSense's TagPack schema, which follows
// INTERPOL's DW-VA taxonomy, and TagPack confidence names mapped to levels 0-100. One place, so
// that stop rules, importers and exposure reports agree on the words an analyst may type.

/** Entity categories (what kind of service or actor holds the address). */
export const CATEGORIES: readonly string[] = [
  'atm',
  'bridge',
  'coinjoin',
  'darknet_market',
  'defi',
  'defi_dex',
  'defi_lending',
  'exchange',
  'faucet',
  'gambling',
  'hosting',
  'ico_wallet',
  'market',
  'miner',
  'mixing_service',
  'organization',
  'payment_processor',
  'perpetrator',
  'service',
  'shop',
  'user',
  'wallet_service',
];

/** Abuse terms (what the address was used for, regardless of who holds it). */
export const ABUSES: readonly string[] = [
  'extremism',
  'investment_fraud',
  'phishing',
  'ponzi_scheme',
  'pyramid_scheme',
  'ransomware',
  'sanction',
  'scam',
  'service_hack',
  'sextortion',
  'terrorism',
];

/** TagPack confidence names and their levels (graphsense-lib's confidence.csv). */
export const CONFIDENCE_LEVELS: Readonly<Record<string, number>> = {
  ownership: 100,
  override: 100,
  ledger_immanent: 100,
  manual_transaction: 90,
  service_api: 70,
  forensic_investigation: 70,
  authority_data: 60,
  trusted_provider: 50,
  service_data: 50,
  forensic: 50,
  untrusted_transaction: 40,
  web_crawl: 20,
  heuristic: 10,
  unknown: 5,
};

/** Every word `--stop-at` knows before any label is loaded. */
export const KNOWN_TERMS: readonly string[] = [...CATEGORIES, ...ABUSES];

/** Levenshtein distance, for "did you mean" on a mistyped term. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** The closest known term within edit distance 3, or null; ties go to the earlier term. */
export function closestTerm(word: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = 4;
  for (const k of known) {
    const d = distance(word, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}

/**
 * A confidence as a level 0-100: a TagPack name (case and surrounding spaces ignored) or a whole
 * number 0-100 (CSV files may give either). Null when absent; undefined when not understood, so
 * the importer can say which value it did not know.
 */
export function confidenceLevel(value: unknown): number | null | undefined {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number')
    return Number.isInteger(value) && value >= 0 && value <= 100 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (v === '') return null;
  if (/^\d{1,3}$/.test(v)) {
    const n = Number(v);
    return n <= 100 ? n : undefined;
  }
  return Object.hasOwn(CONFIDENCE_LEVELS, v) ? CONFIDENCE_LEVELS[v] : undefined;
}

/** The TagPack name written for a level on export: the named level at or below it. */
export function confidenceName(level: number | null): string {
  const named: [number, string][] = [
    [100, 'ownership'],
    [90, 'manual_transaction'],
    [70, 'forensic_investigation'],
    [60, 'authority_data'],
    [50, 'service_data'],
    [40, 'untrusted_transaction'],
    [20, 'web_crawl'],
    [10, 'heuristic'],
  ];
  if (level === null) return 'unknown';
  for (const [l, name] of named) if (level >= l) return name;
  return 'unknown';
}
