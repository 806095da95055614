import { Timestamp, type Firestore } from "firebase-admin/firestore";
import {
  balanceLevel,
  deliveryRecord,
  deliveryStats,
  type BalanceLevel,
  type DeliveryRecord,
  type NetworkDelivery,
} from "../domain/supplierHealth";
import { logSupplierHealth } from "../logs";
import type { DatamartClient } from "../providers/datamart";
import { ProviderError } from "../providers/providerError";
import { placedSince } from "../sync/dueOrders";
import { COLLECTIONS } from "../contract";

export interface SupplierHealthDeps {
  db: Firestore;
  datamart: Pick<DatamartClient, "fetchBalance">;
  thresholds: { lowGhs: number; criticalGhs: number };
  now?: () => Date;
}

/** `supplierHealth/current`: what the console shows and the logs carry. */
export interface SupplierHealth {
  checkedAt: Timestamp;
  /** DataSell's Datamart wallet, GHS; absent when Datamart did not answer. */
  balance?: number;
  level: BalanceLevel | "unknown";
  balanceError?: string;
  thresholds: { lowGhs: number; criticalGhs: number };
  delivery: { last24h: Record<string, NetworkDelivery>; last7d: Record<string, NetworkDelivery> };
}

const DAY = 86_400_000;

/**
 * Asks Datamart for the wallet balance (one request: the key stays on the server), works out
 * delivery times per network from the orders placed in the last 7 days, stores the result for the
 * console and logs it as structured fields for log-based alerts.
 */
export async function checkSupplierHealth(deps: SupplierHealthDeps): Promise<SupplierHealth> {
  const now = deps.now?.() ?? new Date();
  const [balance, records] = await Promise.all([
    deps.datamart.fetchBalance().then(
      (answer) => ({ balance: answer.balance }),
      (error: unknown) => {
        if (!(error instanceof ProviderError)) throw error;
        return { error: `${error.kind}: ${error.message}` };
      },
    ),
    ordersPlacedSince(deps.db, new Date(now.getTime() - 7 * DAY)),
  ]);
  const health: SupplierHealth = {
    checkedAt: Timestamp.fromDate(now),
    ...("balance" in balance
      ? {
          balance: balance.balance,
          level: balanceLevel(balance.balance, deps.thresholds.lowGhs, deps.thresholds.criticalGhs),
        }
      : { level: "unknown", balanceError: balance.error }),
    thresholds: deps.thresholds,
    delivery: {
      last24h: deliveryStats(records, now, DAY),
      last7d: deliveryStats(records, now, 7 * DAY),
    },
  };
  await deps.db.collection(COLLECTIONS.supplierHealth).doc("current").set(health);
  logSupplierHealth(health);
  return health;
}

/** Orders placed since then, whatever their status. */
async function ordersPlacedSince(db: Firestore, since: Date): Promise<DeliveryRecord[]> {
  const records: DeliveryRecord[] = [];
  for await (const doc of placedSince(db.collection(COLLECTIONS.transactions), since, 500)) {
    const record = deliveryRecord(doc.data());
    if (record) records.push(record);
  }
  return records;
}
