import { FieldValue, Timestamp, type DocumentReference } from "firebase-admin/firestore";
import { z } from "zod";
import { AppError, documentId, parseInput } from "../errors";
import { clockOf } from "../platform/clock";
import { deliver, type DeliveryDeps } from "./delivery";
import type { NotificationRecord } from "./notificationRecord";
import { COLLECTIONS, type DeliveryState, type ResendAnswer } from "../contract";

const resendRequestSchema = z.object({ notificationId: documentId("notificationId") });

/**
 * An admin's resend of an UNKNOWN or FAILED customer message (`{notificationId}`): sent again, once,
 * with an audit entry naming the admin. An UNKNOWN message may already have reached the customer:
 * the admin decides that.
 */
export async function resendForAdmin(
  deps: DeliveryDeps,
  adminUid: string,
  input: unknown,
): Promise<ResendAnswer> {
  const { notificationId } = parseInput(resendRequestSchema, input);
  const ref = deps.db.collection(COLLECTIONS.orderNotifications).doc(notificationId);
  const previousState = await requeueByAdmin(deps, ref, adminUid);
  if (!previousState) throw new AppError("not-found", "No such message");
  if (previousState !== "UNKNOWN" && previousState !== "FAILED")
    throw new AppError(
      "failed-precondition",
      `Only an UNKNOWN or FAILED message can be resent; this one is ${previousState}`,
    );
  const state = (await deliver(deps, ref)) ?? "PENDING";
  return { success: true, notificationId, previousState, state };
}

/**
 * An admin's decision to send an UNKNOWN or FAILED message again: back to PENDING now, with an audit
 * entry naming the admin and what the record said before. Returns the state it was in.
 */
async function requeueByAdmin(
  deps: DeliveryDeps,
  ref: DocumentReference,
  adminUid: string,
): Promise<DeliveryState | undefined> {
  const at = Timestamp.fromMillis(clockOf(deps).now());
  return deps.db.runTransaction(async (tx) => {
    const snapshot = await tx.get(ref);
    const record = snapshot.data() as NotificationRecord | undefined;
    if (!record || (record.state !== "UNKNOWN" && record.state !== "FAILED")) return record?.state;
    tx.create(ref.collection(COLLECTIONS.notificationAudit).doc(), {
      action: "resend",
      adminUid,
      at,
      previousState: record.state,
      previousReason: record.reason ?? null,
      lastError: record.lastError ?? null,
    });
    tx.update(ref, {
      state: "PENDING",
      nextAttemptAt: at,
      reason: FieldValue.delete(),
      resentBy: adminUid,
      updatedAt: at,
    });
    return record.state;
  });
}
