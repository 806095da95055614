import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { COLLECTIONS } from "../firestore";
import { logSmsSweep } from "../logs";
import { deliverSms, type SmsDeliveryDeps } from "./smsDelivery";

export interface SmsSweepSummary {
  retried: number;
  sent: number;
  stillPending: number;
  failed: number;
  /** Claims whose sender stopped before recording mNotify's answer: recorded FAILED, not resent. */
  stuck: number;
  /** FAILED notifications in all, for the operator. */
  failedTotal: number;
}

const BATCH = 200;

/**
 * The retry sweep: sends every PENDING notification whose next attempt is due, and closes claims
 * whose lease expired mid-send. Those are not resent: mNotify may have sent them already, and a
 * customer must never get the same SMS twice; they are FAILED with the reason, countable by admins.
 */
export async function retryPendingSms(deps: SmsDeliveryDeps): Promise<SmsSweepSummary> {
  const now = Timestamp.fromDate(deps.now?.() ?? new Date());
  const notifications = deps.db.collection(COLLECTIONS.orderNotifications);
  const summary: SmsSweepSummary = {
    retried: 0,
    sent: 0,
    stillPending: 0,
    failed: 0,
    stuck: 0,
    failedTotal: 0,
  };

  const due = await notifications
    .where("state", "==", "PENDING")
    .where("nextAttemptAt", "<=", now)
    .orderBy("nextAttemptAt")
    .limit(BATCH)
    .get();
  for (const doc of due.docs) {
    const state = await deliverSms(deps, doc.ref);
    if (!state) continue;
    summary.retried += 1;
    if (state === "SENT") summary.sent += 1;
    else if (state === "PENDING") summary.stillPending += 1;
    else summary.failed += 1;
  }

  const stuck = await notifications
    .where("state", "==", "PROCESSING")
    .where("leaseExpiresAt", "<=", now)
    .limit(BATCH)
    .get();
  for (const doc of stuck.docs) {
    if (await closeStuckClaim(deps.db, doc.ref.id, now)) summary.stuck += 1;
  }

  summary.failedTotal = (
    await notifications.where("state", "==", "FAILED").count().get()
  ).data().count;
  logSmsSweep(summary);
  return summary;
}

async function closeStuckClaim(db: Firestore, id: string, now: Timestamp): Promise<boolean> {
  const ref = db.collection(COLLECTIONS.orderNotifications).doc(id);
  return db.runTransaction(async (tx) => {
    const snapshot = await tx.get(ref);
    const lease = snapshot.get("leaseExpiresAt") as Timestamp | undefined;
    if (snapshot.get("state") !== "PROCESSING" || !lease || lease.toMillis() > now.toMillis())
      return false;
    tx.update(ref, {
      state: "FAILED",
      reason:
        "outcome unknown: the sender stopped before mNotify's answer was recorded; not resent",
      updatedAt: now,
    });
    return true;
  });
}
