import type { DocumentReference } from "firebase-admin/firestore";
import { clockOf } from "../platform/clock";
import { liveLeaseHolder } from "../platform/lease";
import { runSync, SYNC_LEASE, type SyncDeps } from "./syncEngine";
import { awaitTaken, fileSyncRequest } from "./syncRequests";
import type { AdminSyncAnswer } from "../contract";

/** How long an admin's request waits to hear which run took it: well inside Hosting's 60 s. */
export const TAKE_TIMEOUT_MS = 20_000;

/**
 * An admin's "sync now", answered in seconds and never lost: it files a request
 * (sync/syncRequests.ts) and answers the run that took it (a scheduled run alive wakes for it; else
 * the request's trigger starts one), whose summary the console reads when it ends. A request no run
 * took in time stays queued for the next run.
 */
export async function syncForAdmin(
  deps: Pick<SyncDeps, "db" | "clock">,
  adminUid: string,
  takeTimeoutMs = TAKE_TIMEOUT_MS,
): Promise<AdminSyncAnswer> {
  const clock = clockOf(deps);
  const request = await fileSyncRequest(deps.db, adminUid, clock);
  const runId = await awaitTaken(request, takeTimeoutMs, clock);
  return runId
    ? {
        success: true,
        outcome: "taken",
        message: `Taken by run ${runId}: it is checking the due orders now`,
        runId,
        requestId: request.id,
      }
    : {
        success: true,
        outcome: "queued",
        message: "Queued: the next sync run takes it (within 5 minutes)",
        requestId: request.id,
      };
}

/**
 * The request's trigger: a run alive takes the request itself (it listens for requests), or the next
 * run does when it starts; with no run alive, one is started here, which takes it at its start. It
 * never waits on a run: a waiting trigger would hold an instance for each admin's click.
 */
export async function serveSyncRequest(deps: SyncDeps, request: DocumentReference): Promise<void> {
  if ((await request.get()).get("state") !== "waiting") return;
  if (await liveLeaseHolder(deps.db, SYNC_LEASE, clockOf(deps))) return;
  // Skipped if a scheduled run took the lease meanwhile: that run takes the request as it starts.
  await runSync(deps, "admin");
}
