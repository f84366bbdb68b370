// Amounts as people and spreadsheets read them. Satoshis stay integers all the way to the
// printed digit: BTC strings are built by placing a decimal point in the integer's digits, never
// by dividing by 1e8 (0.1 + 0.2 style errors must not reach a case file).

const SAT_PER_BTC_DIGITS = 8;

function assertSat(sat: number, what: string): void {
  if (!Number.isSafeInteger(sat)) {
    throw new RangeError(`${what}: ${String(sat)} is not a whole number of satoshis (safe integer)`);
  }
}

/**
 * Satoshis as BTC with exactly 8 decimals: 6369996546 -> "63.69996546", 1 -> "0.00000001",
 * -5 -> "-0.00000005". Throws on a fraction or an unsafe integer: round first (roundSat).
 */
export function formatBtc(sat: number): string {
  assertSat(sat, 'formatBtc');
  const negative = sat < 0;
  const digits = String(Math.abs(sat)).padStart(SAT_PER_BTC_DIGITS + 1, '0');
  const cut = digits.length - SAT_PER_BTC_DIGITS;
  return `${negative ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/**
 * Haircut taint (an exact float) to whole satoshis, rounding half up on the float as held:
 * 66666666.666666664 (200000000/3) -> 66666667, 2.5 -> 3, 2.4999 -> 2; integers come back
 * unchanged. "Up" means toward +infinity, so -2.5 -> -2 (taint is never negative; stated for
 * completeness). `x - floor(x)` is exact in binary floating point, so the half-way test never
 * suffers the 0.49999999999999994 + 0.5 === 1 error of Math.floor(x + 0.5).
 * Rounding happens per printed value, never per hop (DESIGN.md).
 */
export function roundSat(x: number): number {
  if (!Number.isFinite(x)) throw new RangeError(`roundSat: ${String(x)} is not a finite amount of satoshis`);
  if (Number.isInteger(x)) {
    assertSat(x, 'roundSat');
    return x;
  }
  const floor = Math.floor(x);
  const rounded = x - floor >= 0.5 ? floor + 1 : floor;
  assertSat(rounded, 'roundSat');
  return rounded;
}

/** Satoshis with thousands separators for tables: 6369996546 -> "6,369,996,546" (locale-free). */
export function formatSat(sat: number): string {
  assertSat(sat, 'formatSat');
  const digits = String(Math.abs(sat));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return sat < 0 ? `-${out}` : out;
}
