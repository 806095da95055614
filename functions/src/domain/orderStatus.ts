/** DataSell's order statuses. `processing` is the only one the sync still has to resolve. */
export const FINAL_STATUSES = ["delivered", "failed", "cancelled", "refunded"] as const;
export type FinalStatus = (typeof FINAL_STATUSES)[number];
export type DataSellStatus = "processing" | FinalStatus;

/**
 * Stored statuses of orders that are not final yet. Older DataSell code wrote `success` the moment
 * Datamart accepted an order (not when it was delivered), so a stored `success` is still open.
 */
export const OPEN_STATUSES = ["processing", "success"] as const;

const DATAMART_TO_DATASELL: Readonly<Record<string, DataSellStatus>> = {
  pending: "processing",
  waiting: "processing",
  processing: "processing",
  completed: "delivered",
  delivered: "delivered",
  success: "delivered",
  failed: "failed",
  cancelled: "cancelled",
  refunded: "refunded",
};

export function isFinalStatus(status: unknown): status is FinalStatus {
  return (FINAL_STATUSES as readonly unknown[]).includes(status);
}

/** The stored status as DataSell means it: legacy `success` reads as `processing`. */
export function effectiveStatus(stored: unknown): string {
  return stored === "success" ? "processing" : String(stored);
}

/**
 * Maps Datamart's raw order status (case-insensitive, trimmed) to DataSell's vocabulary.
 * Returns `undefined` for a status Datamart has not documented: the caller leaves the order as it is.
 */
export function mapDatamartStatus(raw: string): DataSellStatus | undefined {
  const key = raw.trim().toLowerCase();
  return Object.hasOwn(DATAMART_TO_DATASELL, key) ? DATAMART_TO_DATASELL[key] : undefined;
}

/**
 * Whether a webhook's event name (`order.completed`) and the status in its body say the same
 * thing. A signed body that contradicts itself is trusted neither way: the poll finds the truth.
 * `order.created` is an open order; an event name of no known status agrees with nothing.
 */
export function eventAgreesWithStatus(event: string, status: string): boolean {
  const named = event.replace(/^order\./, "");
  const byEvent = named === "created" ? "processing" : mapDatamartStatus(named);
  return byEvent !== undefined && byEvent === mapDatamartStatus(status);
}
