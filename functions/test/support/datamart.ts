import type { DatamartStandIn } from "../../dev/standins/datamartStandIn";
import { COLLECTIONS } from "../../src/firestore";
import { anOrder, testDb } from "./firestore";

/** Places an order the way the app does, and tells the stand-in Datamart about it. */
export async function placeOrder(
  standIn: DatamartStandIn,
  id: string,
  datamartStatus = "processing",
  overrides: Record<string, unknown> = {},
  firestore = testDb(),
): Promise<Record<string, unknown>> {
  const known = anOrder();
  const order = { ...known, ...overrides };
  await firestore.collection(COLLECTIONS.transactions).doc(id).set(order);
  const response = known.datamartResponse as Record<string, string>;
  standIn.addOrder({
    orderId: String(known.datamartTransactionId),
    orderReference: response.orderReference,
    transactionReference: response.transactionReference,
    status: datamartStatus,
  });
  return order;
}
