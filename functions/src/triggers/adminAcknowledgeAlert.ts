import { acknowledgeForAdmin } from "../alerts/acknowledge";
import { storeDeps } from "../firestore";
import { adminCallable } from "./callable";

/** Admins only: `{alertId}` -> an active operators' alert is marked seen, with the admin's uid. */
export const adminAcknowledgeAlert = adminCallable(
  "adminAcknowledgeAlert",
  "acknowledge an alert",
  {},
  (caller, data) => acknowledgeForAdmin(storeDeps(), caller.uid, data),
);
