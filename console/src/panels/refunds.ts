import {
  collection,
  limit,
  onSnapshot,
  query,
  where,
} from "firebase/firestore";
import { actionButton, ghs, h, panel, table } from "../ui";
import type { PanelFactory } from "./panel";

/** Wallet refunds the automatic path left to an admin, with "Refund" where a credit is due. */
export const refundsPanel: PanelFactory = (backend) => {
  const { section, body } = panel(
    "refunds",
    "Refunds waiting for an admin",
    "Failed or cancelled orders the automatic refund could not settle, with the reason.",
  );
  const stop = onSnapshot(
    query(
      collection(backend.db, "transactions"),
      where("refund.state", "in", ["manual", "reversal-manual"]),
      limit(50),
    ),
    (snapshot) => {
      body.replaceChildren(
        table(
          "Refunds waiting for an admin",
          ["Order", "Status", "Amount", "Payment", "Why", "Act"],
          snapshot.docs.map((doc) => {
            const order = doc.data();
            const out = h("span", { class: "result", role: "status" });
            const act =
              order.refund.state === "manual"
                ? actionButton("Refund", out, async () => {
                    const answer = await backend.call<{
                      outcome: string;
                      amount: number;
                    }>("adminRefundOrder", { transactionId: doc.id });
                    return `${answer.outcome}: GHS ${answer.amount.toFixed(2)}.`;
                  })
                : "a reversal the wallet could not cover: settle with the customer";
            if (typeof act !== "string")
              act.setAttribute("aria-label", `Refund order ${doc.id}`);
            return [
              doc.id,
              order.status,
              ghs(Math.round(Number(order.amount) * 100)),
              order.paymentMethod ?? "",
              order.refund.reason ?? "",
              h("div", { class: "row-actions" }, act, out),
            ];
          }),
        ),
      );
    },
  );
  return { section, stop };
};
