import { doc, onSnapshot } from "firebase/firestore";
import { COLLECTIONS } from "../../../functions/src/contract";
import { actionButton, h, panel, statusLine, table, when } from "../ui";
import type { PanelFactory } from "./panel";

interface NetworkDelivery {
  orders: number;
  final: number;
  p50Minutes: number | null;
  p95Minutes: number | null;
  openPastHourShare: number;
}
type ByNetwork = Record<string, NetworkDelivery>;

const minutes = (value: number | null) =>
  value === null ? "—" : `${Math.round(value)} min`;
const LEVEL_TEXT: Record<string, string> = {
  ok: "OK",
  low: "LOW: top up soon",
  critical: "CRITICAL: purchases will start failing",
  unknown: "UNKNOWN: Datamart did not answer",
};

function deliveryTable(caption: string, byNetwork: ByNetwork): HTMLElement {
  return table(
    caption,
    [
      "Network",
      "Orders",
      "Final",
      "p50 to final",
      "p95 to final",
      "Open past 1 h",
    ],
    Object.entries(byNetwork).map(([network, n]) => [
      network,
      n.orders,
      n.final,
      minutes(n.p50Minutes),
      minutes(n.p95Minutes),
      `${Math.round(n.openPastHourShare * 100)} %`,
    ]),
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
      const health = snapshot.data();
      if (!health) {
        body.replaceChildren(h("p", { class: "empty" }, "Not checked yet."));
        return;
      }
      const delivery = health.delivery as {
        last24h: ByNetwork;
        last7d: ByNetwork;
      };
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
          h("dt", {}, "Thresholds"),
          h(
            "dd",
            {},
            `low at GHS ${health.thresholds.lowGhs}, critical at GHS ${health.thresholds.criticalGhs}`,
          ),
          h("dt", {}, "Checked"),
          h("dd", {}, when(health.checkedAt)),
        ),
        h("h3", {}, "Last 24 hours"),
        deliveryTable("Deliveries in the last 24 hours", delivery.last24h),
        h("h3", {}, "Last 7 days"),
        deliveryTable("Deliveries in the last 7 days", delivery.last7d),
      );
    },
  );
  return { section, stop };
};
