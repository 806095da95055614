import { Timestamp, type DocumentData, type Firestore } from "firebase-admin/firestore";
import { orderSchema } from "../domain/order";
import { adoptionReason, type AdoptionReason } from "../domain/pollSchedule";
import { logOrderAdopted } from "../logs";
import { COLLECTIONS } from "../contract";

export interface OrderWrite {
  orderId: string;
  /** Absent when the write created the order. */
  before?: DocumentData;
  after: DocumentData;
  writtenAt: Date;
}

/** What an adoption needs: the store, and how long an order counts as young. */
export interface AdoptionDeps {
  db: Firestore;
  freshForMs: number;
}

/**
 * Called by the order triggers on every write: when the write made the order checkable where the
 * sync's own queries will not find it soon (see adoptionReason), records it in `syncAdoptions` for
 * the next run. One small write per such order, none for any other write.
 */
export async function adoptIfUnreachable(
  { db, freshForMs }: AdoptionDeps,
  write: OrderWrite,
): Promise<AdoptionReason | undefined> {
  const after = orderSchema.safeParse(write.after);
  if (!after.success) return undefined;
  const before = write.before ? orderSchema.safeParse(write.before) : undefined;
  const reason = adoptionReason(
    before?.success ? before.data : undefined,
    after.data,
    write.writtenAt,
    freshForMs,
  );
  if (!reason) return undefined;
  await db
    .collection(COLLECTIONS.syncAdoptions)
    .doc(write.orderId)
    .set({ reason, adoptedAt: Timestamp.fromDate(write.writtenAt) });
  logOrderAdopted(write.orderId, reason);
  return reason;
}
