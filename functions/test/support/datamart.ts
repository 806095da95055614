import type { DatamartStandIn } from "../../dev/standins/datamartStandIn";
import { DatamartClient } from "../../src/providers/datamart";
import { runSync, type SyncDeps, type SyncOptions } from "../../src/sync/syncEngine";
import { anOrder, testDb } from "./firestore";
import { COLLECTIONS, type SyncSummary } from "../../src/contract";
import type { Clock } from "../../src/platform/clock";

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
    price: Number(response.price),
    status: datamartStatus,
  });
  return order;
}

/** A sync run's dependencies against the stand-in Datamart, with small test options. */
export function syncDepsFor(
  standIn: DatamartStandIn,
  options: Partial<SyncOptions> = {},
): SyncDeps {
  return {
    db: testDb(),
    walletRefunds: true,
    datamart: new DatamartClient({ baseUrl: standIn.baseUrl, apiKey: "k", timeoutMs: 2_000 }),
    options: {
      concurrency: 2,
      ratePerMinute: 60_000,
      timeBudgetMs: 30_000,
      maxConsecutiveFailures: 3,
      freshForMs: 3_600_000,
      freshIntervalMs: 90_000,
      sweepPeriodMs: 3_600_000,
      attentionAfterMs: 86_400_000,
      ...options,
    },
  };
}

/** One scheduled sync run against the stand-in Datamart, with small test options, at `now`. */
export function pollOnce(standIn: DatamartStandIn, clock?: Clock): Promise<SyncSummary> {
  return runSync({ ...syncDepsFor(standIn), clock }, "schedule");
}
