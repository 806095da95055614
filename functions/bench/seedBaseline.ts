import type { Firestore } from "firebase-admin/firestore";
import { isFinalStatus, mapDatamartStatus } from "../src/domain/orderStatus";
import type { DatamartClient } from "../src/providers/datamart";
import { COLLECTIONS } from "../src/contract";

/** The seed's algorithm, as it was: read every order, filter in memory, ask Datamart one at a time. */
export async function seedBaseline(
  firestore: Firestore,
  datamart: DatamartClient,
): Promise<{ checked: number; changed: number }> {
  const all = await firestore.collection(COLLECTIONS.transactions).get();
  const pending = all.docs.filter(
    (d) => !isFinalStatus(d.get("status")) && d.get("datamartTransactionId"),
  );
  let changed = 0;
  for (const doc of pending) {
    try {
      const answer = await datamart.fetchOrderStatus(String(doc.get("datamartTransactionId")));
      const status = mapDatamartStatus(answer.orderStatus);
      if (status && status !== doc.get("status")) {
        await doc.ref.update({
          status,
          datamartStatus: answer.orderStatus,
          lastSyncedAt: new Date().toISOString(),
        });
        changed += 1;
      }
    } catch {
      // The seed logged and went on.
    }
  }
  return { checked: pending.length, changed };
}
