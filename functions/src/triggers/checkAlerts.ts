import { onSchedule } from "firebase-functions/v2/scheduler";
import { checkAlerts as check } from "../alerts/alertCheck";
import { ALERT_SCHEDULE, mnotifyApiKey } from "../deployConfig";
import { logger } from "../logs";
import { alertDeps } from "../channelWiring";

/** Every 5 minutes: tells the operators (ALERT_SMS_TO, ALERT_EMAIL_TO) what started or cleared. */
export const checkAlerts = onSchedule(
  {
    schedule: ALERT_SCHEDULE,
    maxInstances: 1,
    retryCount: 0,
    timeoutSeconds: 120,
    secrets: [mnotifyApiKey],
  },
  async () => {
    const outcome = await check(alertDeps());
    logger.info("Alert check", outcome);
  },
);
