import type { Timestamp } from "firebase-admin/firestore";
import type { DataSellStatus } from "../domain/orderStatus";

/**
 * PENDING (waiting to be sent, maybe after a transient failure) -> PROCESSING (claimed, with a lease)
 * -> SENT | FAILED; or SKIPPED at once (no valid number, or superseded by a final status).
 */
export type DeliveryState = "PENDING" | "PROCESSING" | "SENT" | "FAILED" | "SKIPPED";

/** `orderNotifications/{transactionId}_{status}`: one per order and status, server-only. */
export interface NotificationRecord {
  transactionId: string;
  userId: string | null;
  status: DataSellStatus;
  channel: "sms";
  /** `233…`, kept server-side for retries; logs and admins see `recipientMasked`. */
  recipient: string | null;
  recipientMasked: string;
  message: string;
  state: DeliveryState;
  reason?: string;
  attempts: number;
  providerIds?: { campaignId: string; messageId?: string };
  lastError?: { kind: string; code?: string; message: string; transient: boolean };
  createdAt: Timestamp;
  updatedAt: Timestamp;
  nextAttemptAt?: Timestamp;
  leaseExpiresAt?: Timestamp;
  sentAt?: Timestamp;
}

export function notificationId(transactionId: string, status: string): string {
  return `${transactionId}_${status}`;
}
