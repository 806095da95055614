import {
  FieldValue,
  Timestamp,
  type DocumentReference,
  type Firestore,
} from "firebase-admin/firestore";
import { deliveryVerdict, failureOutcome } from "../domain/deliveryVerdict";
import { isFinalStatus } from "../domain/orderStatus";
import { logNotificationOutcome } from "../logs";
import type { Channel } from "./channel";
import type { NotificationRecord } from "./notificationRecord";
import { COLLECTIONS, type ChannelName, type DeliveryState } from "../contract";
import { clockOf, dateNow, type Clock } from "../platform/clock";

export interface DeliveryDeps {
  db: Firestore;
  /**
   * One adapter per channel switched on (NOTIFY_SMS, NOTIFY_PUSH, NOTIFY_EMAIL); a record is sent by
   * its own channel's, and each customer's preferences apply on top.
   */
  channels: Partial<Record<ChannelName, Channel>>;
  /** How long refused or unsent messages are tried again before they are FAILED. */
  retryWindowMs: number;
  clock?: Clock;
}

/** How long a sender may hold a claim before the sweep takes it back (longer than any send). */
export const CLAIM_LEASE_MS = 2 * 60_000;
/** Writes of a provider's acceptance are tried this often before the outcome counts as unknown. */
const RECORD_ATTEMPTS = 3;

/** Now, by the deps' clock. */
const nowOf = (deps: DeliveryDeps) => dateNow(clockOf(deps));

/**
 * Sends a PENDING message whose time has come, once. The claim (PENDING -> PROCESSING, with a lease)
 * is a transaction, so of two senders only one sends; `sendStartedAt` is written before the request
 * goes out, so a crash before it is known to have sent nothing. The outcome follows the verdict on
 * the failure (domain/deliveryVerdict.ts): SENT; PENDING again (not sent, or refused for a while)
 * within the retry window; FAILED (refused for good, or out of time); UNKNOWN (it may have gone out).
 * A `processing` message whose order went final meanwhile is SKIPPED as out of date.
 * Returns the new state, or undefined when there was nothing to send.
 */
export async function deliver(
  deps: DeliveryDeps,
  ref: DocumentReference,
): Promise<DeliveryState | undefined> {
  const claimed = await claim(deps, ref);
  if (!claimed || !("record" in claimed)) return claimed?.state;
  const { record } = claimed;
  const now = Timestamp.fromDate(nowOf(deps));
  try {
    await ref.update({ sendStartedAt: now, updatedAt: now });
  } catch {
    // Nothing went out: the sweep takes the claim back when its lease ends, and tries again.
    return "PROCESSING";
  }

  let providerIds: Record<string, string>;
  try {
    ({ providerIds } = await channelOf(deps, record).send(record));
  } catch (error) {
    return recordFailure(deps, ref, record, error);
  }
  const sentAt = Timestamp.fromDate(nowOf(deps));
  for (let attempt = 1; ; attempt++) {
    try {
      await ref.update({
        state: "SENT",
        providerIds,
        sentAt,
        updatedAt: sentAt,
        // Only a channel whose provider reports delivery is asked later.
        ...(channelOf(deps, record).deliveryReport
          ? { reportCheckAt: Timestamp.fromMillis(sentAt.toMillis() + REPORT_FIRST_CHECK_MS) }
          : {}),
        leaseExpiresAt: FieldValue.delete(),
        nextAttemptAt: FieldValue.delete(),
        lastError: FieldValue.delete(),
      });
      logNotificationOutcome(ref.id, record.recipient, "SENT", { providerIds });
      return "SENT";
    } catch (error) {
      // The provider took the message; if we cannot say so, the sweep records it UNKNOWN, never resends.
      if (attempt >= RECORD_ATTEMPTS) throw error;
      await clockOf(deps).sleep(200 * attempt);
    }
  }
}

function channelOf(deps: DeliveryDeps, record: NotificationRecord): Channel {
  const channel = deps.channels[record.channel];
  if (!channel) throw new Error(`The ${record.channel} channel is switched off`);
  return channel;
}

/** The first delivery report is asked for this long after sending. */
export const REPORT_FIRST_CHECK_MS = 5 * 60_000;

type Claim = { state: "PROCESSING"; record: NotificationRecord } | { state: DeliveryState };

async function claim(deps: DeliveryDeps, ref: DocumentReference): Promise<Claim | undefined> {
  const now = nowOf(deps);
  return deps.db.runTransaction(async (tx): Promise<Claim | undefined> => {
    const snapshot = await tx.get(ref);
    const record = snapshot.data() as NotificationRecord | undefined;
    if (record?.state !== "PENDING") return undefined;
    if (record.nextAttemptAt && record.nextAttemptAt.toMillis() > now.getTime()) return undefined;
    const at = Timestamp.fromDate(now);
    const skip = (reason: string): Claim => {
      tx.update(ref, {
        state: "SKIPPED",
        reason,
        nextAttemptAt: FieldValue.delete(),
        updatedAt: at,
      });
      return { state: "SKIPPED" };
    };
    if (!deps.channels[record.channel]) return skip("the channel is switched off");
    if (record.status === "processing") {
      const order = await tx.get(
        deps.db.collection(COLLECTIONS.transactions).doc(record.transactionId),
      );
      const current: unknown = order.get("status");
      if (isFinalStatus(current)) return skip(`out of date: the order is already ${current}`);
    }
    const attempts = record.attempts + 1;
    tx.update(ref, {
      state: "PROCESSING",
      attempts,
      leaseExpiresAt: Timestamp.fromMillis(now.getTime() + CLAIM_LEASE_MS),
      sendStartedAt: FieldValue.delete(),
      nextAttemptAt: FieldValue.delete(),
      updatedAt: at,
    });
    return { state: "PROCESSING", record: { ...record, attempts } };
  });
}

async function recordFailure(
  deps: DeliveryDeps,
  ref: DocumentReference,
  record: NotificationRecord,
  error: unknown,
): Promise<DeliveryState> {
  const failure = channelOf(deps, record).describeFailure(error);
  const verdict = deliveryVerdict(failure);
  const now = nowOf(deps);
  const lastError = {
    kind: failure?.kind ?? "internal",
    message: error instanceof Error ? error.message : String(error),
    ...(failure?.code ? { code: failure.code } : {}),
    ...(failure?.status ? { status: failure.status } : {}),
  };
  const outcome = failureOutcome({
    verdict,
    attempts: record.attempts,
    createdAtMs: record.createdAt.toMillis(),
    nowMs: now.getTime(),
    retryWindowMs: deps.retryWindowMs,
    errorMessage: lastError.message,
  });
  const reason = outcome.state === "PENDING" ? undefined : outcome.reason;
  await ref.update({
    state: outcome.state,
    lastError,
    updatedAt: Timestamp.fromDate(now),
    leaseExpiresAt: FieldValue.delete(),
    ...(outcome.state === "PENDING"
      ? { nextAttemptAt: Timestamp.fromMillis(outcome.nextAttemptAtMs) }
      : { nextAttemptAt: FieldValue.delete(), reason }),
  });
  logNotificationOutcome(ref.id, record.recipient, outcome.state, { lastError, reason });
  return outcome.state;
}

/**
 * Finishes a claim whose sender stopped (its lease ended): one that never wrote `sendStartedAt` sent
 * nothing, and an idempotent channel cannot send twice, so those go back to PENDING; any other may
 * have sent, so it is UNKNOWN, with the evidence.
 */
export async function recoverClaim(
  deps: DeliveryDeps,
  ref: DocumentReference,
): Promise<"retried" | "unknown" | undefined> {
  const now = nowOf(deps);
  const recovered = await deps.db.runTransaction(async (tx) => {
    const snapshot = await tx.get(ref);
    const lease = snapshot.get("leaseExpiresAt") as Timestamp | undefined;
    if (snapshot.get("state") !== "PROCESSING" || (lease && lease.toMillis() > now.getTime()))
      return undefined;
    const at = Timestamp.fromDate(now);
    const channel = deps.channels[snapshot.get("channel") as NotificationRecord["channel"]];
    if (!snapshot.get("sendStartedAt") || channel?.idempotent) {
      tx.update(ref, {
        state: "PENDING",
        nextAttemptAt: at,
        leaseExpiresAt: FieldValue.delete(),
        updatedAt: at,
      });
      return "retried" as const;
    }
    tx.update(ref, {
      state: "UNKNOWN",
      reason: "outcome unknown: the sender stopped after the request may have gone out; not resent",
      leaseExpiresAt: FieldValue.delete(),
      updatedAt: at,
    });
    return "unknown" as const;
  });
  if (recovered)
    logNotificationOutcome(ref.id, null, recovered === "retried" ? "PENDING" : "UNKNOWN", {});
  return recovered;
}
