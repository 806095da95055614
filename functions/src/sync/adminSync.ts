import type { DocumentReference } from "firebase-admin/firestore";
import { liveLeaseHolder } from "./lease";
import { runSync, SYNC_LEASE, type SyncDeps } from "./syncEngine";
import { awaitTaken, fileSyncRequest } from "./syncRequests";
import type { AdminSyncAnswer } from "../contract";

/** How long an admin's request waits to hear which run took it: well inside Hosting's 60 s. */
export const TAKE_TIMEOUT_MS = 20_000;
/** How long the request's trigger waits for a run alive to take it before it stops waiting. */
const SERVE_WAIT_MS = 30_000;
const LOOK_AGAIN_MS = 1_000;

/**
 * An admin's "sync now", answered in seconds and never lost: it files a request
 * (sync/syncRequests.ts) and answers the run that took it (a scheduled run alive wakes for it; else
 * the request's trigger starts one), whose summary the console reads when it ends. A request no run
 * took in time stays queued for the next run.
 */
export async function syncForAdmin(
  deps: Pick<SyncDeps, "db">,
  adminUid: string,
  takeTimeoutMs = TAKE_TIMEOUT_MS,
): Promise<AdminSyncAnswer> {
  const request = await fileSyncRequest(deps.db, adminUid);
  const runId = await awaitTaken(request, takeTimeoutMs);
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
 * The request's trigger: while it waits and a run is alive, that run takes it (it wakes for it);
 * when no run holds the lease, one is started here, which takes it at its start. Gives up waiting
 * after SERVE_WAIT_MS, leaving the request to the next run; the run started here gets what remains
 * of the time budget, so the trigger ends inside its timeout.
 */
export async function serveSyncRequest(deps: SyncDeps, request: DocumentReference): Promise<void> {
  const now = deps.now ?? (() => new Date());
  const started = Date.now();
  while (Date.now() - started < SERVE_WAIT_MS) {
    if ((await request.get()).get("state") !== "waiting") return;
    if (!(await liveLeaseHolder(deps.db, SYNC_LEASE, now))) {
      const timeBudgetMs = deps.options.timeBudgetMs - (Date.now() - started);
      await runSync({ ...deps, options: { ...deps.options, timeBudgetMs } }, "admin");
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, LOOK_AGAIN_MS));
  }
}
