import { z } from "zod";
import { acknowledgeAlert } from "./alerts/alertCheck";
import { AppError, documentId, parseInput } from "./errors";
import { db } from "./firestore";
import { deliver, requeueByAdmin } from "./notifications/delivery";
import { answerOrderStatus, parseOrderStatusRequest, type Caller } from "./orders/orderStatusQuery";
import { syncForAdmin } from "./sync/adminSync";
import { refundByAdmin } from "./wallet/adminRefund";
import { updateCaseByAdmin } from "./reconciliation/cases";
import { runReconciliation } from "./reconciliation/reconcile";
import { checkSupplierHealth, type SupplierHealth } from "./supplier/supplierHealth";
import { deliveryDeps, orderStatusDeps, reconcileDeps, supplierHealthDeps } from "./wiring";
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
// caller and the input, and how they answer.

/** Admin-only operations refuse everyone else first, with what they would have done. */
function requireAdmin(caller: Caller, action: string): void {
  if (!caller.admin) throw new AppError("permission-denied", `Only admins can ${action}`);
}

export function checkOrderStatus(caller: Caller, input: unknown): Promise<OrderStatusAnswer> {
  return answerOrderStatus(orderStatusDeps(), caller, parseOrderStatusRequest(input));
}

export function syncAsAdmin(caller: Caller): Promise<AdminSyncAnswer> {
  requireAdmin(caller, "trigger a sync");
  return syncForAdmin({ db: db() }, caller.uid);
}

export async function reconcileAsAdmin(caller: Caller): Promise<ReconciliationReport> {
  requireAdmin(caller, "reconcile Datamart's wallet");
  return runReconciliation(reconcileDeps(), "admin");
}

export function updateCaseAsAdmin(caller: Caller, input: unknown): Promise<CaseUpdateAnswer> {
  requireAdmin(caller, "change a reconciliation case");
  return updateCaseByAdmin(db(), caller.uid, input);
}

export function supplierHealthAsAdmin(caller: Caller): Promise<SupplierHealth> {
  requireAdmin(caller, "check supplier health");
  return checkSupplierHealth(supplierHealthDeps());
}

export function refundAsAdmin(caller: Caller, input: unknown): Promise<AdminRefundAnswer> {
  requireAdmin(caller, "refund an order");
  return refundByAdmin(db(), caller.uid, input);
}

const resendRequestSchema = z.object({ notificationId: documentId("notificationId") });

/**
 * Admins only: sends an UNKNOWN or FAILED customer message again, once, with an audit entry naming
 * the admin. An UNKNOWN message may already have reached the customer: the admin decides that.
 */
export async function resendAsAdmin(caller: Caller, input: unknown): Promise<ResendAnswer> {
  requireAdmin(caller, "resend a message");
  const { notificationId } = parseInput(resendRequestSchema, input);
  const deps = deliveryDeps();
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
  caller: Caller,
  input: unknown,
): Promise<{ success: true; alertId: string }> {
  requireAdmin(caller, "acknowledge an alert");
  const { alertId } = parseInput(acknowledgeRequestSchema, input);
  const outcome = await acknowledgeAlert(db(), caller.uid, alertId);
  if (outcome === "not-found") throw new AppError("not-found", "No such alert");
  if (outcome === "not-active")
    throw new AppError(
      "failed-precondition",
      "This alert has cleared; there is nothing to acknowledge",
    );
  return { success: true, alertId };
}
