// How an Esplora source reaches its data: over HTTP, from a recording directory, or through
// a cache. The Esplora source (esplora.ts) parses and validates whatever a transport returns,
// so offline recordings and cached answers go through the same checks as live ones.

export interface TransportResponse {
  /** HTTP status (a directory transport answers 200 for a recorded file). */
  status: number;
  /** Raw body text, exactly as received (JSON or plain text). */
  body: string;
  /** Lower-cased header names; empty for offline transports. */
  headers: Record<string, string>;
}

export interface TransportStats {
  /** Requests that reached the network (or the directory), retries included. */
  requests: number;
  retries: number;
}

export interface Transport {
  /** Human-readable origin, e.g. "https://mempool.space/api" or "offline fixtures/demo". */
  readonly description: string;
  /**
   * GET an Esplora path such as "/tx/<txid>". Resolves with 2xx answers; 404 and 400 reject
   * with NotFoundError / BadRequestError; 429, 5xx, timeouts and connection errors are retried
   * and finally reject with UnavailableError.
   */
  get(path: string): Promise<TransportResponse>;
  stats(): TransportStats;
}
