import { setGlobalOptions } from "firebase-functions/v2/options";

setGlobalOptions({ region: "us-central1", memory: "256MiB" });

/**
 * Every function, each defined by the module of its name in triggers/. An export is loaded when it
 * is read: an instance loads only its own function's module (Cloud Functions and the emulator read
 * the one export named in FUNCTION_TARGET), so a callable never loads the Firestore triggers' SDK
 * nor the message channels it does not use; firebase deploy reads every export.
 */
const FUNCTIONS = [
  "syncDatamartOrderStatus",
  "runRequestedSync",
  "onOrderUpdated",
  "adoptNewOrder",
  "sweepNotifications",
  "adminAcknowledgeAlert",
  "adminCheckSupplierHealth",
  "adminReconcileDatamart",
  "adminRefundOrder",
  "adminResendNotification",
  "adminSyncDatamartOrders",
  "adminUpdateReconciliationCase",
  "getOrderStatus",
  "registerPushToken",
  "unregisterPushToken",
  "api",
  "reconcileDatamartWallet",
  "checkSupplierHealth",
  "checkAlerts",
];

for (const name of FUNCTIONS)
  Object.defineProperty(module.exports, name, {
    enumerable: true,
    // Required when read, not before: the point of this table.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    get: () => (require(`./triggers/${name}`) as Record<string, unknown>)[name],
  });
