import {
  collection,
  getDocs,
  orderBy,
  query,
  where,
  type Timestamp,
} from "firebase/firestore";
import {
  COLLECTIONS,
  type NotificationRecord,
  type StatusHistoryEntry,
} from "../../../functions/src/contract";
import type { Order } from "../../../functions/src/domain/order";
import type { Backend } from "../firebase";
import { networkName } from "../../../functions/src/domain/networks";
import { ghs, h, table, when } from "../ui";

type Refund = { state?: string; amountPesewas?: number; reason?: string };

/** Why an order has no refund, or what its refund is, in the operator's words. */
function refundText(order: Order): string {
  const refund = order.refund as Refund | undefined;
  if (refund)
    return [refund.state ?? "?", ghs(refund.amountPesewas), refund.reason]
      .filter((part) => part && part !== "—")
      .join(", ");
  if (!["failed", "cancelled", "refunded"].includes(String(order.status)))
    return "None: the order has not failed.";
  if (order.cutover)
    return "None: it was open at switch-on, so a refund is an admin's decision.";
  if (order.refunded === true || order.refundedAt)
    return "None here: the DataSell app refunded it itself.";
  if (!order.datamartTransactionId)
    return "None: Datamart never accepted it, so nobody was charged.";
  return "None: automatic wallet refunds were off when it failed (WALLET_REFUNDS).";
}

/** An order's status history, messages and refund, read when asked for. */
export async function orderDetails(
  backend: Backend,
  orderId: string,
  order: Order,
): Promise<HTMLElement> {
  const [history, messages] = await Promise.all([
    getDocs(
      query(
        collection(
          backend.db,
          COLLECTIONS.transactions,
          orderId,
          COLLECTIONS.statusHistory,
        ),
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
  return h(
    "div",
    { class: "details" },
    h("h3", {}, `Order ${orderId}`),
    h(
      "dl",
      {},
      ...(
        [
          ["Status", String(order.status)],
          ["Placed", when(order.timestamp)],
          ["Phone", String(order.phoneNumber ?? "—")],
          [
            "Package",
            `${String(order.packageName ?? order.volume ?? "—")} ${networkName(order.network as string | undefined)}`,
          ],
          ["Amount", ghs(Math.round(Number(order.amount) * 100))],
          ["Payment", String(order.paymentMethod ?? "—")],
        ] as const
      ).flatMap(([label, value]) => [h("dt", {}, label), h("dd", {}, value)]),
    ),
    h("h4", {}, "Status history"),
    table(
      `Status history of ${orderId}`,
      ["When", "From", "To", "Datamart said", "Source", "Reason"],
      history.docs.map((d) => {
        const e = d.data() as StatusHistoryEntry<Timestamp>;
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
        const m = d.data() as NotificationRecord<Timestamp>;
        return [
          m.channel,
          m.status,
          m.state,
          m.reason ?? m.lastError?.message ?? "",
        ];
      }),
    ),
    h("h4", {}, "Refund"),
    h("p", {}, refundText(order)),
  );
}

/** A button that shows an order's details in `into`, read when pressed. */
export function detailsButton(
  backend: Backend,
  orderId: string,
  order: Order,
  into: HTMLElement,
  label: string,
  ariaLabel: string,
): HTMLButtonElement {
  const button = h(
    "button",
    { type: "button", class: "secondary", "aria-label": ariaLabel },
    label,
  );
  button.addEventListener("click", () => {
    void orderDetails(backend, orderId, order).then((node) =>
      into.replaceChildren(node),
    );
  });
  return button;
}
