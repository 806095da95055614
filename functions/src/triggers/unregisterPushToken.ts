import { unregisterPushToken as unregister } from "../notifications/pushTokens";
import { storeDeps } from "../firestore";
import { callable } from "./callable";

/** `{token}`: the signed-in customer's device stops getting push. */
export const unregisterPushToken = callable("unregisterPushToken", {}, (caller, data) =>
  unregister(storeDeps(), caller.uid, data),
);
