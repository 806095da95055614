import { onCall, type CallableRequest } from "firebase-functions/v2/https";
import {
  callableMaxInstances,
  datamartApiKey,
  mnotifyApiKey,
  API_TIMEOUT_SECONDS,
  SYNC_TIMEOUT_SECONDS,
} from "../config";
import type { Callables } from "../contract";
import {
  registerPushToken as registerToken,
  unregisterPushToken as unregisterToken,
} from "../notifications/pushTokens";
import {
  acknowledgeAlertAsAdmin,
  checkOrderStatus,
  reconcileAsAdmin,
  refundAsAdmin,
  resendAsAdmin,
  supplierHealthAsAdmin,
  syncAsAdmin,
  updateCaseAsAdmin,
} from "../operations";
import type { Caller } from "../domain/caller";
import {
  deliveryDeps,
  orderStatusDeps,
  reconcileDeps,
  storeDeps,
  supplierHealthDeps,
} from "../wiring";
import { currentCaller } from "./caller";
import { toHttpsError } from "./clientErrors";

/**
 * A callable's body: sign-in first, then the operation, answering what the contract says it
 * answers; failures leave as HttpsErrors only.
 */
function asCaller<Name extends keyof Callables>(
  name: Name,
  operation: (caller: Caller, data: unknown) => Promise<Callables[Name]["answer"]>,
) {
  return async (request: CallableRequest): Promise<Callables[Name]["answer"]> => {
    try {
      return await operation(await currentCaller(request.auth?.token), request.data);
    } catch (error) {
      throw toHttpsError(error, name);
    }
  };
}

/** `{transactionId, refresh?}` -> the order's status, for its owner or an admin. */
export const getOrderStatus = onCall(
  { secrets: [datamartApiKey], maxInstances: callableMaxInstances },
  asCaller("getOrderStatus", (caller, data) => checkOrderStatus(orderStatusDeps(), caller, data)),
);

/** Admins only: a sync now, answered in seconds with the run that took it, or queued (sync/adminSync.ts). */
export const adminSyncDatamartOrders = onCall(
  {
    timeoutSeconds: API_TIMEOUT_SECONDS,
    maxInstances: callableMaxInstances,
  },
  asCaller("adminSyncDatamartOrders", (caller) => syncAsAdmin(storeDeps(), caller)),
);

/** Admins only: `{transactionId}` -> credits a settled order's price to its customer's wallet, once. */
export const adminRefundOrder = onCall(
  { maxInstances: callableMaxInstances },
  asCaller("adminRefundOrder", (caller, data) => refundAsAdmin(storeDeps(), caller, data)),
);

/** Admins only: `{notificationId}` -> sends an UNKNOWN or FAILED message again, audited. */
export const adminResendNotification = onCall(
  { secrets: [mnotifyApiKey], maxInstances: callableMaxInstances },
  asCaller("adminResendNotification", (caller, data) =>
    resendAsAdmin(deliveryDeps(), caller, data),
  ),
);

/** Admins only: one reconciliation run now (it resumes an unfinished report). */
export const adminReconcileDatamart = onCall(
  {
    secrets: [datamartApiKey],
    timeoutSeconds: SYNC_TIMEOUT_SECONDS,
    maxInstances: callableMaxInstances,
  },
  asCaller("adminReconcileDatamart", (caller) => reconcileAsAdmin(reconcileDeps(), caller)),
);

/** Admins only: `{caseId, state, note}` -> a reconciliation case's state; never moves money. */
export const adminUpdateReconciliationCase = onCall(
  { maxInstances: callableMaxInstances },
  asCaller("adminUpdateReconciliationCase", (caller, data) =>
    updateCaseAsAdmin(storeDeps(), caller, data),
  ),
);

/** Admins only: Datamart's balance and delivery times, checked now (also every 30 minutes). */
export const adminCheckSupplierHealth = onCall(
  { secrets: [datamartApiKey], maxInstances: callableMaxInstances },
  asCaller("adminCheckSupplierHealth", (caller) =>
    supplierHealthAsAdmin(supplierHealthDeps(), caller),
  ),
);

/** Admins only: `{alertId}` -> an active operators' alert is marked seen, with the admin's uid. */
export const adminAcknowledgeAlert = onCall(
  { maxInstances: callableMaxInstances },
  asCaller("adminAcknowledgeAlert", (caller, data) =>
    acknowledgeAlertAsAdmin(storeDeps(), caller, data),
  ),
);

/** A signed-in customer's device token for push: `{token, platform?}`, created or seen again. */
export const registerPushToken = onCall(
  { maxInstances: callableMaxInstances },
  asCaller("registerPushToken", (caller, data) => registerToken(storeDeps(), caller.uid, data)),
);

/** `{token}`: the signed-in customer's device stops getting push. */
export const unregisterPushToken = onCall(
  { maxInstances: callableMaxInstances },
  asCaller("unregisterPushToken", (caller, data) => unregisterToken(storeDeps(), caller.uid, data)),
);
