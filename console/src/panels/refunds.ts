import { collection, limit, query, where } from "firebase/firestore";
import { COLLECTIONS } from "../../../functions/src/contract";
import {
  actionButton,
  confirmAction,
  ghs,
  panel,
  receipts,
  rowActions,
  statusLine,
} from "../ui";
import { liveTable, type PanelFactory } from "./panel";
import type { Order } from "../../../functions/src/domain/order";

/** Wallet refunds the automatic path left to an admin, with "Refund" where a credit is due. */
export const refundsPanel: PanelFactory = (backend) => {
  const { section, body } = panel(
    "refunds",
    "Refunds waiting for an admin",
    "Failed or cancelled orders the automatic refund could not settle, with the reason.",
  );
  const done = receipts("Refunds made");
  body.before(done.element);
  const stop = liveTable(
    body,
    query(
      collection(backend.db, COLLECTIONS.transactions),
      where("refund.state", "in", ["manual", "reversal-manual"]),
      limit(50),
    ),
    "Refunds waiting for an admin",
    ["Order", "Status", "Amount", "Payment", "Why", "Act"],
    (docs) =>
      docs.map((doc) => {
        const order = doc.data() as Order & {
          refund: NonNullable<Order["refund"]>;
        };
        const out = statusLine();
        const act =
          order.refund.state === "manual"
            ? actionButton(
                "Refund",
                out,
                async () => {
                  const amount = ghs(Math.round(Number(order.amount) * 100));
                  // The server refuses these without an override; ask for its reason up front.
                  const needsOverride =
                    order.paymentMethod !== "wallet" ||
                    order.refunded === true ||
                    !!order.refundedAt;
                  const reason = await confirmAction({
                    title: `Refund ${amount} to the customer's wallet?`,
                    facts: [
                      ["Order", doc.id],
                      ["Customer", String(order.userId ?? "—")],
                      ["Amount", amount],
                      ["Paid by", String(order.paymentMethod ?? "—")],
                      ["Flagged because", String(order.refund.reason ?? "—")],
                    ],
                    confirmLabel: `Refund ${amount}`,
                    reason: {
                      label: needsOverride
                        ? "Why pay anyway (required: this order was not paid from the wallet or was already refunded)"
                        : "Why pay anyway (only if the server refuses a plain refund)",
                      required: needsOverride,
                    },
                  });
                  if (reason === undefined) return "Cancelled: nothing moved.";
                  const answer = await backend.call("adminRefundOrder", {
                    transactionId: doc.id,
                    ...(reason ? { override: { reason } } : {}),
                  });
                  const receipt = `${answer.outcome}: GHS ${answer.amount.toFixed(2)}.`;
                  done.add(
                    `order ${doc.id}, customer ${String(order.userId)}: ${receipt}`,
                  );
                  return receipt;
                },
                `Refund order ${doc.id}`,
              )
            : "a reversal the wallet could not cover: settle with the customer";
        return {
          doc,
          cells: [
            doc.id,
            order.status,
            ghs(Math.round(Number(order.amount) * 100)),
            order.paymentMethod ?? "",
            order.refund.reason ?? "",
            rowActions(act, out),
          ],
        };
      }),
  );
  return { section, stop };
};
