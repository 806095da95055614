import { onCall } from "firebase-functions/v2/https";
import { datamartApiKey, SYNC_TIMEOUT_SECONDS } from "../config";
import { checkOrderStatus, syncAsAdmin } from "../operations";
import { callerFromToken, toHttpsError } from "./access";

/** `{transactionId, refresh?}` -> the order's status, for its owner or an admin. */
export const getOrderStatus = onCall({ secrets: [datamartApiKey] }, async (request) => {
  try {
    const caller = callerFromToken(
      request.auth && { uid: request.auth.uid, admin: request.auth.token.admin },
    );
    return await checkOrderStatus(caller, request.data);
  } catch (error) {
    throw toHttpsError(error, "getOrderStatus");
  }
});

/** Admins only: one sync run now (trigger `admin`), or the lease-skip answer if one is running. */
export const adminSyncDatamartOrders = onCall(
  { secrets: [datamartApiKey], timeoutSeconds: SYNC_TIMEOUT_SECONDS },
  async (request) => {
    try {
      const caller = callerFromToken(
        request.auth && { uid: request.auth.uid, admin: request.auth.token.admin },
      );
      return await syncAsAdmin(caller);
    } catch (error) {
      throw toHttpsError(error, "adminSyncDatamartOrders");
    }
  },
);
