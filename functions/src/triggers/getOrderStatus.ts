import { datamartApiKey } from "../deployConfig";
import { checkOrderStatus } from "../orders/orderStatusQuery";
import { orderStatusDeps } from "../wiring";
import { callable } from "./callable";

/** `{transactionId, refresh?}` -> the order's status, for its owner or an admin. */
export const getOrderStatus = callable(
  "getOrderStatus",
  { secrets: [datamartApiKey] },
  (caller, data) => checkOrderStatus(orderStatusDeps(), caller, data),
);
