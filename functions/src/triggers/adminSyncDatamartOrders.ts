import { API_TIMEOUT_SECONDS } from "../deployConfig";
import { syncForAdmin } from "../sync/adminSync";
import { storeDeps } from "../firestore";
import { adminCallable } from "./callable";

/** Admins only: a sync now, answered in seconds with the run that took it, or queued (sync/adminSync.ts). */
export const adminSyncDatamartOrders = adminCallable(
  "adminSyncDatamartOrders",
  "trigger a sync",
  { timeoutSeconds: API_TIMEOUT_SECONDS },
  (caller) => syncForAdmin(storeDeps(), caller.uid),
);
