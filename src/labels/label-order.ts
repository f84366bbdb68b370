// The order of an address's labels: the one to act on first.
import type { Label } from './label.js';

/** Best first: higher confidence (unknown last), then list, then label. */
export function compareLabels(a: Label, b: Label): number {
  const ca = a.confidence ?? -1;
  const cb = b.confidence ?? -1;
  if (ca !== cb) return cb - ca;
  if (a.list !== b.list) return a.list < b.list ? -1 : 1;
  return a.label < b.label ? -1 : a.label > b.label ? 1 : 0;
}
