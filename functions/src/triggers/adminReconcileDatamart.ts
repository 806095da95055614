import { datamartApiKey, SYNC_TIMEOUT_SECONDS } from "../deployConfig";
import { runReconciliation } from "../reconciliation/reconcile";
import { reconcileDeps } from "../wiring";
import { adminCallable } from "./callable";

/** Admins only: one reconciliation run now (it resumes an unfinished report). */
export const adminReconcileDatamart = adminCallable(
  "adminReconcileDatamart",
  "reconcile Datamart's wallet",
  { secrets: [datamartApiKey], timeoutSeconds: SYNC_TIMEOUT_SECONDS },
  () => runReconciliation(reconcileDeps(), "admin"),
);
