import {
  collection,
  limit,
  onSnapshot,
  orderBy,
  query,
  where,
} from "firebase/firestore";
import {
  COLLECTIONS,
  type CaseState,
  type ReconciliationReport,
} from "../../../functions/src/contract";
import {
  actionButton,
  ghs,
  h,
  panel,
  receipts,
  rowActions,
  showListenerError,
  statusLine,
  when,
} from "../ui";
import { liveTable, type PanelFactory } from "./panel";

/** The latest reconciliation report's totals, and the open cases with an admin's verdict. */
export const reconciliationPanel: PanelFactory = (backend) => {
  const { section, body } = panel(
    "reconciliation",
    "Reconciliation",
    "Datamart's wallet movements against the orders: mismatches to act on. Changing a case moves no money.",
  );
  const report = h("div", { class: "report" });
  body.before(report);
  const done = receipts("Cases settled");
  body.before(done.element);
  const result = statusLine("p");
  const reconcile = actionButton("Reconcile now", result, async () => {
    const r = await backend.call("adminReconcileDatamart", {});
    if (r.skipped) return "Skipped: a reconciliation is running now.";
    return r.complete
      ? `Done: ${r.movements} movements, ${r.matchedOrders} orders matched, ${r.mismatches} mismatches.`
      : `Stopped early (${r.stoppedEarly ?? "unknown"}): the next run resumes the same report.`;
  });
  report.before(h("div", { class: "actions" }, reconcile, result));
  const stopReport = onSnapshot(
    query(
      collection(backend.db, COLLECTIONS.reconciliationReports),
      orderBy("windowEnd", "desc"),
      limit(1),
    ),
    (snapshot) => {
      const r = snapshot.docs[0]?.data() as ReconciliationReport | undefined;
      report.replaceChildren(
        r
          ? h(
              "dl",
              {},
              ...[
                [
                  "Window",
                  `${when(r.windowStart)} to ${when(r.windowEnd)}${r.complete ? "" : " (not finished yet)"}`,
                ],
                [
                  "Movements",
                  `${r.movements}, ${r.matchedOrders} orders matched, ${r.mismatches} mismatches`,
                ],
                [
                  "Cases",
                  `${r.newCases} new, ${r.clearedCases ?? 0} earlier ones found settled and resolved`,
                ],
                [
                  "Datamart debits / credits",
                  `${ghs(r.totals.debitsPesewas)} / ${ghs(r.totals.creditsPesewas)}`,
                ],
                [
                  "Revenue / refunds paid",
                  `${ghs(r.totals.revenuePesewas)} / ${ghs(r.totals.refundsPaidPesewas)}`,
                ],
                ["Margin", ghs(r.totals.marginPesewas)],
                [
                  "Datamart balance",
                  `GHS ${r.balanceStart ?? "?"} at the start, GHS ${r.balanceEnd ?? "?"} at the end`,
                ],
              ].flatMap(([term, value]) => [
                h("dt", {}, term),
                h("dd", {}, value),
              ]),
            )
          : h("p", { class: "empty" }, "No reconciliation report yet."),
      );
    },
    showListenerError(report, "the latest report"),
  );
  const stopCases = liveTable(
    body,
    query(
      collection(backend.db, COLLECTIONS.reconciliationCases),
      where("state", "==", "open"),
      limit(50),
    ),
    "Open reconciliation cases",
    ["Kind", "Order", "Reference", "What", "Found", "Verdict"],
    (docs) =>
      docs.map((doc) => {
        const c = doc.data();
        const state = h(
          "select",
          { "aria-label": `New state of case ${doc.id}` },
          h("option", { value: "explained" }, "explained"),
          h("option", { value: "resolved" }, "resolved"),
        );
        const note = h("input", {
          type: "text",
          "aria-label": `Note on case ${doc.id}`,
          placeholder: "Note (required)",
        });
        const out = statusLine();
        const save = actionButton("Save", out, async () => {
          await backend.call("adminUpdateReconciliationCase", {
            caseId: doc.id,
            state: state.value as CaseState,
            note: note.value,
          });
          const receipt = `Case ${doc.id} (${String(c.kind)}, order ${String(c.orderId ?? "—")}): ${state.value}.`;
          done.add(receipt);
          return receipt;
        });
        const cells = [
          c.kind,
          c.orderId ?? "—",
          c.reference ?? "—",
          c.message,
          when(c.firstFoundAt),
          rowActions(state, note, save, out),
        ];
        return { doc, cells };
      }),
  );
  return { section, stop: () => (stopReport(), stopCases()) };
};
