import { FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import {
  daysOfCover,
  finishedCount,
  lastDays,
  statsDay,
  summarizeByNetwork,
  type BalanceSample,
} from "../domain/dailyStats";
import { balanceLevel, openByNetwork, stalledNetworks } from "../domain/supplierHealth";
import { logSupplierHealth } from "../logs";
import type { DatamartClient } from "../providers/datamart";
import { ProviderError } from "../providers/providerError";
import { readDailyStats } from "../stats/dailyStats";
import { youngOrders } from "../orders/orderQueries";
import { COLLECTIONS, type SupplierHealthRecord } from "../contract";
import { clockOf, dateNow, type Clock } from "../platform/clock";

export interface SupplierHealthDeps {
  db: Firestore;
  datamart: Pick<DatamartClient, "fetchBalance" | "fetchDeliveryTracker">;
  thresholds: { lowGhs: number; criticalGhs: number };
  clock?: Clock;
}

/** `supplierHealth/current`, as the functions write it. */
export type SupplierHealth = SupplierHealthRecord<Timestamp>;

const DAY = 86_400_000;

/**
 * Asks Datamart for the wallet balance (one request: the key stays on the server) and keeps the
 * reading for the balance's history, reads delivery figures from the last 7 days' daily figures and
 * the open orders (never the finished ones: its cost does not grow with the orders), stores the
 * result for the console and logs it as structured fields for log-based alerts.
 */
export async function checkSupplierHealth(deps: SupplierHealthDeps): Promise<SupplierHealth> {
  const now = dateNow(clockOf(deps));
  const week = lastDays(now, 7);
  const [balance, tracker, days, open, samples] = await Promise.all([
    deps.datamart.fetchBalance().then((answer) => ({ balance: answer.balance }), providerFailure),
    deps.datamart.fetchDeliveryTracker().catch(providerFailure),
    readDailyStats(deps.db, week),
    openOrders(deps.db, new Date(now.getTime() - 7 * DAY)),
    balanceSamples(deps.db, week),
  ]);
  const today = summarizeByNetwork(days.filter((d) => d.day === statsDay(now)));
  const openNow = openByNetwork(open, now);
  const finalToday = Object.fromEntries(
    Object.entries(today).map(([network, s]) => [network, finishedCount(s)]),
  );
  const health: SupplierHealth = {
    checkedAt: Timestamp.fromDate(now),
    ...("balance" in balance
      ? {
          balance: balance.balance,
          level: balanceLevel(balance.balance, deps.thresholds.lowGhs, deps.thresholds.criticalGhs),
          daysOfCover: daysOfCover(
            [...samples, { atMs: now.getTime(), balance: balance.balance }],
            balance.balance,
          ),
        }
      : { level: "unknown", balanceError: balance.error, daysOfCover: null }),
    thresholds: deps.thresholds,
    delivery: { today, last7d: summarizeByNetwork(days) },
    open: openNow,
    stalledNetworks: stalledNetworks(openNow, finalToday),
    ...("message" in tracker
      ? { trackerMessage: tracker.message }
      : { trackerMessage: null, trackerError: tracker.error }),
  };
  await Promise.all([
    deps.db.collection(COLLECTIONS.supplierHealth).doc("current").set(health),
    "balance" in balance &&
      deps.db
        .collection(COLLECTIONS.supplierBalances)
        .doc(statsDay(now))
        .set(
          {
            day: statsDay(now),
            samples: FieldValue.arrayUnion({ atMs: now.getTime(), balance: balance.balance }),
          },
          { merge: true },
        ),
  ]);
  logSupplierHealth(health);
  return health;
}

/** What Datamart did not answer, as a reading the health can hold; anything else is a bug. */
function providerFailure(error: unknown): { error: string } {
  if (!(error instanceof ProviderError)) throw error;
  return { error: `${error.kind}: ${error.message}` };
}

/** The open orders placed since then: few, whatever the number of orders kept. */
async function openOrders(db: Firestore, since: Date): Promise<Record<string, unknown>[]> {
  const orders: Record<string, unknown>[] = [];
  for await (const doc of youngOrders(db, since, 500)) orders.push(doc.data());
  return orders;
}

/** The balance readings of these days (`supplierBalances/{day}`, 48 a day at most). */
async function balanceSamples(db: Firestore, days: string[]): Promise<BalanceSample[]> {
  const found = await db.collection(COLLECTIONS.supplierBalances).where("day", ">=", days[0]).get();
  return found.docs.flatMap((doc) => (doc.get("samples") as BalanceSample[] | undefined) ?? []);
}
