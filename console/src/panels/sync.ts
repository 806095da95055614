import {
  collection,
  doc,
  limit,
  onSnapshot,
  orderBy,
  query,
} from "firebase/firestore";
import { actionButton, h, panel, statusLine, when } from "../ui";
import { liveTable, type PanelFactory } from "./panel";
import {
  COLLECTIONS,
  type SyncRequestRecord as SyncRequest,
  type SyncRunRecord,
  type SyncSummary,
} from "../../../functions/src/contract";
import type { Backend } from "../firebase";

const errorsText = (run: SyncSummary) =>
  run.errors === 0
    ? "none"
    : Object.entries(run.errorsByKind)
        .map(([kind, n]) => `${kind} ${n}`)
        .join(", ");

/**
 * A run lives at most its function's 300 s timeout: a request not answered a minute after that was
 * taken by a run that stopped (crashed or timed out); the scheduled runs go on regardless.
 */
const LONGEST_WAIT_MS = 6 * 60_000;

/** Resolves with the admin's request once a run's pass for it is done, or undefined past the wait. */
function requestDone(
  backend: Backend,
  requestId: string,
): Promise<SyncRequest | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      resolve(undefined);
    }, LONGEST_WAIT_MS);
    const stop = onSnapshot(
      doc(backend.db, COLLECTIONS.syncRequests, requestId),
      (snapshot) => {
        const request = snapshot.data() as SyncRequest | undefined;
        if (request?.state !== "done") return;
        clearTimeout(timer);
        stop();
        resolve(request);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** The latest sync runs, live, and "Sync now". */
export const syncPanel: PanelFactory = (backend) => {
  const { section, body } = panel(
    "sync",
    "Sync health",
    "The Datamart sync's latest runs, live.",
  );
  const result = statusLine("p");
  // The request is answered in seconds with the run that took it; its pass's figures come later.
  const button = actionButton("Sync now", result, async () => {
    const answer = await backend.call("adminSyncDatamartOrders", {});
    result.textContent = `${answer.message}…`;
    const done = await requestDone(backend, answer.requestId);
    return done
      ? `Done: checked ${done.checked ?? 0}, updated ${done.updated ?? 0}.`
      : "No answer yet: the run that took it stopped before its pass ended; the next run takes it again (the scheduled sync runs every 5 minutes).";
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
        return {
          doc: d,
          cells: [
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
          ],
        };
      }),
  );
  return { section, stop };
};
