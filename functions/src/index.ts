import { setGlobalOptions } from "firebase-functions/v2";

setGlobalOptions({ region: "us-central1", memory: "256MiB" });

export { syncDatamartOrderStatus } from "./triggers/syncDatamartOrderStatus";
export { runRequestedSync } from "./triggers/runRequestedSync";
export { onOrderUpdated } from "./triggers/onOrderUpdated";
export { adoptNewOrder } from "./triggers/adoptNewOrder";
export { sweepNotifications } from "./triggers/sweepNotifications";
export {
  adminAcknowledgeAlert,
  adminCheckSupplierHealth,
  adminReconcileDatamart,
  adminRefundOrder,
  adminResendNotification,
  adminSyncDatamartOrders,
  adminUpdateReconciliationCase,
  getOrderStatus,
  registerPushToken,
  unregisterPushToken,
} from "./triggers/callables";
export { api } from "./triggers/api";
export { reconcileDatamartWallet } from "./triggers/reconcileDatamartWallet";
export { checkSupplierHealth } from "./triggers/checkSupplierHealth";
export { checkAlerts } from "./triggers/checkAlerts";
