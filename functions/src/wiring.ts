import { datamartApiKey, datamartWebhookSecret, mnotifyApiKey } from "./config";
import { getAuth } from "firebase-admin/auth";
import { db, defaultApp, type StoreDeps } from "./firestore";
import { emailChannel } from "./notifications/emailChannel";
import { pushMessaging } from "./notifications/fcmTransport";
import { pushChannel } from "./notifications/pushChannel";
import type { DeliveryDeps } from "./notifications/delivery";
import type { NotifyDeps } from "./notifications/notifyStatusChange";
import { smsChannel } from "./notifications/smsChannel";
import type { ApplyOptions } from "./orders/applyStatus";
import type { OrderStatusDeps } from "./orders/orderStatusQuery";
import { DatamartClient } from "./providers/datamart";
import { MnotifyClient } from "./providers/mnotify";
import { readSettings, type Settings } from "./settings";
import type { AdoptionDeps } from "./sync/adoptions";
import type { SyncDeps } from "./sync/syncEngine";
import type { ReconcileDeps } from "./reconciliation/reconcile";
import { readDeliveryExpectation } from "./supplier/deliveryExpectation";
import type { SupplierHealthDeps } from "./supplier/supplierHealth";
import type { AlertDeps } from "./alerts/alertCheck";
import type { WebhookDeps } from "./webhooks/datamartWebhook";

// The composition root: params are read here, once per invocation (readSettings), secrets by the
// functions that bind them, and handed to plain code as its dependencies.

/** For the use cases that need only the store. */
export const storeDeps = (): StoreDeps => ({ db: db() });

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

export function deliveryDeps(settings = readSettings()): DeliveryDeps {
  const firestore = db();
  const { sms, push, email } = settings.channels;
  return {
    db: firestore,
    channels: {
      ...(sms && {
        sms: smsChannel(
          new MnotifyClient({ ...settings.mnotify, apiKey: mnotifyApiKey.value() }),
          settings.mnotify.timeoutMs,
        ),
      }),
      ...(push && {
        push: pushChannel({
          db: firestore,
          messaging: () => pushMessaging(settings.fcmTransportUrl),
          orderLink: (id) => `${settings.orderLinkBase}${encodeURIComponent(id)}`,
          timeoutMs: 10_000,
        }),
      }),
      ...(email && {
        email: emailChannel({
          db: firestore,
          collection: settings.mailCollection,
          authEmail: async (uid) => (await getAuth(defaultApp()).getUser(uid)).email,
          retentionMs: settings.retention.messagesMs,
        }),
      }),
    },
    retryWindowMs: settings.retryWindowMs,
  };
}

export function notifyDeps(settings = readSettings()): NotifyDeps {
  return {
    ...deliveryDeps(settings),
    maxOrderAgeMs: settings.maxOrderAgeMs,
    retention: settings.retention,
  };
}

export function alertDeps(settings = readSettings()): AlertDeps {
  return {
    delivery: deliveryDeps(settings),
    recipients: { sms: settings.alerts.sms, email: settings.alerts.email },
    throttleMs: settings.alerts.throttleMs,
    messageRetentionMs: settings.retention.messagesMs,
  };
}
