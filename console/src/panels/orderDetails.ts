import { collection, getDocs, orderBy, query, where } from "firebase/firestore";
import { COLLECTIONS } from "../../../functions/src/contract";
import type { Backend } from "../firebase";
import { ghs, h, table, when } from "../ui";

/** An order's status history, messages and refund, read when asked for. */
export async function orderDetails(
  backend: Backend,
  orderId: string,
  order: Record<string, unknown>,
): Promise<HTMLElement> {
  const [history, messages] = await Promise.all([
    getDocs(
      query(
        collection(backend.db, COLLECTIONS.transactions, orderId, COLLECTIONS.statusHistory),
        orderBy("at"),
      ),
    ),
    getDocs(
      query(
        collection(backend.db, COLLECTIONS.orderNotifications),
        where("transactionId", "==", orderId),
      ),
    ),
  ]);
  const refund = order.refund as
    { state?: string; amountPesewas?: number; reason?: string } | undefined;
  return h(
    "div",
    { class: "details" },
    h("h3", {}, `Order ${orderId}`),
    h(
      "p",
      {},
      `Status ${String(order.status)}, placed ${when(order.timestamp)}, ${String(order.phoneNumber ?? "")}`,
    ),
    h("h4", {}, "Status history"),
    table(
      `Status history of ${orderId}`,
      ["When", "From", "To", "Datamart said", "Source", "Reason"],
      history.docs.map((d) => {
        const e = d.data();
        return [
          when(e.at),
          e.from,
          e.to,
          e.datamartStatus,
          e.source,
          e.reason ?? "",
        ];
      }),
    ),
    h("h4", {}, "Messages"),
    table(
      `Messages about ${orderId}`,
      ["Channel", "For status", "State", "Reason or evidence"],
      messages.docs.map((d) => {
        const m = d.data();
        return [
          m.channel,
          m.status,
          m.state,
          m.reason ?? m.lastError?.message ?? "",
        ];
      }),
    ),
    h("h4", {}, "Refund"),
    h(
      "p",
      {},
      refund
        ? `${refund.state ?? "?"} ${ghs(refund.amountPesewas)} ${refund.reason ?? ""}`
        : "None.",
    ),
  );
}
