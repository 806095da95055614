import { effectiveStatus, isFinalStatus, type DataSellStatus } from "./orderStatus";

export type StatusDecision =
  | { kind: "changed"; from: string; to: DataSellStatus }
  | { kind: "unchanged"; status: string }
  | { kind: "ignored-final"; status: string };

/**
 * The one move out of a final status: Datamart reprocesses some failed orders and delivers them
 * hours later. `cancelled` and `refunded` stay final.
 */
export const reopensFinal = (from: string, to: string): boolean =>
  from === "failed" && to === "delivered";

/** Why a final status changed, for the status history. */
export const REOPENED_REASON = "Datamart delivered the order after reporting it failed";

/**
 * Whether Datamart's answer changes an order stored with status `from`. Monotonic: a final status
 * stays (but for a failed order delivered after all), so a late or replayed `processing` cannot move
 * `delivered` back; a stored legacy `success` is `processing`.
 */
export function decideStatusChange(from: string, to: DataSellStatus): StatusDecision {
  if (isFinalStatus(from) && !reopensFinal(from, to))
    return { kind: "ignored-final", status: from };
  if (effectiveStatus(from) === to) return { kind: "unchanged", status: from };
  return { kind: "changed", from, to };
}
