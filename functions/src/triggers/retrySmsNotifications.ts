import { onSchedule } from "firebase-functions/v2/scheduler";
import { mnotifyApiKey, SMS_RETRY_SCHEDULE } from "../config";
import { retryPendingSms } from "../notifications/retrySms";
import { smsDeliveryDeps } from "../wiring";

/** Every 5 minutes: sends SMS that failed transiently and closes stuck claims. */
export const retrySmsNotifications = onSchedule(
  {
    schedule: SMS_RETRY_SCHEDULE,
    maxInstances: 1,
    retryCount: 0,
    timeoutSeconds: 120,
    secrets: [mnotifyApiKey],
  },
  async () => {
    await retryPendingSms(smsDeliveryDeps());
  },
);
