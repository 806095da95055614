import { Timestamp } from "firebase-admin/firestore";
import { orderSchema } from "../domain/order";
import {
  effectiveStatus,
  FINAL_STATUSES,
  isFinalStatus,
  type DataSellStatus,
} from "../domain/orderStatus";
import { normalizeGhanaPhone } from "../domain/phone";
import { getStatusMessage, getStatusTitle } from "../domain/statusMessages";
import { COLLECTIONS } from "../firestore";
import { logNotificationOutcome, maskPhone } from "../logs";
import { notificationId, type DeliveryState, type NotificationRecord } from "./notificationRecord";
import { deliver, type DeliveryDeps } from "./delivery";

export type NotifyOutcome =
  | { kind: "no-status-change" }
  | { kind: "already-claimed" }
  | { kind: "recorded"; state: DeliveryState };

/**
 * Reacts to one update of `transactions/{id}`: when `status` really changed, records the customer's
 * notification once per order and status (create-once, so a replayed event finds it and stops),
 * writes the in-app notification with it, and sends the SMS. A `processing` message that arrives
 * after a final status was already notified is recorded SKIPPED, not sent.
 */
export async function notifyStatusChange(
  deps: DeliveryDeps,
  change: { transactionId: string; before: unknown; after: unknown },
): Promise<NotifyOutcome> {
  const before = orderSchema.safeParse(change.before);
  const after = orderSchema.safeParse(change.after);
  if (!after.success) return { kind: "no-status-change" };
  const to = effectiveStatus(after.data.status);
  if (before.success && effectiveStatus(before.data.status) === to)
    return { kind: "no-status-change" };
  if (to !== "processing" && !isFinalStatus(to)) return { kind: "no-status-change" };

  const status: DataSellStatus = to;
  const order = after.data;
  const { db } = deps;
  const notifications = db.collection(COLLECTIONS.orderNotifications);
  const ref = notifications.doc(notificationId(change.transactionId, status));
  const now = Timestamp.fromDate(deps.now?.() ?? new Date());

  const recorded = await db.runTransaction(async (tx) => {
    if ((await tx.get(ref)).exists) return undefined;
    const finals =
      status === "processing"
        ? await tx.getAll(
            ...FINAL_STATUSES.map((s) =>
              notifications.doc(notificationId(change.transactionId, s)),
            ),
          )
        : [];
    const supersededBy = finals.find((f) => f.exists)?.get("status") as string | undefined;
    const recipient = normalizeGhanaPhone(order.phoneNumber) ?? null;
    const message = getStatusMessage(status, order);
    const reason = supersededBy
      ? `out of date: the order is already ${supersededBy}`
      : recipient
        ? undefined
        : `invalid phone number`;
    const record: NotificationRecord = {
      transactionId: change.transactionId,
      userId: order.userId ?? null,
      status,
      channel: "sms",
      recipient,
      recipientMasked: maskPhone(recipient ?? order.phoneNumber),
      message,
      state: reason ? "SKIPPED" : "PENDING",
      // A PENDING record always has a due time, so the sweep finds it if this invocation dies.
      ...(reason ? { reason } : { nextAttemptAt: now }),
      attempts: 0,
      createdAt: now,
      updatedAt: now,
    };
    tx.create(ref, record);
    if (order.userId && !supersededBy) {
      tx.create(
        db
          .collection(COLLECTIONS.users)
          .doc(order.userId)
          .collection(COLLECTIONS.inAppNotifications)
          .doc(notificationId(change.transactionId, status)),
        {
          title: getStatusTitle(status),
          body: message,
          status,
          transactionId: change.transactionId,
          createdAt: now,
          read: false,
        },
      );
    }
    return record;
  });

  if (!recorded) return { kind: "already-claimed" };
  if (recorded.state === "SKIPPED") {
    logNotificationOutcome(ref.id, recorded.recipient, "SKIPPED", { reason: recorded.reason });
    return { kind: "recorded", state: "SKIPPED" };
  }
  return { kind: "recorded", state: (await deliver(deps, ref)) ?? "PENDING" };
}
