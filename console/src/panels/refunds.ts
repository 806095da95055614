import { collection, limit, query, where } from "firebase/firestore";
import { actionButton, ghs, panel, rowActions, statusLine } from "../ui";
import { liveTable, type PanelFactory } from "./panel";

/** Wallet refunds the automatic path left to an admin, with "Refund" where a credit is due. */
export const refundsPanel: PanelFactory = (backend) => {
  const { section, body } = panel(
    "refunds",
    "Refunds waiting for an admin",
    "Failed or cancelled orders the automatic refund could not settle, with the reason.",
  );
  const stop = liveTable(
    body,
    query(
      collection(backend.db, "transactions"),
      where("refund.state", "in", ["manual", "reversal-manual"]),
      limit(50),
    ),
    "Refunds waiting for an admin",
    ["Order", "Status", "Amount", "Payment", "Why", "Act"],
    (docs) =>
      docs.map((doc) => {
        const order = doc.data();
        const out = statusLine();
        const act =
          order.refund.state === "manual"
            ? actionButton(
                "Refund",
                out,
                async () => {
                  const answer = await backend.call<{
                    outcome: string;
                    amount: number;
                  }>("adminRefundOrder", { transactionId: doc.id });
                  return `${answer.outcome}: GHS ${answer.amount.toFixed(2)}.`;
                },
                `Refund order ${doc.id}`,
              )
            : "a reversal the wallet could not cover: settle with the customer";
        return [
          doc.id,
          order.status,
          ghs(Math.round(Number(order.amount) * 100)),
          order.paymentMethod ?? "",
          order.refund.reason ?? "",
          rowActions(act, out),
        ];
      }),
  );
  return { section, stop };
};
