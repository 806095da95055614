import type { Firestore, Timestamp } from "firebase-admin/firestore";
import { logSyncRunCrashed } from "../logs";
import { COLLECTIONS, type SyncSummary, type SyncTrigger } from "../contract";
import { requeueTakenBy } from "./syncRequests";
export function newRunSummary(runId: string, trigger: SyncTrigger, startedAt: Date): SyncSummary {
  return {
    runId,
    trigger,
    skipped: false,
    message: "Datamart order sync completed",
    startedAt: startedAt.toISOString(),
    finishedAt: "",
    due: 0,
    passes: 0,
    adopted: 0,
    aging: 0,
    swept: 0,
    checked: 0,
    datamartRequests: 0,
    updated: 0,
    unchanged: 0,
    unknownStatuses: 0,
    alreadyFinal: 0,
    noReference: 0,
    watched: 0,
    errors: 0,
    errorsByKind: {},
    leftForNextRun: false,
    newlyNeedsAttention: 0,
    needsAttention: 0,
    adminRequests: 0,
  };
}

export function countError(summary: SyncSummary, kind: string): void {
  summary.errors += 1;
  summary.errorsByKind[kind] = (summary.errorsByKind[kind] ?? 0) + 1;
}

/**
 * A run that died holding the lease (a crash, or the function's timeout) never wrote its summary:
 * the run that takes the expired lease closes its `running` summary, so none stays open for ever,
 * and puts the admins' requests it had taken back to waiting, for itself to take.
 */
export async function closeCrashedRun(
  db: Firestore,
  crashed: { holder: string; expiresAt: Timestamp },
): Promise<void> {
  const ref = db.collection(COLLECTIONS.syncRuns).doc(crashed.holder);
  await db.runTransaction(async (tx) => {
    const run = await tx.get(ref);
    if (run.get("running") !== true) return;
    tx.update(ref, {
      running: false,
      crashed: true,
      message: "ended without a summary: its lease expired (the run crashed or timed out)",
      finishedAt: crashed.expiresAt.toDate().toISOString(),
    });
  });
  await requeueTakenBy(db, crashed.holder);
  logSyncRunCrashed(crashed.holder);
}
