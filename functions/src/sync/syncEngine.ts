import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { toDate } from "../domain/order";
import type { PollPolicy } from "../domain/pollSchedule";
import { COLLECTIONS } from "../firestore";
import { logSyncCompleted, logSyncOrderFailed } from "../logs";
import type { DatamartClient } from "../providers/datamart";
import { checkOrder, type CheckContext } from "./checkOrder";
import { DatamartGate } from "./datamartGate";
import { countDue, countNeedsAttention, dueOrders } from "./dueOrders";
import { tryAcquireLease } from "./lease";
import { countError, newRunSummary, type SyncSummary, type SyncTrigger } from "./runSummary";

export type { SyncSummary, SyncTrigger } from "./runSummary";

export interface SyncOptions extends PollPolicy {
  concurrency: number;
  ratePerMinute: number;
  /** The run takes no new work after this long. */
  timeBudgetMs: number;
  /** Transient Datamart failures in a row that end the run early. */
  maxConsecutiveFailures: number;
  pageSize?: number;
}

export interface SyncDeps {
  db: Firestore;
  datamart: Pick<DatamartClient, "getOrderStatusByAnyReference">;
  options: SyncOptions;
  /** Whether Datamart's failed answer refunds a wallet order (applyStatus). */
  walletRefunds: boolean;
  /** How long a failed order stays under watch (applyStatus); absent: not watched. */
  failedWatchMs?: number;
  /** The clock orders are scheduled by; tests move it. */
  now?: () => Date;
}

export const SYNC_LEASE = "datamartSync";
const SYNC_STATE_DOC = "datamartSync";

/**
 * One sync run: asks Datamart about every due order (newly placed ones, then the fresh lane, then the
 * slow lane), applies what it says through applyStatus and reschedules the rest. Guarded by a lease,
 * bounded by concurrency, a rate limit and a time budget. Writes and returns a run summary.
 */
export async function runSync(deps: SyncDeps, trigger: SyncTrigger): Promise<SyncSummary> {
  const { db, options } = deps;
  const now = deps.now ?? (() => new Date());
  const runRef = db.collection(COLLECTIONS.syncRuns).doc();
  const summary = newRunSummary(runRef.id, trigger, now());

  const lease = await tryAcquireLease(
    db,
    SYNC_LEASE,
    runRef.id,
    options.timeBudgetMs + 60_000,
    now,
  );
  if (!lease) {
    summary.skipped = true;
    summary.message = "skipped: another run holds the lease";
  } else {
    try {
      await checkDueOrders(deps, summary, new Date(summary.startedAt));
    } finally {
      await lease.release();
    }
  }
  summary.finishedAt = now().toISOString();
  await runRef.set(summary);
  logSyncCompleted(summary);
  return summary;
}

/** Works through the due orders with `2 x concurrency` workers until done, out of time, or Datamart is down. */
async function checkDueOrders(deps: SyncDeps, summary: SyncSummary, runNow: Date): Promise<void> {
  const { db, options } = deps;
  const started = Date.now();
  const stateRef = db.collection(COLLECTIONS.syncState).doc(SYNC_STATE_DOC);
  const discoveredUntil = toDate((await stateRef.get()).get("discoveredUntil"));
  const gate = new DatamartGate(deps.datamart, {
    ...options,
    deadline: started + options.timeBudgetMs,
  });
  const context: CheckContext = {
    db,
    gate,
    policy: options,
    summary,
    runNow,
    walletRefunds: deps.walletRefunds,
    failedWatchMs: deps.failedWatchMs,
  };
  const source = dueOrders(db, discoveredUntil, runNow, options.pageSize ?? 200);
  let outOfTime = false;

  // Twice as many workers as request slots, so one worker's Firestore reads and writes overlap the
  // others' Datamart requests instead of idling a slot.
  const worker = async () => {
    for (;;) {
      outOfTime ||= gate.outOfTime || Date.now() - started >= options.timeBudgetMs;
      if (outOfTime || gate.down) return;
      const next = await source.next();
      if (next.done) return;
      summary.due += 1;
      // One order's trouble (even an unexpected one) never stops the run.
      await checkOrder(context, next.value).catch((error: unknown) => {
        countError(summary, "internal");
        logSyncOrderFailed(next.value.id, error);
      });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency * 2 }, worker));
  await source.return(undefined);

  summary.checked = gate.asked;
  summary.datamartRequests = gate.requests;
  outOfTime ||= gate.outOfTime;
  if (gate.down || outOfTime) {
    summary.stoppedEarly = gate.down ? "provider-down" : "time-budget";
    summary.leftForNextRun = await countDue(db, runNow);
  } else {
    // Every newly placed order up to now has been picked up; the next run starts from here.
    summary.discoveryComplete = true;
    await stateRef.set({ discoveredUntil: Timestamp.fromDate(runNow) }, { merge: true });
  }
  summary.needsAttention = await countNeedsAttention(db);
}
