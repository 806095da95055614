import { seededRandom } from "../seededRandom";

/*
 * The soak's workload, decided up front from a seed: the same seed plans the same customers, orders,
 * outcomes and webhook faults (only the timing of a real run varies).
 */

export interface SoakSizes {
  seed: number;
  customers: number;
  orders: number;
}

export interface SoakCustomer {
  uid: string;
  email: string;
  phoneNumber: string;
  /** GHS, with the float noise DataSell's records carry. */
  walletBalance: number;
  notificationPreferences: { sms: boolean; push: boolean; email: boolean };
  pushToken?: string;
}

/** What happens to an order. */
export type OrderFate =
  /** Datamart refused the purchase: the app marks it failed and never charges. */
  | "refused"
  | "delivered"
  | "failed"
  /** Datamart fails it, then reprocesses and delivers it. */
  | "failed-then-delivered";

export interface SoakOrder {
  id: string;
  customer: number;
  networkIndex: number;
  gb: number;
  paymentMethod: "wallet" | "direct";
  fate: OrderFate;
  /** Datamart charges more than its price at purchase (a planted amount-differs). */
  chargeDiffers: boolean;
  /**
   * A slow portal's order, placed two hours ago (its `timestamp` says so) and delivered late with its
   * webhook lost: only the poll's aging orders find it soon (about 1 %).
   */
  slowPortal: boolean;
  /** Seconds into the placing phase the order is placed at. */
  at: number;
  /** Datamart's steps: seconds from placement to processing, and to its final status. */
  processingAfter: number;
  finalAfter: number;
}

export function planWorkload(sizes: SoakSizes, placeSeconds: number) {
  const random = seededRandom(sizes.seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const customers: SoakCustomer[] = Array.from({ length: sizes.customers }, (_, i) => ({
    uid: `soak-c${i}`,
    email: `c${i}@soak.datasell.test`,
    phoneNumber: `024${String(1_000_000 + i).padStart(7, "0")}`,
    walletBalance: Math.round(random() * 200_00) / 100 + 0.1 + 0.2 - 0.3,
    notificationPreferences: { sms: random() < 0.9, push: random() < 0.7, email: random() < 0.3 },
    ...(random() < 0.6
      ? { pushToken: `soak-device-token-${i}-${Math.floor(random() * 1e9)}` }
      : {}),
  }));
  const orders: SoakOrder[] = Array.from({ length: sizes.orders }, (_, i) => {
    const roll = random();
    const fate: OrderFate =
      roll < 0.04
        ? "refused"
        : roll < 0.14
          ? "failed"
          : roll < 0.16
            ? "failed-then-delivered"
            : "delivered";
    const processingAfter = 0.5 + random() * 2;
    return {
      id: `SOAK-${String(i).padStart(5, "0")}`,
      customer: Math.floor(random() * sizes.customers),
      networkIndex: Math.floor(random() * 3),
      gb: pick([1, 2, 5, 10]),
      paymentMethod: random() < 0.7 ? "wallet" : "direct",
      fate,
      chargeDiffers: fate === "delivered" && random() < 0.02,
      // By position, not by the random stream, so the rest of the workload is as it was.
      slowPortal: fate === "delivered" && i % 97 === 5,
      at: (i / sizes.orders) * placeSeconds,
      processingAfter,
      finalAfter: processingAfter + 1 + random() * 6,
    };
  });
  return { customers, orders };
}

/** What becomes of one webhook: most arrive once, some are lost, sent twice, or arrive late. */
export type WebhookFate = "once" | "lost" | "twice" | "late";

export function webhookFates(seed: number): () => WebhookFate {
  const random = seededRandom(seed ^ 0x5eed);
  return () => {
    const roll = random();
    return roll < 0.05 ? "lost" : roll < 0.1 ? "twice" : roll < 0.15 ? "late" : "once";
  };
}
