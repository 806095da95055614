import { networkName } from "./networks";
import { placedAt } from "./pollSchedule";
import { isFinalStatus } from "./orderStatus";
import { toDate } from "./order";

/*
 * Supplier health: DataSell's Datamart wallet against its thresholds, and how long Datamart takes to
 * deliver, per network. Pure: the figures from the orders and the balance given.
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

/** What the figures need of an order. */
export interface DeliveryRecord {
  network: string;
  placedAt: Date;
  status: string;
  /** When it became final here (applyStatus writes `lastSyncedAt`). */
  finalAt?: Date;
}

export function deliveryRecord(order: Record<string, unknown>): DeliveryRecord | undefined {
  const placed = placedAt(order);
  if (!placed || typeof order.status !== "string") return undefined;
  const finalAt = isFinalStatus(order.status) ? toDate(order.lastSyncedAt) : undefined;
  return {
    network:
      networkName(typeof order.network === "string" ? order.network : undefined) || "unknown",
    placedAt: placed,
    status: order.status,
    ...(finalAt ? { finalAt } : {}),
  };
}

export interface NetworkDelivery {
  /** Orders placed in the window. */
  orders: number;
  /** Of them, final here (delivered, failed, cancelled, refunded) with the time it happened. */
  final: number;
  /** Minutes from placement to the final status, over the final orders. */
  p50Minutes: number | null;
  p95Minutes: number | null;
  /** Share (0-1) of the window's orders still open more than an hour after they were placed. */
  openPastHourShare: number;
}

const HOUR = 3_600_000;
/** A network with more than this share of its orders still open past an hour has stalled. */
const STALLED_SHARE = 0.2;

/** The networks whose deliveries have stalled: over a fifth of their orders open past an hour. */
export function stalledNetworks(byNetwork: Record<string, NetworkDelivery>): string[] {
  return Object.entries(byNetwork)
    .filter(([, n]) => n.openPastHourShare > STALLED_SHARE)
    .map(([network]) => network);
}

const percentile = (sorted: number[], p: number): number | null =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

/** Delivery figures per network for the orders placed within `windowMs` before `now`. */
export function deliveryStats(
  records: DeliveryRecord[],
  now: Date,
  windowMs: number,
): Record<string, NetworkDelivery> {
  const since = now.getTime() - windowMs;
  const byNetwork = new Map<string, DeliveryRecord[]>();
  for (const r of records) {
    if (r.placedAt.getTime() < since) continue;
    byNetwork.set(r.network, [...(byNetwork.get(r.network) ?? []), r]);
  }
  const result: Record<string, NetworkDelivery> = {};
  for (const [network, orders] of [...byNetwork].sort(([a], [b]) => a.localeCompare(b))) {
    const minutes = orders
      .filter((o) => isFinalStatus(o.status) && o.finalAt)
      .map((o) => (o.finalAt!.getTime() - o.placedAt.getTime()) / 60_000)
      .sort((a, b) => a - b);
    const stuck = orders.filter(
      (o) => !isFinalStatus(o.status) && now.getTime() - o.placedAt.getTime() > HOUR,
    ).length;
    result[network] = {
      orders: orders.length,
      final: minutes.length,
      p50Minutes: percentile(minutes, 0.5),
      p95Minutes: percentile(minutes, 0.95),
      openPastHourShare: stuck / orders.length,
    };
  }
  return result;
}
