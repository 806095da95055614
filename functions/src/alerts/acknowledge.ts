import { Timestamp } from "firebase-admin/firestore";
import { z } from "zod";
import { AppError, documentId, parseInput } from "../errors";
import type { StoreDeps } from "../firestore";
import { COLLECTIONS } from "../contract";

const acknowledgeRequestSchema = z.object({ alertId: documentId("alertId") });

/** An admin's `{alertId}`: an active alert is marked seen; a cleared or unknown one is a typed error. */
export async function acknowledgeForAdmin(
  deps: StoreDeps,
  adminUid: string,
  input: unknown,
): Promise<{ success: true; alertId: string }> {
  const { alertId } = parseInput(acknowledgeRequestSchema, input);
  const outcome = await acknowledgeAlert(deps, adminUid, alertId);
  if (outcome === "not-found") throw new AppError("not-found", "No such alert");
  if (outcome === "not-active")
    throw new AppError(
      "failed-precondition",
      "This alert has cleared; there is nothing to acknowledge",
    );
  return { success: true, alertId };
}

/** An admin has seen an active alert: named on it until the condition clears and starts again. */
export async function acknowledgeAlert(
  { db }: StoreDeps,
  adminUid: string,
  alertId: string,
  now = new Date(),
): Promise<"acknowledged" | "not-found" | "not-active"> {
  const ref = db.collection(COLLECTIONS.alerts).doc(alertId);
  return db.runTransaction(async (tx) => {
    const alert = await tx.get(ref);
    if (!alert.exists) return "not-found";
    if (alert.get("active") !== true) return "not-active";
    tx.update(ref, { acknowledgedBy: adminUid, acknowledgedAt: Timestamp.fromDate(now) });
    return "acknowledged";
  });
}
