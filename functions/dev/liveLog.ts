import type { DocumentChange, Firestore, Query } from "firebase-admin/firestore";
import { COLLECTIONS } from "../src/contract";
import { maskPhone } from "../src/logs";

type Say = (topic: string, text: string) => void;

/**
 * Calls `onChange` for each document added to or changed in `query`'s results after the first
 * snapshot (what was there at start is not news). A listen stream the emulator drops (it may while
 * it starts) is opened again.
 */
function follow(query: Query, onChange: (change: DocumentChange) => void): void {
  let first = true;
  const stop = query.onSnapshot(
    (snapshot) => {
      if (!first) for (const change of snapshot.docChanges()) onChange(change);
      first = false;
    },
    () => {
      stop();
      setTimeout(() => follow(query, onChange), 1_000);
    },
  );
}

/**
 * The local stack's live log of what an operator acts on: status changes and new orders, each sync
 * run's own summary by its run id, messages that failed or whose outcome is unknown, refunds waiting
 * for an admin, admins' refunds and resends, the email queue, supplier health and reconciliation.
 */
export function logForOperator(db: Firestore, say: Say): void {
  const lastStatus = new Map<string, string>();
  follow(db.collection(COLLECTIONS.transactions), (change) => {
    const order = change.doc;
    const status = String(order.get("status"));
    const before = lastStatus.get(order.id);
    lastStatus.set(order.id, status);
    if (change.type === "added")
      say("order", `placed ${order.id} for ${maskPhone(String(order.get("phoneNumber")))}`);
    else if (before !== undefined && before !== status)
      say("order", `${order.id}: ${before} -> ${status}`);
    const refund = order.get("refund") as { state?: string; reason?: string } | undefined;
    if (change.type === "modified" && refund?.state?.endsWith("manual"))
      say("refund", `${order.id} waits for an admin (${refund.state}): ${refund.reason ?? ""}`);
  });
  // A run's summary is written when it starts (finishedAt empty) and again when it ends.
  const latestRuns = db.collection(COLLECTIONS.syncRuns).orderBy("startedAt", "desc").limit(20);
  follow(latestRuns, (change) => {
    const run = change.doc.data();
    if (change.type === "removed" || !run.finishedAt) return;
    say(
      "sync",
      `run ${change.doc.id} (${String(run.trigger)}): ${String(run.message)}; passes ${run.passes}, checked ${run.checked}, updated ${run.updated}, errors ${run.errors}, needs attention ${run.needsAttention}`,
    );
  });
  follow(
    db.collection(COLLECTIONS.orderNotifications).where("state", "in", ["FAILED", "UNKNOWN"]),
    (change) => {
      const record = change.doc;
      const why = String(record.get("reason") ?? record.get("lastError.message") ?? "");
      say("message", `${record.id} is ${String(record.get("state"))}: ${why}`);
    },
  );
  follow(db.collectionGroup(COLLECTIONS.walletLedger), (change) => {
    const entry = change.doc;
    const by = entry.get("adminUid") ? ` by admin ${String(entry.get("adminUid"))}` : "";
    const reason = entry.get("overrideReason")
      ? ` (override: ${String(entry.get("overrideReason"))})`
      : "";
    say(
      "money",
      `${String(entry.get("type"))} of GHS ${Number(entry.get("amount")).toFixed(2)} for order ${String(entry.get("orderId"))}${by}${reason}`,
    );
  });
  follow(db.collectionGroup(COLLECTIONS.notificationAudit), (change) =>
    say(
      "admin",
      `resend of ${String(change.doc.ref.parent.parent?.id)} by admin ${String(change.doc.get("adminUid"))} (it was ${String(change.doc.get("previousState"))})`,
    ),
  );
  // The Trigger Email extension is not here: its queue is shown instead, each message as queued.
  follow(db.collection("mail"), (change) => {
    if (change.type === "added")
      say(
        "email",
        `to ${String(change.doc.get("to"))}: ${String(change.doc.get("message.subject"))}`,
      );
  });
  follow(db.collection(COLLECTIONS.supplierHealth), (change) => {
    const health = change.doc;
    say(
      "supplier",
      `Datamart balance ${health.get("balance") === undefined ? "unreadable" : `GHS ${Number(health.get("balance")).toFixed(2)}`}: ${String(health.get("level"))}`,
    );
  });
  follow(db.collection(COLLECTIONS.reconciliationReports), (change) => {
    const report = change.doc;
    say(
      "reconcile",
      `report ${report.id}: ${report.get("complete") ? "complete" : "stopped early, resumes next run"}, ${report.get("movements")} movements, mismatches ${JSON.stringify(report.get("mismatchesByKind"))}`,
    );
  });
}
