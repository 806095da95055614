import { onSchedule } from "firebase-functions/v2/scheduler";
import {
  mnotifyApiKey,
  SMS_RETRY_SCHEDULE,
  SWEEP_TIME_BUDGET_MS,
  SWEEP_TIMEOUT_SECONDS,
} from "../deployConfig";
import { runNotificationSweep } from "../notifications/sweep";
import { notifyDeps } from "../channelWiring";

/**
 * Every 5 minutes: takes back crashed claims, sends the messages that are due, reads delivery
 * reports. Its time budget stays 30 s below its timeout, so it never dies mid-send.
 */
export const sweepNotifications = onSchedule(
  {
    schedule: SMS_RETRY_SCHEDULE,
    maxInstances: 1,
    retryCount: 0,
    timeoutSeconds: SWEEP_TIMEOUT_SECONDS,
    secrets: [mnotifyApiKey],
  },
  async () => {
    await runNotificationSweep(notifyDeps(), {
      timeBudgetMs: SWEEP_TIME_BUDGET_MS,
      concurrency: 4,
    });
  },
);
