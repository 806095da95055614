import { networkName } from "./networks";
import { placedAt } from "./pollSchedule";

/*
 * Supplier health: DataSell's Datamart wallet against its thresholds, and which networks' deliveries
 * have stalled. Pure: the figures from the balance, the day's counts and the open orders given.
 */

export type BalanceLevel = "ok" | "low" | "critical";

export function balanceLevel(
  balanceGhs: number,
  lowGhs: number,
  criticalGhs: number,
): BalanceLevel {
  if (balanceGhs <= criticalGhs) return "critical";
  if (balanceGhs <= lowGhs) return "low";
  return "ok";
}

/** A network's open orders now: all of them, and those placed over an hour ago. */
export interface OpenOrders {
  open: number;
  pastHour: number;
}

const HOUR = 3_600_000;
/** A network stalls when more than this share of its recent orders has been open past an hour. */
const STALLED_SHARE = 0.2;

/** Counts open orders per network (by the name customers know); orders without a placement skipped. */
export function openByNetwork(
  orders: readonly Record<string, unknown>[],
  now: Date,
): Record<string, OpenOrders> {
  const result: Record<string, OpenOrders> = {};
  for (const order of orders) {
    const placed = placedAt(order);
    if (!placed) continue;
    const network =
      networkName(typeof order.network === "string" ? order.network : undefined) || "unknown";
    const counts = (result[network] ??= { open: 0, pastHour: 0 });
    counts.open += 1;
    if (now.getTime() - placed.getTime() > HOUR) counts.pastHour += 1;
  }
  return result;
}

/**
 * The networks whose deliveries have stalled: orders open past an hour are over a fifth of the
 * network's recent orders (those open now and those that became final today).
 */
export function stalledNetworks(
  open: Record<string, OpenOrders>,
  finalToday: Record<string, number>,
): string[] {
  return Object.entries(open)
    .filter(
      ([network, n]) =>
        n.pastHour > 0 && n.pastHour > STALLED_SHARE * (n.open + (finalToday[network] ?? 0)),
    )
    .map(([network]) => network)
    .sort();
}
