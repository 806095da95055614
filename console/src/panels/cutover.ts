import { collection, limit, orderBy, query } from "firebase/firestore";
import { COLLECTIONS } from "../../../functions/src/contract";
import { ghs, panel, when } from "../ui";
import { liveTable, type PanelFactory } from "./panel";
import type { Order } from "../../../functions/src/domain/order";

/**
 * Orders the switch-on cutover marked (open at switch-on, placed days before): the sync corrects
 * their status without telling the customer or refunding by itself, so the operator reads them here.
 */
export const cutoverPanel: PanelFactory = (backend) => {
  const { section, body } = panel(
    "cutover",
    "Orders from before the switch-on",
    "Open when this system was switched on: their status is corrected silently (no message, no automatic refund). Failed ones wait under Refunds.",
  );
  const stop = liveTable(
    body,
    query(
      collection(backend.db, COLLECTIONS.transactions),
      orderBy("cutover.markedAt", "desc"),
      limit(50),
    ),
    "Orders from before the switch-on",
    ["Order", "Status now", "Placed", "Amount", "Refund"],
    (docs) =>
      docs.map((doc) => {
        const order = doc.data() as Order;
        return {
          doc,
          cells: [
            doc.id,
            order.status,
            when(order.timestamp),
            ghs(Math.round(Number(order.amount) * 100)),
            order.refund
              ? `${order.refund.state}${order.refund.reason ? `: ${order.refund.reason}` : ""}`
              : "—",
          ],
        };
      }),
  );
  return { section, stop };
};
