import { registerPushToken as register } from "../notifications/pushTokens";
import { storeDeps } from "../firestore";
import { callable } from "./callable";

/** A signed-in customer's device token for push: `{token, platform?}`, created or seen again. */
export const registerPushToken = callable("registerPushToken", {}, (caller, data) =>
  register(storeDeps(), caller.uid, data),
);
