import { datamartApiKey, datamartWebhookSecret } from "./deployConfig";
import { db } from "./firestore";
import type { ApplyOptions } from "./orders/applyStatus";
import type { OrderStatusDeps } from "./orders/orderStatusQuery";
import { DatamartClient } from "./providers/datamart";
import { readSettings, type Settings } from "./settings";
import type { AdoptionDeps } from "./sync/adoptions";
import type { SyncDeps } from "./sync/syncEngine";
import type { ReconcileDeps } from "./reconciliation/reconcile";
import { readDeliveryExpectation } from "./supplier/deliveryExpectation";
import type { SupplierHealthDeps } from "./supplier/supplierHealth";
import type { WebhookDeps } from "./webhooks/datamartWebhook";

// The composition root: params are read here, once per invocation (readSettings), secrets by the
// functions that bind them, and handed to plain code as its dependencies. What sends messages is
// built in channelWiring.ts, so that a function that sends none never loads the channels.

/** For the order triggers' adoption of orders the sync's queries would not find soon. */
export const adoptionDeps = (settings = readSettings()): AdoptionDeps => ({
  db: db(),
  freshForMs: settings.sync.freshForMs,
});

function datamartClient(settings: Settings): DatamartClient {
  return new DatamartClient({ ...settings.datamart, apiKey: datamartApiKey.value() });
}

/** What applyStatus needs from the settings, for every path that carries Datamart's answer. */
const statusOptions = (settings: Settings): ApplyOptions => ({
  walletRefunds: settings.walletRefunds,
  failedWatchMs: settings.failedWatchMs,
});

export function syncDeps(settings = readSettings()): SyncDeps {
  return {
    db: db(),
    datamart: datamartClient(settings),
    options: { ...settings.sync, runRetentionMs: settings.retention.runsMs },
    ...statusOptions(settings),
  };
}

export function reconcileDeps(settings = readSettings()): ReconcileDeps {
  return { db: db(), datamart: datamartClient(settings), options: settings.reconcile };
}

export function supplierHealthDeps(settings = readSettings()): SupplierHealthDeps {
  return { db: db(), datamart: datamartClient(settings), thresholds: settings.supplierThresholds };
}

export function orderStatusDeps(settings = readSettings()): OrderStatusDeps {
  const firestore = db();
  return {
    db: firestore,
    datamart: datamartClient(settings),
    refreshLimits: settings.refreshLimits,
    expectedDelivery: (network, now) => readDeliveryExpectation(firestore, network, now),
    ...statusOptions(settings),
  };
}

export function webhookDeps(settings = readSettings()): WebhookDeps {
  return {
    db: db(),
    secret: datamartWebhookSecret.value(),
    ...settings.webhook,
    ...statusOptions(settings),
  };
}
