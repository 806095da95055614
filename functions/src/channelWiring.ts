import { getAuth } from "firebase-admin/auth";
import type { AlertDeps } from "./alerts/alertCheck";
import { mnotifyApiKey } from "./deployConfig";
import { db, defaultApp } from "./firestore";
import type { DeliveryDeps } from "./notifications/delivery";
import { emailChannel } from "./notifications/emailChannel";
import { pushMessaging } from "./notifications/fcmTransport";
import type { NotifyDeps } from "./notifications/notifyStatusChange";
import { pushChannel } from "./notifications/pushChannel";
import { smsChannel } from "./notifications/smsChannel";
import { MnotifyClient } from "./providers/mnotify";
import { readSettings } from "./settings";

// The composition root's half for what sends messages (wiring.ts has the rest): the channels
// switched on, each with its provider's adapter.

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
