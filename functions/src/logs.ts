import * as logger from "firebase-functions/logger";

/** `233241234567` -> `23324*****67`: enough to tell numbers apart in support, not enough to call. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return "";
  const digits = phone.replace(/\D/g, "");
  if (digits.length <= 7) return "*".repeat(digits.length);
  return `${digits.slice(0, 5)}${"*".repeat(digits.length - 7)}${digits.slice(-2)}`;
}

export { logger };

export function logStatusChanged(orderId: string, from: string, to: string, source: string): void {
  logger.info("Order status changed", { orderId, from, to, source });
}
