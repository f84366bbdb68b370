// Times in output: UTC ISO-8601, second precision, the same on every machine and time zone.

/** 9999-12-31T23:59:59Z: beyond it ISO-8601 needs a six-digit signed year. */
const MAX_TIME = 253402300799;

/** Unix seconds to UTC ISO-8601 without milliseconds: 1623042924 -> "2021-06-07T05:15:24Z". */
export function formatTime(unixSeconds: number): string {
  if (!Number.isSafeInteger(unixSeconds) || unixSeconds < 0 || unixSeconds > MAX_TIME) {
    throw new RangeError(
      `formatTime: ${String(unixSeconds)} is not a block time (whole seconds, 0..${MAX_TIME})`,
    );
  }
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
