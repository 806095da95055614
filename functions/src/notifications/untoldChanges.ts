import { Timestamp, type DocumentReference } from "firebase-admin/firestore";
import { notificationId } from "./notificationRecord";
import { notifyStatusChange, type NotifyDeps } from "./notifyStatusChange";
import { COLLECTIONS } from "../contract";
import { placedSince } from "../orders/orderQueries";
import { placedAt } from "../domain/pollSchedule";

/** How far back the sweep looks for status changes that were never told. */
const LOOK_BACK_MS = 30 * 60_000;
/** A change this recent is left to its own trigger, which may still be at work. */
export const TRIGGER_GRACE_MS = 2 * 60_000;
const NOTIFYING: ReadonlySet<string> = new Set([
  "processing",
  "delivered",
  "failed",
  "cancelled",
  "refunded",
]);

/** A status change that may never have been told: the order, and the move it made. */
interface Change {
  order: DocumentReference;
  from: string;
  to: string;
}

/**
 * The sweep's net under the status trigger: every status change in the last half hour but the last
 * two minutes whose records do not exist (the trigger failed before its transaction, or its event was
 * lost for good) is handled as the trigger would have: records made once, the customer told, or each
 * channel SKIPPED with the reason (out of date, when the order has moved on since). Two sources:
 * the changes applyStatus made (their `statusHistory` entries), and the DataSell app's own `failed`
 * on a purchase Datamart refused, which has no history entry (orders placed in the window and failed;
 * the app fails a refused purchase seconds after placing it). Reads the candidates and one marker
 * each. Answers how many changes it recovered.
 */
export async function recoverUntoldChanges(
  deps: NotifyDeps,
  now: Date,
  limit: number,
): Promise<{ recovered: number; more: boolean }> {
  const from = now.getTime() - LOOK_BACK_MS;
  const until = now.getTime() - TRIGGER_GRACE_MS;
  const [history, appFailures] = await Promise.all([
    historyChanges(deps, from, until, limit),
    appFailedOrders(deps, from, until, limit),
  ]);
  const candidates = [...history.changes, ...appFailures.changes];
  const markers = candidates.length
    ? await deps.db.getAll(
        ...candidates.map((change) =>
          deps.db
            .collection(COLLECTIONS.orderNotifications)
            .doc(notificationId(change.order.id, change.to)),
        ),
      )
    : [];
  let recovered = 0;
  for (const [i, change] of candidates.entries()) {
    if (markers[i].exists) continue;
    const order = await change.order.get();
    const data = order.data();
    if (!data) continue;
    const outcome = await notifyStatusChange(deps, {
      transactionId: order.id,
      before: { ...data, status: change.from },
      after: { ...data, status: change.to },
      current: String(data.status),
    });
    if (outcome.kind === "recorded") recovered += 1;
  }
  // Every entry before `next` has now been looked at: the next sweep starts there.
  await cursor(deps).set({ through: history.next }, { merge: true });
  return { recovered, more: history.more || appFailures.more };
}

/**
 * `syncState/untoldChanges`: how far the history entries have been looked at. Without it a sweep
 * would read the window's oldest entries again each time and, on a busy half hour, never reach a
 * newer one whose trigger was lost (the full soak's 2,000 orders found it).
 */
const cursor = (deps: NotifyDeps) => deps.db.collection(COLLECTIONS.syncState).doc("untoldChanges");

async function historyChanges(
  deps: NotifyDeps,
  from: number,
  until: number,
  limit: number,
): Promise<{ changes: Change[]; more: boolean; next: Timestamp }> {
  const through = (await cursor(deps).get()).get("through") as Timestamp | undefined;
  const entries = await deps.db
    .collectionGroup(COLLECTIONS.statusHistory)
    .where("at", ">=", Timestamp.fromMillis(Math.max(from, through?.toMillis() ?? 0)))
    .where("at", "<", Timestamp.fromMillis(until))
    .orderBy("at")
    .limit(limit)
    .get();
  const changes = entries.docs
    .filter((entry) => NOTIFYING.has(String(entry.get("to"))))
    .map((entry) => ({
      order: entry.ref.parent.parent!,
      from: String(entry.get("from")),
      to: String(entry.get("to")),
    }));
  const more = entries.size === limit;
  return {
    changes,
    more,
    // A full page ends at its last entry (looked at again, harmlessly); else at the window's end.
    next: more
      ? (entries.docs[entries.size - 1].get("at") as Timestamp)
      : Timestamp.fromMillis(until),
  };
}

async function appFailedOrders(
  deps: NotifyDeps,
  from: number,
  until: number,
  limit: number,
): Promise<{ changes: Change[]; more: boolean }> {
  const failed = deps.db.collection(COLLECTIONS.transactions).where("status", "==", "failed");
  const changes: Change[] = [];
  for await (const order of placedSince(failed, new Date(from), limit)) {
    if (changes.length === limit) return { changes, more: true };
    const placed = placedAt(order.data())?.getTime() ?? until;
    if (order.get("datamartTransactionId") || placed >= until) continue;
    changes.push({ order: order.ref, from: "processing", to: "failed" });
  }
  return { changes, more: false };
}
