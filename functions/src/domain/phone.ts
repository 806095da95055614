/** Ghana mobile prefixes (after the leading 0): MTN, Telecel, AirtelTigo and their newer ranges. */
const MOBILE_PREFIXES = new Set([
  "20",
  "23",
  "24",
  "25",
  "26",
  "27",
  "28",
  "50",
  "53",
  "54",
  "55",
  "56",
  "57",
  "59",
]);

/**
 * A Ghana mobile number as mNotify wants it, `233` + 9 digits, from `0XXXXXXXXX`, `233XXXXXXXXX`
 * or `+233XXXXXXXXX`, with any spaces, dashes, dots or parentheses. `undefined` if it is not one.
 */
export function normalizeGhanaPhone(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  const compact = raw.trim().replace(/[\s\-().]/g, "");
  const national = /^(?:\+?233|0)(\d{9})$/.exec(compact)?.[1];
  if (!national || !MOBILE_PREFIXES.has(national.slice(0, 2))) return undefined;
  return `233${national}`;
}

/**
 * The spellings an order's `phoneNumber` may carry for the number `raw` names (the app stores what
 * the customer typed): `0XXXXXXXXX`, `233XXXXXXXXX` and `+233XXXXXXXXX`. Empty if it is not one.
 */
export function phoneSpellings(raw: string): string[] {
  const normalized = normalizeGhanaPhone(raw);
  if (!normalized) return [];
  const national = normalized.slice(3);
  return [`0${national}`, normalized, `+${normalized}`];
}
