import { datamartApiKey, datamartWebhookSecret, mnotifyApiKey } from "./config";
import { db } from "./firestore";
import type { DeliveryDeps } from "./notifications/delivery";
import { smsChannel } from "./notifications/smsChannel";
import type { OrderStatusDeps } from "./orders/orderStatusQuery";
import { DatamartClient } from "./providers/datamart";
import { MnotifyClient } from "./providers/mnotify";
import { readSettings, type Settings } from "./settings";
import type { SyncDeps } from "./sync/syncEngine";
import type { WebhookDeps } from "./webhooks/datamartWebhook";

// The composition root: params are read here, once per invocation (readSettings), secrets by the
// functions that bind them, and handed to plain code as its dependencies.

function datamartClient(settings: Settings): DatamartClient {
  return new DatamartClient({ ...settings.datamart, apiKey: datamartApiKey.value() });
}

export function syncDeps(settings = readSettings()): SyncDeps {
  return {
    db: db(),
    datamart: datamartClient(settings),
    options: settings.sync,
    walletRefunds: settings.walletRefunds,
  };
}

export function orderStatusDeps(settings = readSettings()): OrderStatusDeps {
  return {
    db: db(),
    datamart: datamartClient(settings),
    refreshesPerMinute: settings.refreshesPerMinute,
    walletRefunds: settings.walletRefunds,
  };
}

export function webhookDeps(settings = readSettings()): WebhookDeps {
  return {
    db: db(),
    secret: datamartWebhookSecret.value(),
    ...settings.webhook,
    walletRefunds: settings.walletRefunds,
  };
}

export function deliveryDeps(settings = readSettings()): DeliveryDeps {
  const mnotify = new MnotifyClient({ ...settings.mnotify, apiKey: mnotifyApiKey.value() });
  return {
    db: db(),
    channel: smsChannel(mnotify, settings.mnotify.timeoutMs),
    retryWindowMs: settings.smsRetryWindowMs,
  };
}
