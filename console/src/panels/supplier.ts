import { doc, onSnapshot, type Timestamp } from "firebase/firestore";
import {
  COLLECTIONS,
  type SupplierHealthRecord,
} from "../../../functions/src/contract";
import {
  actionButton,
  deliveryMinutes,
  h,
  panel,
  showListenerError,
  statusLine,
  table,
  when,
} from "../ui";
import type { PanelFactory } from "./panel";
import {
  finishedCount,
  type StatsSummary,
} from "../../../functions/src/domain/dailyStats";
import type { OpenOrders } from "../../../functions/src/domain/supplierHealth";

type ByNetwork = Record<string, StatsSummary>;

const LEVEL_TEXT: Record<string, string> = {
  ok: "OK",
  low: "LOW: top up soon",
  critical: "CRITICAL: purchases will start failing",
  unknown: "UNKNOWN: Datamart did not answer",
};

function deliveryTable(
  caption: string,
  byNetwork: ByNetwork,
  open: Record<string, OpenOrders>,
): HTMLElement {
  return table(
    caption,
    [
      "Network",
      "Finished",
      "Delivered",
      "p50 to delivery",
      "p95 to delivery",
      "Open now",
      "Open past 1 h",
    ],
    [...new Set([...Object.keys(byNetwork), ...Object.keys(open)])]
      .sort()
      .map((network) => {
        const n = byNetwork[network];
        return [
          network,
          n ? finishedCount(n) : 0,
          n?.deliveredShare == null
            ? "—"
            : `${Math.round(n.deliveredShare * 100)} %`,
          deliveryMinutes(n?.p50Minutes ?? null),
          deliveryMinutes(n?.p95Minutes ?? null),
          open[network]?.open ?? 0,
          open[network]?.pastHour ?? 0,
        ];
      }),
  );
}

/** DataSell's Datamart wallet against its thresholds, and delivery times per network. */
export const supplierPanel: PanelFactory = (backend) => {
  const { section, body } = panel(
    "supplier",
    "Supplier health",
    "Datamart's wallet balance (read by the server every 30 minutes) and how long deliveries take.",
  );
  const result = statusLine("p");
  body.before(
    h(
      "div",
      { class: "actions" },
      actionButton("Check now", result, async () => {
        await backend.call("adminCheckSupplierHealth", {});
        return "Checked.";
      }),
      result,
    ),
  );
  const stop = onSnapshot(
    doc(backend.db, COLLECTIONS.supplierHealth, "current"),
    (snapshot) => {
      const health = snapshot.data() as
        SupplierHealthRecord<Timestamp> | undefined;
      if (!health) {
        body.replaceChildren(h("p", { class: "empty" }, "Not checked yet."));
        return;
      }
      const delivery = health.delivery;
      const open = health.open ?? {};
      const stalled = health.stalledNetworks ?? [];
      body.replaceChildren(
        h(
          "dl",
          {},
          h("dt", {}, "Datamart balance"),
          h(
            "dd",
            { class: `level-${String(health.level)}` },
            health.balance === undefined
              ? "—"
              : `GHS ${Number(health.balance).toFixed(2)}`,
            ` ${LEVEL_TEXT[String(health.level)] ?? String(health.level)}`,
          ),
          h("dt", {}, "Days of cover"),
          h(
            "dd",
            {},
            typeof health.daysOfCover === "number"
              ? `about ${health.daysOfCover.toFixed(1)} days at the last 7 days' spend`
              : "not known yet (needs a day of readings with spend)",
          ),
          h("dt", {}, "Stalled networks"),
          h(
            "dd",
            { class: stalled.length ? "level-critical" : "" },
            stalled.length ? stalled.join(", ") : "none",
          ),
          h("dt", {}, "Datamart's delivery tracker"),
          h(
            "dd",
            {},
            typeof health.trackerMessage === "string"
              ? health.trackerMessage
              : health.trackerError
                ? `could not be read (${String(health.trackerError)})`
                : "no message",
          ),
          h("dt", {}, "Thresholds"),
          h(
            "dd",
            {},
            `low at GHS ${health.thresholds.lowGhs}, critical at GHS ${health.thresholds.criticalGhs}`,
          ),
          h("dt", {}, "Checked"),
          h("dd", {}, when(health.checkedAt)),
        ),
        h("h3", {}, "Today"),
        deliveryTable("Deliveries today", delivery.today, open),
        h("h3", {}, "Last 7 days"),
        deliveryTable("Deliveries in the last 7 days", delivery.last7d, open),
      );
    },
    showListenerError(body, "supplier health"),
  );
  return { section, stop };
};
