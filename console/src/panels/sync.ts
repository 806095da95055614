import { collection, limit, orderBy, query } from "firebase/firestore";
import { actionButton, h, panel, statusLine, when } from "../ui";
import { liveTable, type PanelFactory } from "./panel";
import {
  COLLECTIONS,
  type SyncRunRecord,
  type SyncSummary,
} from "../../../functions/src/contract";

const errorsText = (run: SyncSummary) =>
  run.errors === 0
    ? "none"
    : Object.entries(run.errorsByKind)
        .map(([kind, n]) => `${kind} ${n}`)
        .join(", ");

/** The latest sync runs, live, and "Sync now". */
export const syncPanel: PanelFactory = (backend) => {
  const { section, body } = panel(
    "sync",
    "Sync health",
    "The Datamart sync's latest runs, live.",
  );
  const result = statusLine("p");
  const button = actionButton("Sync now", result, async () => {
    const answer = await backend.call("adminSyncDatamartOrders", {});
    if (answer.outcome === "taken")
      return `Taken by the running run ${answer.runId}: it is checking the due orders now (marked "running" below).`;
    const { summary } = answer;
    return summary.skipped
      ? "Skipped: another run holds the lease."
      : `Done: checked ${summary.checked}, updated ${summary.updated}, errors ${errorsText(summary)}.`;
  });
  body.before(h("div", { class: "actions" }, button, result));
  const stop = liveTable(
    body,
    query(
      collection(backend.db, COLLECTIONS.syncRuns),
      orderBy("startedAt", "desc"),
      limit(10),
    ),
    "Latest sync runs",
    [
      "When",
      "Trigger",
      "Checked",
      "Updated",
      "Errors",
      "Stopped early",
      "Needs attention",
    ],
    (docs) =>
      docs.map((d) => {
        const run = d.data() as SyncRunRecord;
        return [
          when(run.startedAt),
          [
            run.trigger,
            run.running && "running",
            run.adminRequests && `took ${run.adminRequests} admin request(s)`,
          ]
            .filter(Boolean)
            .join(", "),
          run.skipped ? "skipped" : run.running ? "…" : run.checked,
          run.updated,
          errorsText(run),
          run.stoppedEarly ?? "no",
          run.needsAttention,
        ];
      }),
  );
  return { section, stop };
};
