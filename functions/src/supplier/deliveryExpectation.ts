import type { Firestore } from "firebase-admin/firestore";
import { deliveryExpectation, type DeliveryExpectation } from "../domain/deliveryExpectation";
import type { StatsSummary } from "../domain/dailyStats";
import { toDate } from "../domain/order";
import { COLLECTIONS } from "../contract";

/**
 * What a customer with an open order on `network` may expect, from the one document supplier health
 * keeps (`supplierHealth/current`: the 7 days' figures and Datamart's tracker message); null when it
 * is missing or stale. One small read, for the status check and the `processing` message.
 */
export async function readDeliveryExpectation(
  db: Firestore,
  network: string | null | undefined,
  now: Date,
): Promise<DeliveryExpectation | null> {
  const health = await db.collection(COLLECTIONS.supplierHealth).doc("current").get();
  const checkedAt = toDate(health.get("checkedAt"));
  if (!checkedAt) return null;
  return deliveryExpectation(
    {
      checkedAt,
      last7d: (health.get("delivery.last7d") as Record<string, StatsSummary> | undefined) ?? {},
      trackerMessage: health.get("trackerMessage") as string | null | undefined,
    },
    network,
    now,
  );
}
