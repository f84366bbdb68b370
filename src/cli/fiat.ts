// --fiat <CUR>, --prices <file>, --fx <file>: checked before any request, then turned into a
// pricer over the explorer's price history (through the chain data's transport: same rate limit,
// cache, --record and --offline) or an offline table.
import { InputError } from '../model/errors.js';
import type { ValidatingTransport } from '../sources/http.js';
import { ExplorerPrices } from '../prices/explorer.js';
import { FiatPricer } from '../prices/fiat.js';
import { FxTable, PriceTable, readBounded } from '../prices/tables.js';
import { CURRENCY } from '../prices/types.js';
import type { SourceRequest } from './source-options.js';

export interface FiatRequest {
  currency: string;
  pricesFile: string | null;
  fxFile: string | null;
}

/** Null without --fiat; --prices/--fx without --fiat are refused (they would do nothing). */
export function fiatRequest(opts: Record<string, unknown>): FiatRequest | null {
  const str = (k: string) => (typeof opts[k] === 'string' ? opts[k] : null);
  const fiat = str('fiat');
  if (fiat === null) {
    for (const flag of ['prices', 'fx'] as const) {
      if (str(flag) !== null) throw new InputError(`--${flag} needs --fiat <currency>`);
    }
    return null;
  }
  const currency = fiat.trim().toUpperCase();
  if (!CURRENCY.test(currency))
    throw new InputError(`--fiat ${fiat}: not a 3-letter currency code (e.g. USD, EUR, KGS)`);
  return { currency, pricesFile: str('prices'), fxFile: str('fx') };
}

/**
 * The pricer for a run. Files are read and checked here (bad rows are errors before any
 * request). Without --prices, prices come from the explorer's history through `transport`;
 * that needs a mempool-style host (the default provider, an --api-url of a mempool instance,
 * or an --offline recording made with --fiat).
 */
export function openPricer(
  req: FiatRequest,
  source: SourceRequest,
  transport: ValidatingTransport | undefined,
): FiatPricer {
  const fx = req.fxFile === null ? null : new FxTable(readBounded(req.fxFile, '--fx'), req.fxFile);
  if (req.pricesFile !== null) {
    return new FiatPricer(
      req.currency,
      new PriceTable(readBounded(req.pricesFile, '--prices'), req.pricesFile),
      fx,
    );
  }
  if (source.network !== 'mainnet') {
    throw new InputError(`--fiat on ${source.network}: test coins have no price; give --prices <file>`);
  }
  if (!source.offline && !source.apiUrl && source.provider !== 'mempool') {
    throw new InputError(
      `--fiat: ${source.provider} has no price history; use --provider mempool or --prices <file>`,
    );
  }
  if (!transport)
    throw new InputError('--fiat: this explorer client cannot ask for prices; give --prices <file>');
  return new FiatPricer(req.currency, new ExplorerPrices(transport), fx);
}
