import { onSchedule } from "firebase-functions/v2/scheduler";
import { datamartApiKey, RECONCILE_SCHEDULE, SYNC_TIMEOUT_SECONDS } from "../deployConfig";
import { runReconciliation } from "../reconciliation/reconcile";
import { reconcileDeps } from "../wiring";

/** Daily: Datamart's wallet movements against the orders. A run that stops is resumed by the next. */
export const reconcileDatamartWallet = onSchedule(
  {
    schedule: RECONCILE_SCHEDULE,
    timeZone: "Africa/Accra",
    maxInstances: 1,
    retryCount: 0,
    timeoutSeconds: SYNC_TIMEOUT_SECONDS,
    secrets: [datamartApiKey],
  },
  async () => {
    await runReconciliation(reconcileDeps(), "schedule");
  },
);
