import {
  FieldValue,
  Timestamp,
  type QueryDocumentSnapshot,
  type Query,
} from "firebase-admin/firestore";
import pLimit from "p-limit";
import { logNotificationSweep, logUnexpectedError } from "../logs";
import { clockOf, dateNow } from "../platform/clock";
import { runLeasedJob } from "../platform/leasedJob";
import { deliver, recoverClaim } from "./delivery";
import type { NotifyDeps } from "./notifyStatusChange";
import { recoverUntoldChanges } from "./untoldChanges";
import type { NotificationRecord } from "./notificationRecord";
import { COLLECTIONS, type DeliveryState } from "../contract";

export interface SweepOptions {
  /** The sweep starts no work after this long (below the function's timeout). */
  timeBudgetMs: number;
  /** Sends in flight at once. */
  concurrency: number;
  /** Records looked at per query and run. */
  batchSize?: number;
}

/** What one sweep did: written to `notificationSweeps/{id}` and logged. */
export interface SweepSummary {
  startedAt: string;
  finishedAt: string;
  /** PENDING records tried, and how each ended this time. */
  tried: number;
  outcomes: Partial<Record<DeliveryState, number>>;
  /** Claims whose sender stopped: back to PENDING (nothing went out) or UNKNOWN (it may have). */
  recoveredToPending: number;
  recoveredAsUnknown: number;
  /** Status changes whose records the trigger never made, made now (notifications/untoldChanges.ts). */
  recoveredUntold: number;
  reportsChecked: number;
  reports: Record<string, number>;
  /** Due work left for the next sweep because the time budget ran out. */
  leftForNextSweep: boolean;
  /** Another sweep was running: this one did nothing. */
  skipped?: boolean;
}

export const SWEEP_LEASE = "notificationSweep";

/** Reports are asked for this long after sending; after that a message counts as not reported. */
const REPORT_WINDOW_MS = 24 * 3_600_000;
const REPORT_RECHECK_MS = 30 * 60_000;

/**
 * Every few minutes, one sweep at a time: makes the records of status changes the trigger never
 * told (then sent below), takes back claims whose sender stopped, sends every PENDING message that
 * is due (with bounded concurrency, never starting a send it cannot finish within its time budget),
 * and asks the provider about SENT messages' delivery. Writes a summary every run.
 */
export async function runNotificationSweep(
  deps: NotifyDeps,
  options: SweepOptions,
): Promise<SweepSummary> {
  const clock = clockOf(deps);
  const now = dateNow(clock);
  const summaryRef = deps.db.collection(COLLECTIONS.notificationSweeps).doc();
  const summary: SweepSummary = {
    startedAt: now.toISOString(),
    finishedAt: "",
    tried: 0,
    outcomes: {},
    recoveredToPending: 0,
    recoveredAsUnknown: 0,
    recoveredUntold: 0,
    reportsChecked: 0,
    reports: {},
    leftForNextSweep: false,
  };
  const ran = await runLeasedJob(
    deps.db,
    {
      lease: SWEEP_LEASE,
      holder: summaryRef.id,
      budgetMs: options.timeBudgetMs,
      clock,
    },
    async (run) => ({ result: await sweep(deps, options, summary, now, run.deadline) }),
  );
  if (!ran) summary.skipped = true;
  summary.finishedAt = dateNow(clock).toISOString();
  await summaryRef.set({
    ...summary,
    expireAt: Timestamp.fromMillis(clock.now() + deps.retention.runsMs),
  });
  logNotificationSweep(summary);
  return summary;
}

async function sweep(
  deps: NotifyDeps,
  options: SweepOptions,
  summary: SweepSummary,
  now: Date,
  deadline: number,
): Promise<void> {
  const at = Timestamp.fromDate(now);
  const batch = options.batchSize ?? 100;
  const records = deps.db.collection(COLLECTIONS.orderNotifications);
  // A send started now must end before the budget does.
  const longestSend = Math.max(0, ...Object.values(deps.channels).map((c) => c.sendTimeoutMs));
  const canStart = () => clockOf(deps).now() + longestSend + 5_000 <= deadline;
  const each = async (query: Query, work: (doc: QueryDocumentSnapshot) => Promise<void>) => {
    const limit = pLimit(options.concurrency);
    const found = await query.limit(batch).get();
    if (found.size === batch) summary.leftForNextSweep = true;
    await Promise.all(
      found.docs.map((doc) =>
        limit(async () => {
          if (!canStart()) {
            summary.leftForNextSweep = true;
            return;
          }
          await work(doc).catch((error: unknown) =>
            logUnexpectedError("runNotificationSweep", error),
          );
        }),
      ),
    );
  };

  // Its trouble never holds back the sends below.
  await recoverUntoldChanges(deps, now, batch * 2).then(
    (untold) => {
      summary.recoveredUntold = untold.recovered;
      if (untold.more) summary.leftForNextSweep = true;
    },
    (error: unknown) => logUnexpectedError("recoverUntoldChanges", error),
  );
  await each(
    records.where("state", "==", "PROCESSING").where("leaseExpiresAt", "<=", at),
    async ({ ref }) => {
      const recovered = await recoverClaim(deps, ref);
      if (recovered === "retried") summary.recoveredToPending += 1;
      if (recovered === "unknown") summary.recoveredAsUnknown += 1;
    },
  );
  await each(
    records
      .where("state", "==", "PENDING")
      .where("nextAttemptAt", "<=", at)
      .orderBy("nextAttemptAt"),
    async ({ ref }) => {
      const state = await deliver(deps, ref);
      if (!state) return;
      summary.tried += 1;
      summary.outcomes[state] = (summary.outcomes[state] ?? 0) + 1;
    },
  );
  await each(
    records.where("state", "==", "SENT").where("reportCheckAt", "<=", at).orderBy("reportCheckAt"),
    async (doc) => {
      // The query read it already: no second read.
      const record = doc.data() as NotificationRecord;
      const deliveryReport = deps.channels[record.channel]?.deliveryReport;
      const report = deliveryReport
        ? await deliveryReport(record).catch(() => undefined)
        : undefined;
      const age = now.getTime() - (record.sentAt?.toMillis() ?? now.getTime());
      const final = report === "delivered" || report === "undelivered";
      await doc.ref.update({
        ...(report ? { report: { state: report, checkedAt: at } } : {}),
        reportCheckAt:
          final || age >= REPORT_WINDOW_MS
            ? FieldValue.delete()
            : Timestamp.fromMillis(now.getTime() + REPORT_RECHECK_MS),
      });
      summary.reportsChecked += 1;
      const key = report ?? "unavailable";
      summary.reports[key] = (summary.reports[key] ?? 0) + 1;
    },
  );
}
