// Named public Esplora providers and the request policy each host gets by default.
//
// Public hosts publish no numbers but answer bursts with 429 and may ban clients that keep
// hitting their limits (reference/explorer-apis.md 1.4). blockstream.info sends no Retry-After,
// and the community workaround there is >= 250 ms between calls, i.e. 4 req/s; mempool.space's
// sample nginx config (a self-hosting template, not proof of production values) allows
// 200 req/min in its api zone and 2000 req/min in its electrs zone. So public hosts get
// 4 requests/s and 4 in flight: the rate is the politeness bound, and 4 in flight keep that
// rate busy at the ~0.5-1 s latency of a loaded public host (one in flight would cap a trace
// at ~1-2 req/s). A self-hosted instance (any other URL) is the user's own: no rate limit,
// 8 in flight. User options (--concurrency, --rate) always win.

export type ProviderName = 'mempool' | 'blockstream';
export type Network = 'mainnet' | 'testnet' | 'signet';

export const PROVIDER_NAMES: readonly ProviderName[] = ['mempool', 'blockstream'];
export const NETWORKS: readonly Network[] = ['mainnet', 'testnet', 'signet'];
export const DEFAULT_PROVIDER: ProviderName = 'mempool';

/** Chain-wide backends that are not Esplora hosts; each needs its own --api-url (or project). */
export type BackendName = 'graphsense';
export const BACKEND_NAMES: readonly BackendName[] = ['graphsense'];

const PROVIDERS: Record<ProviderName, { origin: string }> = {
  mempool: { origin: 'https://mempool.space' },
  blockstream: { origin: 'https://blockstream.info' },
};

/** API base URL of a named provider on a network, e.g. https://mempool.space/testnet/api. */
export function providerBaseUrl(provider: ProviderName, network: Network): string {
  const p = PROVIDERS[provider];
  if (!p)
    throw new RangeError(`unknown provider ${JSON.stringify(provider)}: use ${PROVIDER_NAMES.join(' or ')}`);
  const prefix = network === 'mainnet' ? '' : `/${network}`;
  return `${p.origin}${prefix}/api`;
}

export type PublicHost = 'mempool.space' | 'blockstream.info';

/** The public host a base URL points at, whatever its spelling (www., enterprise., case), or null. */
export function publicHost(baseUrl: string): PublicHost | null {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return null;
  }
  for (const known of ['mempool.space', 'blockstream.info'] as const) {
    if (host === known || host.endsWith(`.${known}`)) return known;
  }
  return null;
}

export interface HostPolicy {
  concurrency: number;
  /** Requests per second; 0 = unlimited. */
  rate: number;
  /** Use GET /txs/outspends?txids= (mempool/electrs only; plain Blockstream electrs lacks it). */
  bulkOutspends: boolean;
}

/** Default policy for a base URL; `overrides` (user options) win where given. */
export function hostPolicy(baseUrl: string, overrides: Partial<HostPolicy> = {}): HostPolicy {
  const host = publicHost(baseUrl);
  const defaults: HostPolicy = host
    ? { concurrency: 4, rate: 4, bulkOutspends: host === 'mempool.space' }
    : { concurrency: 8, rate: 0, bulkOutspends: false };
  return {
    concurrency: overrides.concurrency ?? defaults.concurrency,
    rate: overrides.rate ?? defaults.rate,
    bulkOutspends: overrides.bulkOutspends ?? defaults.bulkOutspends,
  };
}
