import type { Firestore, QueryDocumentSnapshot } from "firebase-admin/firestore";
import { orderSchema } from "../domain/order";
import type { OrderView } from "../domain/reconciliation";
import { toPesewas } from "../domain/walletRefund";
import { COLLECTIONS } from "../contract";
import { docsWhereIn } from "../firestore";

/** Where DataSell keeps Datamart's `TRX-…` reference of an order. */
export const TRANSACTION_REFERENCE = "datamartResponse.transactionReference";

/**
 * The orders a page of movements names, by match key: by transaction reference, then by purchase id
 * for the rest; `in` queries of 30 at a time, run together, each order read once.
 */
export async function ordersByKey(db: Firestore, keys: string[]): Promise<Map<string, OrderView>> {
  const found = new Map<string, OrderView>();
  for (const field of [TRANSACTION_REFERENCE, "datamartTransactionId"]) {
    const missing = keys.filter((k) => !found.has(k));
    const docs = await docsWhereIn(db.collection(COLLECTIONS.transactions), field, missing);
    for (const doc of docs) {
      const view = orderView(doc);
      if (view) found.set(doc.get(field) as string, view);
    }
  }
  return found;
}

/** What reconciliation needs of an order; undefined for a document that is no order. */
export function orderView(doc: QueryDocumentSnapshot): OrderView | undefined {
  const parsed = orderSchema.safeParse(doc.data());
  if (!parsed.success) return undefined;
  const order = parsed.data;
  return {
    id: doc.id,
    status: order.status,
    ...(order.paymentMethod ? { paymentMethod: order.paymentMethod } : {}),
    ...optional("amountPesewas", toPesewas(doc.get("amount"))),
    ...optional("datamartPricePesewas", toPesewas(doc.get("datamartResponse.price"))),
    ...(order.refund ? { refundState: order.refund.state } : {}),
    ...optional("refundPesewas", order.refund?.amountPesewas),
  };
}

const optional = <K extends string>(key: K, value: number | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, number>>;
