import type { Timestamp } from "firebase-admin/firestore";
import type { AlertPhase } from "../domain/alerts";
import type { DataSellStatus } from "../domain/orderStatus";
import { type DeliveryState } from "../contract";

/**
 * Every message ends in exactly one of SENT (the provider took it), SKIPPED (not sent, with the
 * reason), FAILED (refused for good, with the provider's code) or UNKNOWN (it may have gone out, with
 * the evidence; resent only by an admin). On the way: PENDING (waiting for its next try) and
 * PROCESSING (claimed by one sender, with a lease; `sendStartedAt` once the request may be out).
 */

/** What the provider later said about a SENT message (delivery report), where it can say it. */
export type DeliveryReport = "delivered" | "undelivered" | "pending";

export const CHANNELS = ["sms", "push", "email"] as const;
export type ChannelName = (typeof CHANNELS)[number];

/**
 * `orderNotifications/{transactionId}_{status}` (SMS) or `..._{status}_{channel}` (push, email): one per
 * order, status and channel, server-only.
 */
export interface NotificationRecord {
  /** The order's id; for an operators' alert, `alert-{condition}-{startedAtMs}-{n}`. */
  transactionId: string;
  userId: string | null;
  status: DataSellStatus | AlertPhase;
  channel: ChannelName;
  /**
   * Who gets it: `233…` for SMS, the user id for push (their devices are looked up when sending), the
   * address for email. Kept server-side for retries; logs and admins see `recipientMasked`.
   */
  recipient: string | null;
  /** The title of a push or the subject of an email. */
  title?: string;
  recipientMasked: string;
  message: string;
  state: DeliveryState;
  reason?: string;
  attempts: number;
  providerIds?: { campaignId: string; messageId?: string };
  lastError?: { kind: string; code?: string; status?: number; message: string };
  createdAt: Timestamp;
  updatedAt: Timestamp;
  /** When Firestore's TTL deletes the record (MESSAGE_RETENTION_DAYS after it was made). */
  expireAt?: Timestamp;
  /** Set whenever the record is PENDING, so the sweep's query finds it. */
  nextAttemptAt?: Timestamp;
  leaseExpiresAt?: Timestamp;
  /** Written just before the request goes out: a claim without it provably sent nothing. */
  sendStartedAt?: Timestamp;
  sentAt?: Timestamp;
  report?: { state: DeliveryReport; checkedAt: Timestamp };
  /** When the sweep next asks the provider for a delivery report of a SENT message. */
  reportCheckAt?: Timestamp;
}

/** SMS records keep the id they had before there were other channels. */
export function notificationId(
  transactionId: string,
  status: string,
  channel: ChannelName = "sms",
): string {
  return channel === "sms" ? `${transactionId}_${status}` : `${transactionId}_${status}_${channel}`;
}
