import type { Timestamp } from "firebase-admin/firestore";
import type { ChannelName, NotificationRecord as StoredNotification } from "../contract";

/**
 * Every message ends in exactly one of SENT (the provider took it), SKIPPED (not sent, with the
 * reason), FAILED (refused for good, with the provider's code) or UNKNOWN (it may have gone out, with
 * the evidence; resent only by an admin). On the way: PENDING (waiting for its next try) and
 * PROCESSING (claimed by one sender, with a lease; `sendStartedAt` once the request may be out).
 */

/** A notification record as the functions read and write it. */
export type NotificationRecord = StoredNotification<Timestamp>;

/** SMS records keep the id they had before there were other channels. */
export function notificationId(
  transactionId: string,
  status: string,
  channel: ChannelName = "sms",
): string {
  return channel === "sms" ? `${transactionId}_${status}` : `${transactionId}_${status}_${channel}`;
}
