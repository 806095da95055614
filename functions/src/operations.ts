import { AppError } from "./errors";
import { db } from "./firestore";
import {
  answerOrderStatus,
  parseOrderStatusRequest,
  type Caller,
  type OrderStatusAnswer,
} from "./orders/orderStatusQuery";
import { runSync, type SyncSummary } from "./sync/syncEngine";
import { refundByAdmin, type AdminRefundAnswer } from "./wallet/adminRefund";
import { orderStatusDeps, syncDeps } from "./wiring";

// What the callables and the HTTPS API both do, once: they differ only in how they receive the
// caller and the input, and how they answer.

export function checkOrderStatus(caller: Caller, input: unknown): Promise<OrderStatusAnswer> {
  return answerOrderStatus(orderStatusDeps(), caller, parseOrderStatusRequest(input));
}

export interface AdminSyncAnswer {
  success: true;
  message: string;
  summary: SyncSummary;
}

export async function syncAsAdmin(caller: Caller): Promise<AdminSyncAnswer> {
  if (!caller.admin) throw new AppError("permission-denied", "Only admins can trigger a sync");
  const summary = await runSync(syncDeps(), "admin");
  return { success: true, message: summary.message, summary };
}

export function refundAsAdmin(caller: Caller, input: unknown): Promise<AdminRefundAnswer> {
  if (!caller.admin) throw new AppError("permission-denied", "Only admins can refund an order");
  return refundByAdmin(db(), caller.uid, input);
}
