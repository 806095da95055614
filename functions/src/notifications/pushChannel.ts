import type { Firestore } from "firebase-admin/firestore";
import type { Messaging } from "firebase-admin/messaging";
import type { SendFailure } from "../domain/deliveryVerdict";
import type { Channel } from "./channel";
import { COLLECTIONS } from "../contract";

/** FCM's per-token answers that mean the device is gone: its token is deleted. */
const DEAD_TOKEN_CODES = new Set([
  "messaging/registration-token-not-registered",
  "messaging/invalid-registration-token",
]);

/** FCM was unavailable or failed inside: it may have taken the push, so the outcome is unknown. */
const MAYBE_SENT_CODES = new Set([
  "messaging/unavailable",
  "messaging/server-unavailable",
  "messaging/internal-error",
]);

/** A failure of a whole push, in the verdict's terms (the FCM error code is the `code`). */
class PushFailure extends Error {
  constructor(
    readonly failure: SendFailure,
    message: string,
  ) {
    super(message);
    this.name = "PushFailure";
  }
}

/**
 * Push through FCM HTTP v1 (firebase-admin messaging, `sendEachForMulticast`) to every device the
 * customer registered under `users/{uid}/pushTokens`: title and body as the in-app notification,
 * `data` with the order id and status, and a link to the order. Tokens FCM calls unregistered or
 * invalid are deleted. Sent when at least one device took it.
 */
export function pushChannel(options: {
  db: Firestore;
  messaging: () => Messaging;
  /** `https://…/orders/{transactionId}`: where a tap on the push leads. */
  orderLink: (transactionId: string) => string;
  timeoutMs: number;
}): Channel {
  return {
    sendTimeoutMs: options.timeoutMs,
    async send(record) {
      if (!record.recipient) throw new Error("A push record without a user cannot be sent");
      const tokens = await options.db
        .collection(COLLECTIONS.users)
        .doc(record.recipient)
        .collection(COLLECTIONS.pushTokens)
        .get();
      if (tokens.empty)
        throw new PushFailure({ kind: "no-recipient", noRecipient: true }, "no device registered");
      const result = await options.messaging().sendEachForMulticast({
        tokens: tokens.docs.map((d) => String(d.get("token"))),
        notification: { title: record.title ?? "DataSell", body: record.message },
        data: { orderId: record.transactionId, status: record.status },
        webpush: { fcmOptions: { link: options.orderLink(record.transactionId) } },
      });
      const codes = result.responses.map((r) => r.error?.code);
      await Promise.all(
        tokens.docs
          .filter((_, i) => DEAD_TOKEN_CODES.has(codes[i] ?? ""))
          .map((d) => d.ref.delete()),
      );
      if (result.successCount > 0)
        return {
          providerIds: {
            devices: String(result.successCount),
            failedDevices: String(result.failureCount),
          },
        };
      throw failureOf(codes);
    },
    describeFailure(error) {
      if (error instanceof PushFailure) return error.failure;
      // The whole request failed (firebase-admin's network or server error): it may have gone out.
      return undefined;
    },
  };
}

/** No device took the push: why, in the verdict's terms. */
function failureOf(codes: (string | undefined)[]): PushFailure {
  const live = codes.filter((c) => !DEAD_TOKEN_CODES.has(c ?? ""));
  if (live.length === 0)
    return new PushFailure(
      { kind: "no-recipient", noRecipient: true },
      "no live device: every token was unregistered",
    );
  const code = live.find((c) => c) ?? "unknown";
  if (code === "messaging/quota-exceeded")
    return new PushFailure({ kind: "rate-limited", status: 429, code }, `FCM: ${code}`);
  if (MAYBE_SENT_CODES.has(code))
    return new PushFailure({ kind: "server", status: 500, code }, `FCM: ${code}`);
  return new PushFailure({ kind: "rejected", permanent: true, code }, `FCM: ${code}`);
}
