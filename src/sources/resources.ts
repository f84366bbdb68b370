// Esplora resource paths, and the file name each answer has in a recording directory.
// File names follow the convention of shared/realdata/esplora (tx_<txid>.json,
// address_<addr>_txs.json, blocks_tip_height.txt ...), so a recorded case and the real
// recordings there read the same way.

export const esploraPath = {
  tx: (txid: string) => `/tx/${txid}`,
  txHex: (txid: string) => `/tx/${txid}/hex`,
  outspends: (txid: string) => `/tx/${txid}/outspends`,
  outspendsMany: (txids: readonly string[]) => `/txs/outspends?txids=${txids.join(',')}`,
  address: (address: string) => `/address/${address}`,
  addressTxs: (address: string) => `/address/${address}/txs`,
  addressTxsChain: (address: string, lastSeenTxid: string) => `/address/${address}/txs/chain/${lastSeenTxid}`,
  tipHeight: () => '/blocks/tip/height',
  /** mempool.space price history (src/prices/explorer.ts): the last price before `timestamp`. */
  historicalPrice: (currency: string, timestamp: number) =>
    `/v1/historical-price?currency=${currency}&timestamp=${timestamp}`,
} as const;

/** A price-history path, as recordingFile and the cache recognise it. */
export const HISTORICAL_PRICE_PATH = /^\/v1\/historical-price\?currency=([A-Z]{3})&timestamp=(\d{1,12})$/;

/**
 * The recording file for one Esplora path, or null for paths that are not recorded
 * (bulk outspends are recorded per transaction instead).
 * /tx/T -> tx_T.json; /tx/T/outspends -> tx_T_outspends.json; /tx/T/hex -> tx_T_hex.txt;
 * /address/A -> address_A.json; /address/A/txs -> address_A_txs.json;
 * /address/A/txs/chain/T -> address_A_txs_chain_T.json; /blocks/tip/height -> blocks_tip_height.txt;
 * /v1/historical-price?currency=C&timestamp=N -> v1_historical-price_C_N.json.
 */
export function recordingFile(path: string): string | null {
  const price = HISTORICAL_PRICE_PATH.exec(path);
  if (price) return `v1_historical-price_${price[1]}_${price[2]}.json`;
  if (path.includes('?')) return null;
  const parts = path.split('/').filter(Boolean);
  if (!parts.every((p) => /^[A-Za-z0-9]+$/.test(p))) return null; // never a path traversal
  const name = parts.join('_');
  const text = path === esploraPath.tipHeight() || path.endsWith('/hex');
  return name + (text ? '.txt' : '.json');
}
