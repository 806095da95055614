import { collection, limit, query, where } from "firebase/firestore";
import { COLLECTIONS } from "../../../functions/src/contract";
import {
  actionButton,
  h,
  panel,
  receipts,
  rowActions,
  statusLine,
  when,
} from "../ui";
import { detailsButton } from "./orderDetails";
import { liveTable, type PanelFactory } from "./panel";
import type { Order } from "../../../functions/src/domain/order";

/** Orders the sync flagged for a human, with "Check now" and their history. */
export const attentionPanel: PanelFactory = (backend) => {
  const { section, body } = panel(
    "attention",
    "Orders needing attention",
    "Open too long, no Datamart reference, or a status Datamart answers that this system does not know.",
  );
  const details = h("div", { "aria-live": "polite" });
  body.after(details);
  const done = receipts("Checks made");
  body.before(done.element);
  const stop = liveTable(
    body,
    query(
      collection(backend.db, COLLECTIONS.transactions),
      where("sync.needsAttention", "==", true),
      limit(50),
    ),
    "Orders needing attention",
    ["Order", "Status", "Placed", "Why", "Act"],
    (docs) =>
      docs.map((doc) => {
        const order = doc.data() as Order;
        const out = statusLine();
        const check = actionButton(
          "Check now",
          out,
          async () => {
            const answer = await backend.call("getOrderStatus", {
              transactionId: doc.id,
              refresh: true,
            });
            const receipt = `Order ${doc.id}: Datamart asked, now ${answer.transaction.status}.`;
            done.add(receipt);
            return receipt;
          },
          `Check order ${doc.id} now`,
        );
        const history = detailsButton(
          backend,
          doc.id,
          order,
          details,
          "History",
          `Show the history of order ${doc.id}`,
        );
        return {
          doc,
          cells: [
            doc.id,
            order.status,
            when(order.timestamp),
            String(order.sync?.needsAttentionReason ?? ""),
            rowActions(check, history, out),
          ],
        };
      }),
  );
  return { section, stop };
};
