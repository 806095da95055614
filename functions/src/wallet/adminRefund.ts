import type { StoreDeps } from "../firestore";
import { z } from "zod";
import { orderSchema } from "../domain/order";
import { adminRefundBlocker, ledgerEntryId, toPesewas } from "../domain/walletRefund";
import { AppError, parseInput, transactionIdSchema } from "../errors";
import { readWallet, writeMoneyMove } from "./walletLedger";
import { type AdminRefundAnswer, COLLECTIONS } from "../contract";

const REFUNDABLE_BY_ADMIN = ["failed", "cancelled", "refunded"];

export const adminRefundRequestSchema = z.object({
  transactionId: transactionIdSchema,
  /** Pay although the automatic path's guarantees say no (e.g. a card payment returned as credit). */
  override: z
    .object({
      reason: z
        .string({ error: "override.reason must be a string" })
        .trim()
        .min(10, "override.reason must say why, in at least 10 characters")
        .max(500, "override.reason is too long"),
    })
    .optional(),
});

/**
 * An admin's refund of a settled order the automatic path left to them (`refund.state: manual`):
 * the same credit, ledger entry and `refund` map in one transaction, naming the admin. The ledger
 * entry's id is the automatic refund's, so an order is credited once whoever asks, however often.
 * A plain request keeps the automatic path's guarantees (adminRefundBlocker): an order refunded by
 * the app, never charged or not paid from the wallet answers `failed-precondition` with the reason;
 * only an override with a written reason credits it, and the reason is kept on the ledger entry.
 */
export async function refundByAdmin(
  { db }: StoreDeps,
  adminUid: string,
  input: unknown,
  now = new Date(),
): Promise<AdminRefundAnswer> {
  const { transactionId, override } = parseInput(adminRefundRequestSchema, input);
  const ref = db.collection(COLLECTIONS.transactions).doc(transactionId);
  return db.runTransaction(async (tx) => {
    const snapshot = await tx.get(ref);
    if (!snapshot.exists) throw new AppError("not-found", "No such order");
    const parsed = orderSchema.safeParse(snapshot.data());
    if (!parsed.success)
      throw new AppError("failed-precondition", "The order's document cannot be read");
    const order = parsed.data;
    if (!REFUNDABLE_BY_ADMIN.includes(order.status))
      throw new AppError(
        "failed-precondition",
        `Only a failed, cancelled or refunded order can be refunded; this one is ${order.status}`,
      );
    if (!order.userId) throw new AppError("failed-precondition", "The order names no customer");
    const wallet = await readWallet(tx, db, order.userId);
    const entryId = ledgerEntryId(transactionId, "refund");
    const entry = await tx.get(wallet.ref.collection(COLLECTIONS.walletLedger).doc(entryId));
    const amountPesewas = toPesewas(order.amount);
    if (order.refund?.state === "credited" || order.refund?.state === "reversed" || entry.exists)
      return {
        success: true,
        outcome: "already-refunded",
        transactionId,
        amount: Number(entry.get("amount") ?? order.refund?.amount ?? 0),
        ledgerEntryId: entryId,
      };
    const blocker = adminRefundBlocker(order);
    if (blocker && !override)
      throw new AppError(
        "failed-precondition",
        `Not refunded: ${blocker}. To pay anyway, refund with an override and its reason`,
      );
    if (amountPesewas === undefined || amountPesewas <= 0)
      throw new AppError("failed-precondition", "The order has no valid amount to refund");
    if (!wallet.exists || wallet.balancePesewas === undefined)
      throw new AppError("failed-precondition", "The customer's wallet cannot be read");
    const refund = writeMoneyMove(
      tx,
      wallet,
      { kind: "credit", amountPesewas },
      {
        orderId: transactionId,
        network: order.network,
        source: override ? "admin-override" : "admin-refund",
        at: now,
        adminUid,
        ...(override ? { overrideReason: override.reason } : {}),
      },
    );
    tx.update(ref, { refund });
    return {
      success: true,
      outcome: "credited",
      transactionId,
      amount: amountPesewas / 100,
      ledgerEntryId: entryId,
    };
  });
}
