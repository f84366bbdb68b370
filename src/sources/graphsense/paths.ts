// GraphSense REST paths btctrace asks (graphsense-REST openapi_spec/graphsense.yaml, v1.x), for
// Bitcoin only. The base URL is the API root the user gives (https://api.ikna.io, or a
// self-hosted http://host:9000), without the currency.

const CURRENCY = 'btc';

/** Addresses per address-history page (the API's pagesize; it pages with a next_page token). */
export const HISTORY_PAGE_SIZE = 100;

export const graphsensePath = {
  /**
   * The transaction with its inputs and outputs. include_nonstandard_io keeps OP_RETURN and
   * other address-less outputs (left out by default, which would shift output positions), and
   * include_io_index gives each input and output its position.
   */
  tx: (txid: string): string =>
    `/${CURRENCY}/txs/${txid}?include_io=true&include_nonstandard_io=true&include_io_index=true`,
  /** For each input of the transaction: the transaction and output it spends. */
  spending: (txid: string): string => `/${CURRENCY}/txs/${txid}/spending`,
  /** For each spent output of the transaction: the transaction and input that spend it. */
  spentIn: (txid: string): string => `/${CURRENCY}/txs/${txid}/spent_in`,
  addressTxs: (address: string, page: string | null): string =>
    `/${CURRENCY}/addresses/${encodeURIComponent(address)}/txs?pagesize=${HISTORY_PAGE_SIZE}` +
    (page === null ? '' : `&page=${encodeURIComponent(page)}`),
  address: (address: string): string => `/${CURRENCY}/addresses/${encodeURIComponent(address)}`,
  addressTags: (address: string): string => `/${CURRENCY}/addresses/${encodeURIComponent(address)}/tags`,
  addressEntity: (address: string): string => `/${CURRENCY}/addresses/${encodeURIComponent(address)}/entity`,
  entityAddresses: (entity: number, page: string | null): string =>
    `/${CURRENCY}/entities/${entity}/addresses?pagesize=${HISTORY_PAGE_SIZE}` +
    (page === null ? '' : `&page=${encodeURIComponent(page)}`),
  stats: (): string => '/stats',
};

export const GRAPHSENSE_CURRENCY = CURRENCY;
