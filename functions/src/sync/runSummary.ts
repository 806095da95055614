import { type SyncSummary, type SyncTrigger } from "../contract";
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
