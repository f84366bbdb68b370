// An --api-url may carry a secret: basic-auth credentials (https://user:pass@host/api) or an API
// key in the query string (https://host/api?apikey=...). The transport needs them on every
// request; nothing else may see them (messages, manifests, cache origin, recordings). So the URL
// is split once, here, into a public base (scheme, host, port, path) that every other module
// shows and keys by, and the secret parts that only the HTTP request carries.

export interface ApiUrl {
  /** scheme://host[:port]/path, no trailing slash: what messages, manifests and the cache name. */
  base: string;
  /** The raw query string without "?" (e.g. "apikey=abc"), appended to every request; "" if none. */
  query: string;
  /** "Basic <base64>" when the URL had user info, else null. */
  authorization: string | null;
  /** The secret substrings as written and decoded, to scrub from any text that might echo them. */
  secrets: string[];
}

/** Splits an http(s) URL into its public base and its secret parts; throws RangeError otherwise. */
export function splitApiUrl(url: string): ApiUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new RangeError(
      `API URL must start with http:// or https://, got ${JSON.stringify(publicApiUrl(url))}`,
    );
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.host === '') {
    throw new RangeError(
      `API URL must start with http:// or https://, got ${JSON.stringify(publicApiUrl(url))}`,
    );
  }
  const base = `${u.protocol}//${u.host}${u.pathname}`.replace(/\/+$/, '');
  const query = u.search.replace(/^\?/, '');
  const user = safeDecode(u.username);
  const pass = safeDecode(u.password);
  const authorization =
    u.username || u.password ? `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}` : null;
  const secrets = new Set<string>();
  for (const s of [u.username, u.password, user, pass, query, safeDecode(query)])
    if (s.length >= 3) secrets.add(s);
  for (const [, v] of new URLSearchParams(query)) if (v.length >= 3) secrets.add(v);
  if (authorization) secrets.add(authorization.slice(6));
  return { base, query, authorization, secrets: [...secrets].sort((a, b) => b.length - a.length) };
}

/**
 * The URL without user info, query or fragment, for display. Works on text that is not a valid
 * URL too (it is used in the message that says so), by cutting at the first "?" and "#" and
 * dropping anything before an "@" in the authority.
 */
export function publicApiUrl(url: string): string {
  const cut = url.split(/[?#]/, 1)[0]!;
  const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/]*)(.*)$/.exec(cut);
  if (!m) return cut;
  const authority = m[2]!.includes('@') ? m[2]!.slice(m[2]!.lastIndexOf('@') + 1) : m[2]!;
  return `${m[1]}${authority}${m[3]}`.replace(/\/+$/, '');
}

/** `text` with every secret replaced by "***" (for errors that might echo a request URL). */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
