import { refundByAdmin } from "../wallet/adminRefund";
import { storeDeps } from "../firestore";
import { adminCallable } from "./callable";

/** Admins only: `{transactionId}` -> credits a settled order's price to its customer's wallet, once. */
export const adminRefundOrder = adminCallable(
  "adminRefundOrder",
  "refund an order",
  {},
  (caller, data) => refundByAdmin(storeDeps(), caller.uid, data),
);
