import {
  FieldValue,
  Timestamp,
  type DocumentReference,
  type Firestore,
} from "firebase-admin/firestore";
import { logSmsFailed, logSmsSent } from "../logs";
import type { MnotifyClient } from "../providers/mnotify";
import { ProviderError } from "../providers/providerError";
import type { DeliveryState, NotificationRecord } from "./notificationRecord";

export interface SmsDeliveryDeps {
  db: Firestore;
  sms: Pick<MnotifyClient, "send">;
  maxAttempts: number;
  now?: () => Date;
}

/** How long a sender may hold a claim before the notification counts as stuck. */
export const SEND_LEASE_MS = 2 * 60_000;

/** Minutes before the next attempt after `attempts` transient failures: 1, 2, 4, ... up to 60. */
export function retryDelayMs(attempts: number): number {
  return Math.min(2 ** Math.max(attempts - 1, 0), 60) * 60_000;
}

/**
 * Sends a PENDING notification whose time has come, once: it is claimed (PENDING -> PROCESSING with
 * a lease) in a transaction, so of two senders only one sends. The outcome is recorded on the record:
 * SENT with mNotify's ids; PENDING again with a later attempt time after a transient failure; FAILED
 * with the provider's code after a permanent one or the last attempt. Returns the new state, or
 * `undefined` when there was nothing to send.
 */
export async function deliverSms(
  deps: SmsDeliveryDeps,
  ref: DocumentReference,
): Promise<DeliveryState | undefined> {
  const now = deps.now?.() ?? new Date();
  const claimed = await deps.db.runTransaction(async (tx) => {
    const snapshot = await tx.get(ref);
    const record = snapshot.data() as NotificationRecord | undefined;
    if (record?.state !== "PENDING" || !record.recipient) return undefined;
    if (record.nextAttemptAt && record.nextAttemptAt.toMillis() > now.getTime()) return undefined;
    const attempts = record.attempts + 1;
    tx.update(ref, {
      state: "PROCESSING",
      attempts,
      leaseExpiresAt: Timestamp.fromMillis(now.getTime() + SEND_LEASE_MS),
      updatedAt: Timestamp.fromDate(now),
    });
    return { ...record, recipient: record.recipient, attempts };
  });
  if (!claimed) return undefined;

  const done = {
    leaseExpiresAt: FieldValue.delete(),
    updatedAt: Timestamp.fromDate(deps.now?.() ?? new Date()),
  };
  try {
    const receipt = await deps.sms.send(claimed.recipient, claimed.message);
    await ref.update({
      ...done,
      state: "SENT",
      providerIds: receipt,
      sentAt: done.updatedAt,
      lastError: FieldValue.delete(),
      nextAttemptAt: FieldValue.delete(),
    });
    logSmsSent(ref.id, claimed.recipient, claimed.status, receipt.campaignId);
    return "SENT";
  } catch (error) {
    const providerError =
      error instanceof ProviderError
        ? error
        : new ProviderError("mnotify", "network", "SMS send failed", { cause: error });
    const lastError = {
      kind: providerError.kind,
      message: providerError.message,
      transient: providerError.transient,
      ...(providerError.details.code ? { code: providerError.details.code } : {}),
    };
    const retry = providerError.transient && claimed.attempts < deps.maxAttempts;
    const state: DeliveryState = retry ? "PENDING" : "FAILED";
    await ref.update({
      ...done,
      state,
      lastError,
      ...(retry
        ? { nextAttemptAt: Timestamp.fromMillis(now.getTime() + retryDelayMs(claimed.attempts)) }
        : {
            nextAttemptAt: FieldValue.delete(),
            reason: providerError.transient
              ? `gave up after ${claimed.attempts} attempts`
              : providerError.message,
          }),
    });
    logSmsFailed(ref.id, claimed.recipient, lastError, state);
    return state;
  }
}
