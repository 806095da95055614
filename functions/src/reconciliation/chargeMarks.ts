import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { COLLECTIONS } from "../contract";

/*
 * `reconciliationCharges/{orderId}`: Datamart's ledger has a movement for this order, and which report
 * last read one. Kept beside the orders instead of in a report's memory, so a report of 20,000 orders
 * holds no list of them: "delivered without charge" asks these marks, a page of orders at a time, and
 * an order charged in an earlier report's window (a slow delivery, the failed watch) is found marked.
 */

/** Longer than any order waits between its charge and its delivery, and than the gap between reports. */
const MARK_DAYS = 35;
/** Firestore's most writes in one batch. */
const BATCH_LIMIT = 500;

const marks = (db: Firestore) => db.collection(COLLECTIONS.reconciliationCharges);

/** Which of these orders are marked, and the report that last matched each (if one did). */
export async function readMarks(
  db: Firestore,
  orderIds: string[],
): Promise<Map<string, string | undefined>> {
  if (orderIds.length === 0) return new Map();
  const snapshots = await db.getAll(...orderIds.map((id) => marks(db).doc(id)));
  return new Map(
    snapshots
      .filter((s) => s.exists)
      .map((s) => [s.id, s.get("lastReportId") as string | undefined] as const),
  );
}

/**
 * Marks orders charged: with the report that matched them in its window, or with none for a charge
 * read only to know the order was paid for (before the first report's window).
 */
export async function markCharged(
  db: Firestore,
  orderIds: string[],
  reportId: string | undefined,
  now: Date,
): Promise<void> {
  const expireAt = Timestamp.fromMillis(now.getTime() + MARK_DAYS * 86_400_000);
  for (let i = 0; i < orderIds.length; i += BATCH_LIMIT) {
    const batch = db.batch();
    for (const id of orderIds.slice(i, i + BATCH_LIMIT))
      batch.set(
        marks(db).doc(id),
        { expireAt, ...(reportId ? { lastReportId: reportId } : {}) },
        {
          merge: true,
        },
      );
    await batch.commit();
  }
}
