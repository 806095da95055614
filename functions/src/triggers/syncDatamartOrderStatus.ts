import { onSchedule } from "firebase-functions/v2/scheduler";
import { datamartApiKey, SYNC_SCHEDULE, SYNC_TIMEOUT_SECONDS } from "../deployConfig";
import { runSync } from "../sync/syncEngine";
import { syncDeps } from "../wiring";

/** Every 5 minutes: one sync run. Retries are off; the next run picks up what this one left. */
export const syncDatamartOrderStatus = onSchedule(
  {
    schedule: SYNC_SCHEDULE,
    maxInstances: 1,
    retryCount: 0,
    timeoutSeconds: SYNC_TIMEOUT_SECONDS,
    secrets: [datamartApiKey],
  },
  async () => {
    await runSync(syncDeps(), "schedule");
  },
);
