import { z } from "zod";
import { acknowledgeAlert } from "./alerts/alertCheck";
import { AppError, documentId, parseInput } from "./errors";
import type { StoreDeps } from "./firestore";
import { deliver, requeueByAdmin, type DeliveryDeps } from "./notifications/delivery";
import type { Caller } from "./domain/caller";
import {
  answerOrderStatus,
  parseOrderStatusRequest,
  type OrderStatusDeps,
} from "./orders/orderStatusQuery";
import { syncForAdmin } from "./sync/adminSync";
import { refundByAdmin } from "./wallet/adminRefund";
import { updateCaseByAdmin } from "./reconciliation/cases";
import { runReconciliation, type ReconcileDeps } from "./reconciliation/reconcile";
import {
  checkSupplierHealth,
  type SupplierHealth,
  type SupplierHealthDeps,
} from "./supplier/supplierHealth";
import {
  type AdminRefundAnswer,
  type AdminSyncAnswer,
  COLLECTIONS,
  type CaseUpdateAnswer,
  type OrderStatusAnswer,
  type ReconciliationReport,
  type ResendAnswer,
} from "./contract";

// What the callables and the HTTPS API both do, once: they differ only in how they receive the
// caller and the input, and how they answer. Each takes its dependencies; the triggers compose them.

/** Admin-only operations refuse everyone else first, with what they would have done. */
function requireAdmin(caller: Caller, action: string): void {
  if (!caller.admin) throw new AppError("permission-denied", `Only admins can ${action}`);
}

export function checkOrderStatus(
  deps: OrderStatusDeps,
  caller: Caller,
  input: unknown,
): Promise<OrderStatusAnswer> {
  return answerOrderStatus(deps, caller, parseOrderStatusRequest(input));
}

export function syncAsAdmin(deps: StoreDeps, caller: Caller): Promise<AdminSyncAnswer> {
  requireAdmin(caller, "trigger a sync");
  return syncForAdmin(deps, caller.uid);
}

export async function reconcileAsAdmin(
  deps: ReconcileDeps,
  caller: Caller,
): Promise<ReconciliationReport> {
  requireAdmin(caller, "reconcile Datamart's wallet");
  return runReconciliation(deps, "admin");
}

export function updateCaseAsAdmin(
  deps: StoreDeps,
  caller: Caller,
  input: unknown,
): Promise<CaseUpdateAnswer> {
  requireAdmin(caller, "change a reconciliation case");
  return updateCaseByAdmin(deps, caller.uid, input);
}

export function supplierHealthAsAdmin(
  deps: SupplierHealthDeps,
  caller: Caller,
): Promise<SupplierHealth> {
  requireAdmin(caller, "check supplier health");
  return checkSupplierHealth(deps);
}

export function refundAsAdmin(
  deps: StoreDeps,
  caller: Caller,
  input: unknown,
): Promise<AdminRefundAnswer> {
  requireAdmin(caller, "refund an order");
  return refundByAdmin(deps, caller.uid, input);
}

const resendRequestSchema = z.object({ notificationId: documentId("notificationId") });

/**
 * Admins only: sends an UNKNOWN or FAILED customer message again, once, with an audit entry naming
 * the admin. An UNKNOWN message may already have reached the customer: the admin decides that.
 */
export async function resendAsAdmin(
  deps: DeliveryDeps,
  caller: Caller,
  input: unknown,
): Promise<ResendAnswer> {
  requireAdmin(caller, "resend a message");
  const { notificationId } = parseInput(resendRequestSchema, input);
  const ref = deps.db.collection(COLLECTIONS.orderNotifications).doc(notificationId);
  const previousState = await requeueByAdmin(deps, ref, caller.uid);
  if (!previousState) throw new AppError("not-found", "No such message");
  if (previousState !== "UNKNOWN" && previousState !== "FAILED")
    throw new AppError(
      "failed-precondition",
      `Only an UNKNOWN or FAILED message can be resent; this one is ${previousState}`,
    );
  const state = (await deliver(deps, ref)) ?? "PENDING";
  return { success: true, notificationId, previousState, state };
}

const acknowledgeRequestSchema = z.object({ alertId: documentId("alertId") });

/** Admins only: marks an active alert seen; a cleared or unknown one answers a typed error. */
export async function acknowledgeAlertAsAdmin(
  deps: StoreDeps,
  caller: Caller,
  input: unknown,
): Promise<{ success: true; alertId: string }> {
  requireAdmin(caller, "acknowledge an alert");
  const { alertId } = parseInput(acknowledgeRequestSchema, input);
  const outcome = await acknowledgeAlert(deps, caller.uid, alertId);
  if (outcome === "not-found") throw new AppError("not-found", "No such alert");
  if (outcome === "not-active")
    throw new AppError(
      "failed-precondition",
      "This alert has cleared; there is nothing to acknowledge",
    );
  return { success: true, alertId };
}
