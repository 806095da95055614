import type { Firestore } from "firebase-admin/firestore";
import { z } from "zod";
import { applyStatus } from "./applyStatus";
import type { DeliveryExpectation } from "../domain/deliveryExpectation";
import { datamartReferences, orderSchema, toDate, type Order } from "../domain/order";
import { effectiveStatus, isFinalStatus } from "../domain/orderStatus";
import type { Caller } from "../domain/caller";
import { AppError, parseInput, transactionIdSchema } from "../errors";
import { logDamagedOrder, logRefreshFailed } from "../logs";
import type { DatamartClient } from "../providers/datamart";
import { takeRefreshToken, type RefreshLimits } from "./refreshQuota";
import { COLLECTIONS, type OrderStatusAnswer } from "../contract";
import { clockOf, dateNow, type Clock } from "../platform/clock";

const orderStatusRequestSchema = z.object({
  transactionId: transactionIdSchema,
  refresh: z.boolean().optional(),
});

export interface OrderStatusDeps {
  db: Firestore;
  datamart: Pick<DatamartClient, "getOrderStatusByAnyReference">;
  /** How often users' refreshes may ask Datamart. */
  refreshLimits: RefreshLimits;
  /** What a customer with an open order on the network may expect now (supplier health's figures). */
  expectedDelivery: (
    network: string | null | undefined,
    now: Date,
  ) => Promise<DeliveryExpectation | null>;
  /** Whether Datamart's failed answer refunds a wallet order (applyStatus). */
  walletRefunds: boolean;
  /** How long a failed order stays under watch (applyStatus); absent: not watched. */
  failedWatchMs?: number;
  clock?: Clock;
}

/** A refresh is not worth a Datamart request if the order was checked this recently. */
const FRESH_ENOUGH_MS = 60_000;

/**
 * An order's status for its owner (or an admin), from a client's request (`invalid-argument` says
 * what is wrong with a bad one). Another user's order and a missing order are the same `not-found`.
 * With `refresh`, an open order not checked in the last minute is asked about now and the answer
 * applied through applyStatus (source `user`), within the user's refresh quota.
 */
export async function checkOrderStatus(
  deps: OrderStatusDeps,
  caller: Caller,
  input: unknown,
): Promise<OrderStatusAnswer> {
  const request = parseInput(orderStatusRequestSchema, input);
  const ref = deps.db.collection(COLLECTIONS.transactions).doc(request.transactionId);
  let snapshot = await ref.get();
  const owned = snapshot.exists && (caller.admin || snapshot.get("userId") === caller.uid);
  if (!owned) throw new AppError("not-found", "No such order");
  let order = readableOrder(ref.id, snapshot.data());

  const now = dateNow(clockOf(deps));
  const lastChecked = toDate(snapshot.get("lastSyncedAt"));
  const stale = !lastChecked || now.getTime() - lastChecked.getTime() >= FRESH_ENOUGH_MS;
  const references = datamartReferences(order);
  if (request.refresh && !isFinalStatus(order.status) && stale && references.length > 0) {
    const verdict = await takeRefreshToken(
      deps.db,
      { uid: caller.uid, orderId: ref.id },
      deps.refreshLimits,
      now,
    );
    // Asked this minute already, or refreshes' share of Datamart used up: the stored status stands.
    if (verdict === "ask")
      try {
        const answer = await deps.datamart.getOrderStatusByAnyReference(references);
        const outcome = await applyStatus(
          deps.db,
          snapshot,
          {
            datamartStatus: answer.orderStatus,
            source: "user",
            at: now,
          },
          deps,
        );
        if (outcome.kind === "changed") {
          snapshot = await ref.get();
          order = readableOrder(ref.id, snapshot.data());
        }
      } catch (error) {
        // The stored status is still the truth we have: answer with it.
        logRefreshFailed(ref.id, error);
      }
  }
  const expectedDelivery = isFinalStatus(order.status)
    ? null
    : await deps.expectedDelivery(order.network, now);
  return { success: true, transaction: { ...present(ref.id, order), expectedDelivery } };
}

/** The order, or a typed error its owner and admins can act on when its record is damaged. */
function readableOrder(id: string, data: unknown): Order {
  const parsed = orderSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  logDamagedOrder(
    id,
    parsed.error.issues.map((i) => i.path.join(".") || "(document)"),
  );
  throw new AppError(
    "failed-precondition",
    "This order's record cannot be read right now; DataSell support has been alerted",
  );
}

function present(
  id: string,
  order: Order,
): Omit<OrderStatusAnswer["transaction"], "expectedDelivery"> {
  return {
    id,
    status: effectiveStatus(order.status),
    reference: order.reference ?? null,
    network: order.network ?? null,
    packageName: order.packageName ?? null,
    amount: order.amount ?? null,
    timestamp: toDate(order.timestamp)?.toISOString() ?? null,
    phoneNumber: order.phoneNumber ?? null,
    datamartTransactionId: order.datamartTransactionId ?? null,
  };
}
