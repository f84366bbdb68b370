// Exact decimal arithmetic for fiat values (DESIGN.md "Fiat"): a price is a decimal string read
// into a scaled bigint, never a binary float; fiat_value = sat x price / 100,000,000 is computed
// exactly, FX rates multiply in before anything is rounded, and the one rounding (half up, to
// cents) happens at the end.

/** A non-negative decimal held exactly: value = units / 10^scale. */
export interface Decimal {
  units: bigint;
  scale: number;
}

/** Digits after the point a price or rate may have (more is refused, never cut). */
export const MAX_DECIMALS = 18;
/** Digits before the point (a BTC price in any currency fits comfortably). */
const MAX_INTEGER_DIGITS = 18;

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * "64123.45" -> 6412345 / 10^2. Plain decimal notation only (no sign, exponent, separators), so
 * what a file or an explorer says is what is used; null when the text is not such a number.
 */
export function parseDecimal(text: string): Decimal | null {
  const m = DECIMAL.exec(text);
  if (!m) return null;
  const int = m[1]!;
  const frac = m[2] ?? '';
  if (int.replace(/^0+(?=\d)/, '').length > MAX_INTEGER_DIGITS || frac.length > MAX_DECIMALS) return null;
  return { units: BigInt(int + frac), scale: frac.length };
}

/** The shortest exact text of a decimal: 6412345/10^2 -> "64123.45", 5/10^1 -> "0.5", 7/10^0 -> "7". */
export function decimalText(d: Decimal): string {
  if (d.scale === 0) return d.units.toString();
  const digits = d.units.toString().padStart(d.scale + 1, '0');
  const int = digits.slice(0, digits.length - d.scale);
  const frac = digits.slice(digits.length - d.scale).replace(/0+$/, '');
  return frac === '' ? int : `${int}.${frac}`;
}

/** a x b, exactly. */
export function multiply(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

export function isZero(d: Decimal): boolean {
  return d.units === 0n;
}

/**
 * Satoshis x price of one BTC (x each FX rate), as an exact 2-decimal string rounded half up:
 * the only rounding in the chain. 1 sat at 64123.45 = 0.0006412345 -> "0.00";
 * 100,000,000 sat at 64123.45 -> "64123.45".
 */
export function fiatAmount(sat: bigint | number, price: Decimal, ...rates: Decimal[]): string {
  const s = typeof sat === 'bigint' ? sat : BigInt(checkSat(sat));
  if (s < 0n) throw new RangeError(`fiatAmount: ${s} sat is negative`);
  let p = price;
  for (const r of rates) p = multiply(p, r);
  // value in cents = s * units / 10^(scale + 8 - 2); half up on the remainder.
  const num = s * p.units;
  const den = 10n ** BigInt(p.scale + 6);
  const cents = (num * 2n + den) / (2n * den);
  return centsText(cents);
}

function checkSat(sat: number): number {
  if (!Number.isSafeInteger(sat))
    throw new RangeError(`fiatAmount: ${String(sat)} is not a whole number of satoshis`);
  return sat;
}

/** Cents as "d.dd": 123456n -> "1234.56", 5n -> "0.05". */
export function centsText(cents: bigint): string {
  const neg = cents < 0n;
  const digits = (neg ? -cents : cents).toString().padStart(3, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** "1234.56" -> 123456n; the inverse of centsText, for adding printed amounts into totals. */
export function parseCents(text: string): bigint {
  const m = /^(\d+)\.(\d\d)$/.exec(text);
  if (!m) throw new RangeError(`not a 2-decimal amount: ${JSON.stringify(text)}`);
  return BigInt(m[1]! + m[2]!);
}

/** Sum of printed 2-decimal amounts, exactly (a total is the sum of the rows as printed). */
export function sumAmounts(amounts: readonly string[]): string {
  let total = 0n;
  for (const a of amounts) total += parseCents(a);
  return centsText(total);
}
