import { Timestamp } from "firebase-admin/firestore";
import { noticeOf, silenceReason } from "../domain/customerNotice";
import { orderSchema, toDate } from "../domain/order";
import { effectiveStatus, FINAL_STATUSES, isFinalStatus } from "../domain/orderStatus";
import { placedAt } from "../domain/pollSchedule";
import { countStatusChange } from "../stats/dailyStats";
import { normalizeGhanaPhone } from "../domain/phone";
import { getStatusMessage, getStatusTitle } from "../domain/statusMessages";
import { expectationWords } from "../domain/deliveryExpectation";
import { readDeliveryExpectation } from "../supplier/deliveryExpectation";
import { logNotificationOutcome, maskPhone } from "../logs";
import { chosenChannels } from "../domain/notificationPreferences";
import { notificationId, type NotificationRecord } from "./notificationRecord";
import { deliver, type DeliveryDeps } from "./delivery";
import { CHANNELS, COLLECTIONS, type ChannelName, type DeliveryState } from "../contract";
import { clockOf } from "../platform/clock";

export interface NotifyDeps extends DeliveryDeps {
  /** Changes to orders placed longer ago than this are not told (domain/customerNotice.ts). */
  maxOrderAgeMs: number;
  /** How long message records and sweep summaries are kept (Firestore TTL on `expireAt`). */
  retention: { messagesMs: number; runsMs: number };
}

export type NotifyOutcome =
  | { kind: "no-status-change" }
  | { kind: "already-claimed" }
  | { kind: "recorded"; state: DeliveryState };

/**
 * Reacts to one update of `transactions/{id}`: when `status` really changed, records the customer's
 * message once per order, status and channel (SMS, push, email; create-once in one transaction, so a
 * replayed event finds them and stops), writes the in-app notification with them, and sends each on
 * its own channel. A channel the customer opted out of, or that is switched off, is recorded
 * SKIPPED with the reason, as is a `processing` message after a final status was already notified.
 * Returns the SMS's state.
 */
export async function notifyStatusChange(
  deps: NotifyDeps,
  change: {
    transactionId: string;
    before: unknown;
    after: unknown;
    /** The order's status now, when the change is told late (the sweep): moved on, it is out of date. */
    current?: string;
  },
): Promise<NotifyOutcome> {
  const before = orderSchema.safeParse(change.before);
  const after = orderSchema.safeParse(change.after);
  if (!after.success) return { kind: "no-status-change" };
  const status = noticeOf(before.success ? before.data : undefined, after.data);
  if (!status) return { kind: "no-status-change" };
  const order = after.data;
  const { db } = deps;
  const notifications = db.collection(COLLECTIONS.orderNotifications);
  const refOf = (channel: ChannelName) =>
    notifications.doc(notificationId(change.transactionId, status, channel));
  const now = Timestamp.fromMillis(clockOf(deps).now());
  const expireAt = Timestamp.fromMillis(now.toMillis() + deps.retention.messagesMs);
  const silenced = silenceReason({
    before: before.success
      ? { ...before.data, watchUntil: toDate(before.data.sync?.watchUntil) }
      : undefined,
    after: order,
    to: status,
    at: now.toDate(),
    maxOrderAgeMs: deps.maxOrderAgeMs,
  });

  // A `processing` message says what to expect: one small read, outside the transaction.
  const expectation =
    status === "processing" && !silenced
      ? expectationWords(await readDeliveryExpectation(db, order.network, now.toDate()))
      : undefined;

  const recorded = await db.runTransaction(async (tx) => {
    // The SMS record is made for every event, so it is the marker that this event was handled.
    if ((await tx.get(refOf("sms"))).exists) return undefined;
    const finals =
      status === "processing"
        ? await tx.getAll(
            ...FINAL_STATUSES.map((s) =>
              notifications.doc(notificationId(change.transactionId, s)),
            ),
          )
        : [];
    const movedOn =
      change.current !== undefined && effectiveStatus(change.current) !== status
        ? change.current
        : undefined;
    const supersededBy =
      (finals.find((f) => f.exists)?.get("status") as string | undefined) ?? movedOn;
    const untold =
      silenced ?? (supersededBy && `out of date: the order is already ${supersededBy}`);
    const user = order.userId
      ? await tx.get(db.collection(COLLECTIONS.users).doc(order.userId))
      : undefined;
    const enabled = {
      sms: !!deps.channels.sms,
      push: !!deps.channels.push,
      email: !!deps.channels.email,
    };
    const chosen = chosenChannels(user?.get("notificationPreferences"), enabled);
    const message = getStatusMessage(status, order, expectation);
    const title = getStatusTitle(status);
    const phone = normalizeGhanaPhone(order.phoneNumber) ?? null;
    const recipients: Record<ChannelName, string | null> = {
      sms: phone,
      push: order.userId ?? null,
      email: order.userId ?? null,
    };
    const records = CHANNELS.map((channel) => {
      const recipient = recipients[channel];
      const reason = untold
        ? untold
        : !chosen[channel]
          ? enabled[channel]
            ? "the customer opted out"
            : "the channel is switched off"
          : !recipient
            ? channel === "sms"
              ? "invalid phone number"
              : "the order names no customer"
            : undefined;
      const record: NotificationRecord = {
        transactionId: change.transactionId,
        userId: order.userId ?? null,
        status,
        channel,
        recipient,
        recipientMasked: channel === "sms" ? maskPhone(recipient ?? order.phoneNumber) : "",
        title,
        message,
        state: reason ? "SKIPPED" : "PENDING",
        // A PENDING record always has a due time, so the sweep finds it if this invocation dies.
        ...(reason ? { reason } : { nextAttemptAt: now }),
        attempts: 0,
        createdAt: now,
        updatedAt: now,
        expireAt,
      };
      tx.create(refOf(channel), record);
      return record;
    });
    // The day's figures count the change here, once with its records; an old order's correction
    // (silenced for its age or by the cutover) is not today's business.
    if (!silenced && isFinalStatus(status) && effectiveStatus(order.status) === status) {
      countStatusChange(tx, db, {
        network: order.network,
        to: status,
        at: toDate(order.lastSyncedAt) ?? now.toDate(),
        placedAt: placedAt(order),
      });
    }
    if (order.userId && !untold) {
      tx.create(
        db
          .collection(COLLECTIONS.users)
          .doc(order.userId)
          .collection(COLLECTIONS.inAppNotifications)
          .doc(notificationId(change.transactionId, status)),
        {
          title,
          body: message,
          status,
          transactionId: change.transactionId,
          createdAt: now,
          read: false,
          expireAt,
        },
      );
    }
    return records;
  });

  if (!recorded) return { kind: "already-claimed" };
  // Each channel on its own: one provider's outage never holds back another's message.
  const states = await Promise.all(
    recorded.map(async (record) => {
      if (record.state === "SKIPPED") {
        logNotificationOutcome(refOf(record.channel).id, record.recipient, "SKIPPED", {
          reason: record.reason,
        });
        return "SKIPPED";
      }
      return (await deliver(deps, refOf(record.channel))) ?? "PENDING";
    }),
  );
  return { kind: "recorded", state: states[CHANNELS.indexOf("sms")] };
}
