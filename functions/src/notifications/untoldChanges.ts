import { Timestamp } from "firebase-admin/firestore";
import { notificationId } from "./notificationRecord";
import { notifyStatusChange, type NotifyDeps } from "./notifyStatusChange";
import { COLLECTIONS } from "../contract";

/** How far back the sweep looks for status changes that were never told. */
const LOOK_BACK_MS = 30 * 60_000;
/** A change this recent is left to its own trigger, which may still be at work. */
const TRIGGER_GRACE_MS = 2 * 60_000;
const NOTIFYING: ReadonlySet<string> = new Set([
  "processing",
  "delivered",
  "failed",
  "cancelled",
  "refunded",
]);

/**
 * The sweep's net under the status trigger: every status change applyStatus made (its
 * `statusHistory` entry) in the last half hour but the last two minutes whose records do not exist
 * (the trigger failed before its transaction, or its event was lost for good) is handled as the
 * trigger would have: records made once, the customer told, or each channel SKIPPED with the reason
 * (out of date, when the order has moved on since). Reads the window's entries and one marker each.
 * Answers how many changes it recovered.
 */
export async function recoverUntoldChanges(
  deps: NotifyDeps,
  now: Date,
  limit: number,
): Promise<{ recovered: number; more: boolean }> {
  const entries = await deps.db
    .collectionGroup(COLLECTIONS.statusHistory)
    .where("at", ">=", Timestamp.fromMillis(now.getTime() - LOOK_BACK_MS))
    .where("at", "<", Timestamp.fromMillis(now.getTime() - TRIGGER_GRACE_MS))
    .orderBy("at")
    .limit(limit)
    .get();
  const told = entries.docs.filter((entry) => NOTIFYING.has(String(entry.get("to"))));
  const orderOf = (entry: (typeof told)[number]) => entry.ref.parent.parent!;
  const markers = told.length
    ? await deps.db.getAll(
        ...told.map((entry) =>
          deps.db
            .collection(COLLECTIONS.orderNotifications)
            .doc(notificationId(orderOf(entry).id, String(entry.get("to")))),
        ),
      )
    : [];
  let recovered = 0;
  for (const [i, entry] of told.entries()) {
    if (markers[i].exists) continue;
    const order = await orderOf(entry).get();
    const data = order.data();
    if (!data) continue;
    const outcome = await notifyStatusChange(deps, {
      transactionId: order.id,
      before: { ...data, status: String(entry.get("from")) },
      after: { ...data, status: String(entry.get("to")) },
      current: String(data.status),
    });
    if (outcome.kind === "recorded") recovered += 1;
  }
  return { recovered, more: entries.size === limit };
}
