import { z } from "zod";

/** A Firestore Timestamp, known by its shape so that this module stays free of firebase-admin. */
const isTimestampLike = (value: unknown): value is { toDate(): unknown } =>
  typeof value === "object" &&
  value !== null &&
  "toDate" in value &&
  typeof value.toDate === "function";

/** Times in existing orders are ISO strings; newer writes may be Firestore Timestamps. */
export function toDate(value: unknown): Date | undefined {
  if (isTimestampLike(value)) {
    const date = value.toDate();
    return date instanceof Date ? date : undefined;
  }
  if (value instanceof Date) return value;
  if (typeof value === "string" && value.trim() !== "") {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
}

const optionalText = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .optional()
  .nullable()
  .catch(undefined);

/** The fields of a `transactions/{id}` document this system reads. Everything else is kept as is. */
export const orderSchema = z.looseObject({
  userId: optionalText,
  status: z.string(),
  network: optionalText,
  packageName: optionalText,
  volume: optionalText,
  phoneNumber: optionalText,
  amount: z.union([z.number(), z.string()]).optional().nullable().catch(undefined),
  reference: optionalText,
  orderReference: optionalText,
  datamartTransactionId: optionalText,
  datamartStatus: optionalText,
  datamartResponse: z
    .looseObject({
      purchaseId: optionalText,
      orderReference: optionalText,
      transactionReference: optionalText,
    })
    .optional()
    .nullable()
    .catch(undefined),
  timestamp: z.unknown().optional(),
  paymentMethod: optionalText,
  /** Set by the DataSell app's own refund routes. */
  refunded: z.unknown().optional(),
  refundedAt: z.unknown().optional(),
  /** This project's sync bookkeeping: a failed order's watch (orders/applyStatus.ts). */
  sync: z
    .looseObject({
      watchUntil: z.unknown().optional(),
      needsAttentionReason: z.string().optional().catch(undefined),
    })
    .optional()
    .nullable()
    .catch(undefined),
  /** Marked by the cutover command: open at switch-on, corrected without a message or refund. */
  cutover: z.unknown().optional(),
  /** This project's refund decision for the order (wallet/walletLedger.ts). */
  refund: z
    .looseObject({
      state: z.string(),
      amount: z.number().optional(),
      amountPesewas: z.number().int().optional(),
      ledgerEntryId: z.string().optional(),
      reversalEntryId: z.string().optional(),
      reason: z.string().optional(),
      adminUid: z.string().optional(),
    })
    .optional()
    // Present but unreadable still means decided: never a second credit.
    .catch({ state: "unreadable" }),
});
export type Order = z.infer<typeof orderSchema>;

/**
 * The references Datamart may know this order by, best first: the `GN-…` order reference, the
 * `TRX-…` transaction reference, then the bare purchase id DataSell stores in `datamartTransactionId`.
 */
export function datamartReferences(order: Order): string[] {
  const candidates = [
    order.orderReference,
    order.datamartResponse?.orderReference,
    order.datamartResponse?.transactionReference,
    order.datamartTransactionId,
    order.datamartResponse?.purchaseId,
  ];
  return [...new Set(candidates.filter((ref): ref is string => !!ref))];
}
