import {
  Timestamp,
  type DocumentReference,
  type Firestore,
  type Transaction,
} from "firebase-admin/firestore";
import {
  ledgerEntryId,
  toGhs,
  toPesewas,
  type MoneyMove,
  type OrderRefund,
} from "../domain/walletRefund";
import { logWalletMove } from "../logs";
import { countMoneyMove } from "../stats/dailyStats";
import { COLLECTIONS } from "../contract";

/*
 * The one path that moves a customer's money: inside the caller's transaction, the new balance, a
 * ledger entry whose id says which order and which movement it is (created once: a second credit of
 * the same order fails the transaction), the day's figures, and the `refund` map the caller writes
 * on the order.
 */

export interface Wallet {
  ref: DocumentReference;
  exists: boolean;
  /** The balance in pesewas; undefined when the document has none that is a number. */
  balancePesewas?: number;
}

/** `users/{uid}/walletLedger/{entryId}`, server-only. */
export interface LedgerEntry {
  type: "refund" | "reversal";
  orderId: string;
  /** GHS, signed: a refund adds, a reversal takes away. */
  amount: number;
  amountPesewas: number;
  balanceBefore: number;
  balanceAfter: number;
  at: Timestamp;
  /** What carried Datamart's word (poll, webhook, admin, user) or `admin-refund`. */
  source: string;
  /** The admin who refunded by hand. */
  adminUid?: string;
  /** Why the admin paid although the automatic path's guarantees said no. */
  overrideReason?: string;
}

/** Reads the customer's wallet in the transaction (reads come before every write). */
export async function readWallet(tx: Transaction, db: Firestore, userId: string): Promise<Wallet> {
  const ref = db.collection(COLLECTIONS.users).doc(userId);
  const snapshot = await tx.get(ref);
  const balance: unknown = snapshot.get("walletBalance");
  return {
    ref,
    exists: snapshot.exists,
    // A user without a balance yet has an empty wallet.
    balancePesewas: snapshot.exists && balance === undefined ? 0 : toPesewas(balance),
  };
}

/**
 * Writes a decided move in the transaction and returns the order's new `refund` map (undefined
 * when nothing moves). A credit or reversal is written with `create`, so the same movement of the
 * same order can never be written twice, whatever path asked for it.
 */
export function writeMoneyMove(
  tx: Transaction,
  wallet: Wallet | undefined,
  move: MoneyMove,
  context: {
    orderId: string;
    /** The order's network, for the day's figures. */
    network?: string | null;
    refund?: object;
    source: string;
    at: Date;
    adminUid?: string;
    overrideReason?: string;
  },
): (OrderRefund & { at: Timestamp }) | undefined {
  if (move.kind === "none") return undefined;
  const at = Timestamp.fromDate(context.at);
  if (move.kind === "manual") {
    logWalletMove(context.orderId, move.state, 0, move.reason);
    return { ...context.refund, state: move.state, reason: move.reason, at };
  }
  if (!wallet) throw new Error("Moving money needs the customer's wallet");
  const before = wallet.balancePesewas ?? 0;
  const signed = move.kind === "credit" ? move.amountPesewas : -move.amountPesewas;
  const type = move.kind === "credit" ? "refund" : "reversal";
  const entryId = ledgerEntryId(context.orderId, type);
  const by = {
    ...(context.adminUid ? { adminUid: context.adminUid } : {}),
    ...(context.overrideReason ? { overrideReason: context.overrideReason } : {}),
  };
  const entry: LedgerEntry = {
    type,
    orderId: context.orderId,
    amount: toGhs(signed),
    amountPesewas: signed,
    balanceBefore: toGhs(before),
    balanceAfter: toGhs(before + signed),
    at,
    source: context.source,
    ...by,
  };
  tx.create(wallet.ref.collection(COLLECTIONS.walletLedger).doc(entryId), entry);
  tx.update(wallet.ref, { walletBalance: toGhs(before + signed) });
  countMoneyMove(tx, wallet.ref.firestore, {
    network: context.network,
    type,
    pesewas: move.amountPesewas,
    at: context.at,
  });
  logWalletMove(context.orderId, type, signed);
  return move.kind === "credit"
    ? {
        state: "credited",
        amount: toGhs(move.amountPesewas),
        amountPesewas: move.amountPesewas,
        ledgerEntryId: entryId,
        at,
        ...by,
      }
    : { ...context.refund, state: "reversed", reversalEntryId: entryId, at };
}
