import { liveLeaseHolder } from "./lease";
import { runSync, SYNC_LEASE, type SyncDeps } from "./syncEngine";
import { awaitTaken, fileSyncRequest } from "./syncRequests";
import type { AdminSyncAnswer } from "../contract";

/** How long an admin waits for the running run to take the request before running one itself. */
const TAKE_TIMEOUT_MS = 15_000;

/**
 * An admin's "sync now", never lost: with no run alive it runs one (one pass); while a scheduled
 * run holds the lease it hands the request to that run, which wakes and makes a pass at once, and
 * answers its run id; if that run ends before taking it, the admin's own run follows.
 */
export async function syncForAdmin(deps: SyncDeps, adminUid: string): Promise<AdminSyncAnswer> {
  const now = deps.now ?? (() => new Date());
  if (await liveLeaseHolder(deps.db, SYNC_LEASE, now)) {
    const request = await fileSyncRequest(deps.db, adminUid);
    const runId = await awaitTaken(
      request,
      async () => !(await liveLeaseHolder(deps.db, SYNC_LEASE, now)),
      TAKE_TIMEOUT_MS,
    );
    if (runId)
      return {
        success: true,
        outcome: "taken",
        message: `Taken by the running run ${runId}: it is checking the due orders now`,
        runId,
        requestId: request.id,
      };
  }
  const summary = await runSync(deps, "admin");
  return {
    success: true,
    outcome: summary.skipped ? "skipped" : "ran",
    message: summary.message,
    runId: summary.runId,
    summary,
  };
}
