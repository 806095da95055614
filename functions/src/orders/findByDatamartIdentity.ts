import type { Firestore, QueryDocumentSnapshot } from "firebase-admin/firestore";
import { COLLECTIONS } from "../contract";

export interface DatamartIdentity {
  /** Datamart's purchase id: DataSell stores it in `datamartTransactionId`. */
  orderId?: string;
  /** `GN-…`: in `datamartResponse.orderReference` (or a top-level `orderReference`). */
  orderReference?: string;
  /** `TRX-…`: in `datamartResponse.transactionReference`. */
  transactionReference?: string;
}

/**
 * The order Datamart means, found by equality on the fields DataSell already stores. Each is a
 * single-field index Firestore keeps automatically (map subfields included), so no lookup field is
 * added. Tries the strongest id first; stops at the first match.
 */
export async function findOrderByDatamartIdentity(
  db: Firestore,
  identity: DatamartIdentity,
): Promise<QueryDocumentSnapshot | undefined> {
  const orders = db.collection(COLLECTIONS.transactions);
  const lookups: [string, string | undefined][] = [
    ["datamartTransactionId", identity.orderId],
    ["datamartResponse.orderReference", identity.orderReference],
    ["orderReference", identity.orderReference],
    ["datamartResponse.transactionReference", identity.transactionReference],
  ];
  for (const [field, value] of lookups) {
    if (!value) continue;
    const found = await orders.where(field, "==", value).limit(1).get();
    if (!found.empty) return found.docs[0];
  }
  return undefined;
}
