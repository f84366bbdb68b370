// Colours and legend words per node class, shared by the HTML page and the DOT file.
import type { NodeClass } from './model.js';

export const NODE_COLORS: Record<NodeClass, string> = {
  seed: '#2563eb',
  sanctioned: '#b91c1c',
  exchange: '#f59e0b',
  coinjoin: '#7c3aed',
  labelled: '#0d9488',
  unspent: '#16a34a',
  'hop-limit': '#94a3b8',
  stopped: '#fbbf24',
  spent: '#e2e8f0',
  other: '#f472b6',
  tx: '#cbd5e1',
};

export const CLASS_LEGEND: Record<NodeClass, string> = {
  seed: 'seed (where the trace starts)',
  sanctioned: 'sanctioned (label category)',
  exchange: 'exchange (label category)',
  coinjoin: 'CoinJoin output or mixer',
  labelled: 'other labelled entity',
  unspent: 'unspent: taint still there',
  'hop-limit': 'hop limit: not followed further',
  stopped: 'stopped (not followed)',
  spent: 'spent onward (intermediate)',
  other: 'error / truncated / other status',
  tx: 'transaction merging several nodes',
};
