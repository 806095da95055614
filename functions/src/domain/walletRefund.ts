import type { Order } from "./order";
import type { DataSellStatus } from "./orderStatus";
import { reopensFinal } from "./statusChange";

/*
 * Decisions about a wallet order's money when Datamart settles it. Pure: the Firestore side is
 * wallet/walletLedger.ts. Amounts are integer pesewas (GHS 1 = 100 pesewas): balances in the app's
 * records carry float noise (2.5999999999999943), which rounding to pesewas removes.
 */

/** The statuses after which a wallet order's price goes back to the customer's wallet. */
const REFUNDABLE: ReadonlySet<string> = new Set(["failed", "cancelled", "refunded"]);

export type RefundState = "credited" | "manual" | "reversed" | "reversal-manual";

/** The `refund` map on an order. */
export interface OrderRefund {
  state: RefundState;
  /** GHS, and the same in pesewas. */
  amount?: number;
  amountPesewas?: number;
  /** `users/{uid}/walletLedger/{id}` of the credit, and of its reversal. */
  ledgerEntryId?: string;
  reversalEntryId?: string;
  /** Why an admin has to decide (state `manual` or `reversal-manual`). */
  reason?: string;
  /** The admin who refunded by hand, and why, when they overrode a guarantee. */
  adminUid?: string;
  overrideReason?: string;
}

export type MoneyMove =
  | { kind: "none" }
  | { kind: "credit"; amountPesewas: number }
  | { kind: "reverse"; amountPesewas: number }
  | { kind: "manual"; state: "manual" | "reversal-manual"; reason: string };

/** Whether a status change may move a wallet order's money: a refund, or a refund's reversal. */
export const changeMovesMoney = (from: string, to: string): boolean =>
  REFUNDABLE.has(to) || reopensFinal(from, to);

/** GHS as the app stores it (a number, or a numeric string in older records) to pesewas. */
export function toPesewas(value: unknown): number | undefined {
  const ghs = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof ghs !== "number" || !Number.isFinite(ghs)) return undefined;
  return Math.round(ghs * 100);
}

/** Pesewas back to GHS with at most two decimals, as balances are written. */
export const toGhs = (pesewas: number): number => pesewas / 100;

/** "GHS 5.00", for messages. */
export const formatGhs = (pesewas: number): string => `GHS ${(pesewas / 100).toFixed(2)}`;

/** Datamart accepted (and so charged for) the order: it carries a Datamart identity. */
export function datamartAccepted(order: Order): boolean {
  const response = order.datamartResponse;
  return !!(
    order.datamartTransactionId ||
    response?.purchaseId ||
    response?.orderReference ||
    response?.transactionReference
  );
}

/**
 * Why an admin's plain refund must not credit this order, or undefined when it may: the automatic
 * path's guarantees (refunded once by anyone, only what was charged, only to the wallet it came
 * from). An admin pays anyway only by an explicit override with a written reason.
 */
export function adminRefundBlocker(order: Order): string | undefined {
  if (order.refunded === true || order.refundedAt) return "the DataSell app already refunded it";
  if (order.status === "refunded" && order.datamartStatus !== "refunded")
    return "the DataSell app marked it refunded";
  if (!datamartAccepted(order))
    return "Datamart never accepted it, so the customer was never charged";
  if (order.paymentMethod !== "wallet")
    return `it was paid by ${order.paymentMethod ?? "an unknown method"}, not the wallet`;
  return undefined;
}

/** Which ledger entry ids a movement of this order may have: one credit and one reversal, ever. */
export const ledgerEntryId = (orderId: string, kind: "refund" | "reversal"): string =>
  `${kind}_${orderId}`;

/**
 * What Datamart's word moving an order from `from` to `to` does to the customer's wallet. Only a
 * wallet order Datamart accepted is credited, and only once (an order with a `refund` map has been
 * decided already); a delivery after a credit takes the credit back if the balance allows.
 */
export function moneyMove(
  order: Order,
  to: DataSellStatus,
  wallet: { exists: boolean; balancePesewas?: number },
): MoneyMove {
  const refund = order.refund;
  if (to === "delivered") {
    if (refund?.state !== "credited" || !refund.amountPesewas) return { kind: "none" };
    const balance = wallet.balancePesewas;
    if (balance === undefined || balance < refund.amountPesewas)
      return {
        kind: "manual",
        state: "reversal-manual",
        reason: "delivered after the refund, and the wallet holds less than the refund",
      };
    return { kind: "reverse", amountPesewas: refund.amountPesewas };
  }
  if (!REFUNDABLE.has(to) || refund || !datamartAccepted(order)) return { kind: "none" };
  const manual = (reason: string): MoneyMove => ({ kind: "manual", state: "manual", reason });
  if (order.paymentMethod !== "wallet")
    return manual(`paid by ${order.paymentMethod ?? "an unknown method"}, not the wallet`);
  if (order.refunded === true || order.refundedAt)
    return manual("the DataSell app already refunded it");
  // Settled before the switch-on, under the app's own refund path: an operator decides.
  if (order.cutover != null) return manual("open at switch-on: the app may have refunded it");
  const amount = toPesewas(order.amount);
  if (amount === undefined || amount <= 0) return manual("the order has no valid amount");
  if (!wallet.exists) return manual("the customer has no users document");
  if (wallet.balancePesewas === undefined) return manual("the wallet balance is not a number");
  return { kind: "credit", amountPesewas: amount };
}
