// Reading the parts of an HTTP answer the transport classifies by: headers, Retry-After, a
// one-line description of an error body, and where a refused redirect pointed.

import { safeText } from '../output/escape.js';

export function lowerCaseHeaders(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string') out[k.toLowerCase()] = v;
    else if (typeof v === 'number') out[k.toLowerCase()] = String(v);
    else if (Array.isArray(v)) out[k.toLowerCase()] = v.join(', ');
  }
  return out;
}

/** Retry-After as delay-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (value === undefined) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** A short, single-line description of an error body: the text itself, or an HTML page's title. */
export function describeBody(body: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(body);
  if (title) return safeText(title[1]!.trim());
  if (/^\s*</.test(body)) return 'HTML page';
  const line = body.trim().replace(/\s+/g, ' ');
  return safeText(line.length > 200 ? line.slice(0, 200) + '…' : line);
}

/**
 * Where a redirect pointed, without its path or query (they may hold anything): "http://host:port"
 * for http(s), the scheme alone for others ("file:"), or a note when there was no usable Location.
 */
export function redirectTarget(location: string | undefined, base: string): string {
  if (location === undefined || location.trim() === '') return 'no Location';
  let u: URL;
  try {
    u = new URL(location, base);
  } catch {
    return 'an unreadable Location';
  }
  if (u.protocol === 'http:' || u.protocol === 'https:') return safeText(`${u.protocol}//${u.host}`);
  return safeText(`a ${u.protocol} URL`);
}
