export type SyncTrigger = "schedule" | "admin";

/** What one sync run did: written to `syncRuns/{runId}`, logged, and answered to an admin. */
export interface SyncSummary {
  runId: string;
  trigger: SyncTrigger;
  /** True when another run held the lease; nothing else was done. */
  skipped: boolean;
  message: string;
  startedAt: string;
  finishedAt: string;
  /** Orders read to be checked (an order is checked once a pass). */
  due: number;
  /** Passes over young orders: a scheduled run repeats them while its time budget lasts. */
  passes: number;
  /** Orders checked because the status trigger adopted them (see sync/adoptions.ts). */
  adopted: number;
  /** Orders the sweep of all open orders visited. */
  swept: number;
  /** Orders Datamart was asked about. */
  checked: number;
  datamartRequests: number;
  updated: number;
  unchanged: number;
  unknownStatuses: number;
  /** Orders found final already (changed by someone else since they were read). */
  alreadyFinal: number;
  noReference: number;
  /** Failed orders under watch that Datamart was asked about again. */
  watched: number;
  errors: number;
  errorsByKind: Record<string, number>;
  stoppedEarly?: "time-budget" | "provider-down";
  /** True when the run stopped early with orders it did not reach; the next run resumes there. */
  leftForNextRun: boolean;
  newlyNeedsAttention: number;
  /** Open orders flagged needsAttention, in all. */
  needsAttention: number;
  /** Admins' sync requests this run took while it was alive (sync/syncRequests.ts). */
  adminRequests: number;
}

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
