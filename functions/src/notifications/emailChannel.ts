import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { GrpcStatus, hasGrpcStatus } from "../firestore";
import { systemClock } from "../platform/clock";
import type { Channel } from "./channel";
import type { NotificationRecord } from "./notificationRecord";
import { COLLECTIONS } from "../contract";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Email through the Trigger Email extension (firebase/extensions `firestore-send-email`): one
 * document per message in its collection, `{to, message: {subject, text, html}}`, whose id is the
 * record's, written with `create` so it is queued once however often it is tried. The extension
 * sends it with the operator's SMTP settings and writes `delivery.state` back, which is the report.
 */
export function emailChannel(options: {
  db: Firestore;
  collection: string;
  /** The Firebase Auth user's email, for a customer whose users document has none. */
  authEmail: (uid: string) => Promise<string | undefined>;
  /** How long a queued email document is kept (Firestore TTL on `expireAt`). */
  retentionMs: number;
}): Channel {
  const mail = (record: NotificationRecord) =>
    options.db.collection(options.collection).doc(mailId(record));
  /** The users document's email, else the Firebase Auth account's. */
  const addressOf = async (uid: string): Promise<string | undefined> => {
    const stored: unknown = (await options.db.collection(COLLECTIONS.users).doc(uid).get()).get(
      "email",
    );
    if (typeof stored === "string" && stored.includes("@")) return stored;
    return options.authEmail(uid).catch(() => undefined);
  };
  return {
    sendTimeoutMs: 10_000,
    idempotent: true,
    async send(record) {
      if (!record.recipient) throw new Error("An email record without a user cannot be sent");
      // A customer's record names their user id; an operators' alert, the address itself.
      const to = record.recipient.includes("@")
        ? record.recipient
        : await addressOf(record.recipient);
      if (!to) throw new NoAddress();
      const subject = `${record.title ?? "Your DataSell order"} - DataSell`;
      try {
        await mail(record).create({
          to,
          message: {
            subject,
            text: record.message,
            html: `<p>${escapeHtml(record.message)}</p>`,
          },
          expireAt: Timestamp.fromMillis(systemClock.now() + options.retentionMs),
        });
      } catch (error) {
        // Queued already by an attempt whose answer was lost: that is the one message.
        if (!hasGrpcStatus(error, GrpcStatus.ALREADY_EXISTS)) throw error;
      }
      return { providerIds: { mailId: mailId(record) } };
    },
    describeFailure: (error) =>
      error instanceof NoAddress
        ? { kind: "no-recipient", noRecipient: true }
        : // The queue document is created once, so a failed write is simply tried again.
          { kind: "queue-write", retrySafe: true },
    async deliveryReport(record) {
      const state: unknown = (await mail(record).get()).get("delivery.state");
      if (state === "SUCCESS") return "delivered";
      if (state === "ERROR") return "undelivered";
      return "pending";
    },
  };
}

class NoAddress extends Error {
  override message = "no email address: neither the users document nor the sign-in account has one";
}

const mailId = (record: NotificationRecord) => `${record.transactionId}_${record.status}`;
