import { mnotifyApiKey } from "../deployConfig";
import { resendForAdmin } from "../notifications/resend";
import { deliveryDeps } from "../channelWiring";
import { adminCallable } from "./callable";

/** Admins only: `{notificationId}` -> sends an UNKNOWN or FAILED message again, audited. */
export const adminResendNotification = adminCallable(
  "adminResendNotification",
  "resend a message",
  { secrets: [mnotifyApiKey] },
  (caller, data) => resendForAdmin(deliveryDeps(), caller.uid, data),
);
