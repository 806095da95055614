import { FieldPath, type Firestore } from "firebase-admin/firestore";
import { deliveredWithoutCharge, type Mismatch } from "../domain/reconciliation";
import { COLLECTIONS, type ReconciliationReport } from "../contract";
import { readMarks } from "./chargeMarks";
import { orderView, TRANSACTION_REFERENCE } from "./ledgerOrders";

/** The last order the check read: it goes on after it. */
export interface DeliveredPlace {
  lastSyncedAt: string;
  id: string;
}

/** Delivered orders checked per query. */
const PAGE = 300;

/**
 * One page of the orders delivered in the report's window (applyStatus writes `lastSyncedAt`), in
 * that order: each that no ledger movement marked is delivered without charge (Datamart charged
 * nothing for it, in this window or an earlier one).
 */
export async function deliveredUncharged(
  db: Firestore,
  window: Pick<ReconciliationReport, "windowStart" | "windowEnd">,
  after: DeliveredPlace | undefined,
): Promise<{ mismatches: Mismatch[]; after?: DeliveredPlace; done: boolean }> {
  let query = db
    .collection(COLLECTIONS.transactions)
    .where("status", "==", "delivered")
    .where("lastSyncedAt", ">=", window.windowStart)
    .where("lastSyncedAt", "<=", window.windowEnd)
    .orderBy("lastSyncedAt")
    .orderBy(FieldPath.documentId())
    .limit(PAGE);
  if (after) query = query.startAfter(after.lastSyncedAt, after.id);
  const { docs } = await query.get();
  const marks = await readMarks(
    db,
    docs.map((d) => d.id),
  );
  const mismatches = docs.flatMap((doc) => {
    const view = marks.has(doc.id) ? undefined : orderView(doc);
    // Keyed as the movements are matched: by the transaction reference, else the order's id.
    const key = (doc.get(TRANSACTION_REFERENCE) as string | undefined) ?? doc.id;
    return view ? [deliveredWithoutCharge(key, view)] : [];
  });
  const last = docs.at(-1);
  return {
    mismatches,
    ...(last ? { after: { lastSyncedAt: String(last.get("lastSyncedAt")), id: last.id } } : {}),
    done: docs.length < PAGE,
  };
}
