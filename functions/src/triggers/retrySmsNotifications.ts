import { onSchedule } from "firebase-functions/v2/scheduler";
import { mnotifyApiKey, SMS_RETRY_SCHEDULE } from "../config";
import { sweepNotifications } from "../notifications/sweep";
import { notifyDeps } from "../wiring";

const TIMEOUT_SECONDS = 120;

/**
 * Every 5 minutes: takes back crashed claims, sends the messages that are due, reads delivery
 * reports. Its time budget stays 30 s below its timeout, so it never dies mid-send.
 */
export const retrySmsNotifications = onSchedule(
  {
    schedule: SMS_RETRY_SCHEDULE,
    maxInstances: 1,
    retryCount: 0,
    timeoutSeconds: TIMEOUT_SECONDS,
    secrets: [mnotifyApiKey],
  },
  async () => {
    await sweepNotifications(notifyDeps(), {
      timeBudgetMs: (TIMEOUT_SECONDS - 30) * 1000,
      concurrency: 4,
    });
  },
);
