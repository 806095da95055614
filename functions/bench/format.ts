/** A figure as the bench's tables print it: thousands separated, `digits` decimals. */
export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
