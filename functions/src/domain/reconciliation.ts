import { isFinalStatus } from "./orderStatus";
import { formatGhs, toPesewas } from "./walletRefund";

/*
 * Reconciliation: every movement of DataSell's Datamart wallet matched to an order, and every
 * disagreement between the two ledgers named, with both sides. Amounts are pesewas.
 */

/** A movement as Datamart lists it, normalised. */
export interface Movement {
  /** `purchase` debits the wallet, `refund` credits it; other types are kept and reported. */
  type: string;
  amountPesewas: number;
  status?: string;
  /** The order's `TRX-…` transaction reference. */
  reference?: string;
  /** Datamart's purchase id, where the movement carries it. */
  purchaseId?: string;
  createdAt: string;
}

/** What reconciliation needs of an order. */
export interface OrderView {
  id: string;
  status: string;
  paymentMethod?: string;
  /** What the customer paid. */
  amountPesewas?: number;
  /** Datamart's price at purchase (`datamartResponse.price`): what it should have charged. */
  datamartPricePesewas?: number;
  /** This project's refund to the customer, if any (`order.refund.state`). */
  refundState?: string;
  refundPesewas?: number;
}

export const MISMATCH_KINDS = [
  "charged-but-failed",
  "refund-not-passed-on",
  "delivered-without-charge",
  "movement-without-order",
  "amount-differs",
  "open-but-settled",
] as const;
export type MismatchKind = (typeof MISMATCH_KINDS)[number];

export interface Mismatch {
  kind: MismatchKind;
  /** Stable across runs: the same mismatch found again is the same case. */
  caseId: string;
  reference?: string;
  orderId?: string;
  evidence: {
    datamart: { chargedPesewas: number; creditedPesewas: number; movements: Movement[] };
    order?: OrderView;
  };
  message: string;
}

const DEBIT = "purchase";
const CREDIT = "refund";
/** Differences up to this many pesewas are rounding. */
const ROUNDING_PESEWAS = 1;

export function movementOf(raw: {
  type: string;
  amount: number;
  status?: string;
  reference?: string;
  orderId?: string;
  purchaseId?: string;
  createdAt: string;
}): Movement {
  return {
    type: raw.type.trim().toLowerCase(),
    amountPesewas: toPesewas(Math.abs(raw.amount)) ?? 0,
    status: raw.status,
    reference: raw.reference || undefined,
    purchaseId: raw.purchaseId ?? raw.orderId,
    createdAt: raw.createdAt,
  };
}

/** The key movements and orders are grouped by: the transaction reference, else the purchase id. */
export const matchKey = (movement: Movement): string | undefined =>
  movement.reference ?? movement.purchaseId;

const caseIdOf = (kind: MismatchKind, key: string) =>
  `${kind}_${key.replace(/[^A-Za-z0-9_.-]/g, "_")}`;

/** Every mismatch between one order (undefined: none matched) and its Datamart movements. */
export function reconcileOrder(key: string, movements: Movement[], order?: OrderView): Mismatch[] {
  const charged = sum(movements.filter((m) => m.type === DEBIT && m.status !== "failed"));
  const credited = sum(movements.filter((m) => m.type === CREDIT));
  const evidence = {
    datamart: { chargedPesewas: charged, creditedPesewas: credited, movements },
    ...(order ? { order } : {}),
  };
  const mismatch = (kind: MismatchKind, message: string): Mismatch => ({
    kind,
    caseId: caseIdOf(kind, key),
    reference: movements.find((m) => m.reference)?.reference,
    ...(order ? { orderId: order.id } : {}),
    evidence,
    message,
  });
  if (!order) return [mismatch("movement-without-order", "Datamart moved money for no order here")];

  const found: Mismatch[] = [];
  const netCharge = charged - credited;
  const failedHere = order.status === "failed" || order.status === "cancelled";
  if (failedHere && netCharge > ROUNDING_PESEWAS)
    found.push(
      mismatch(
        "charged-but-failed",
        `Datamart kept ${formatGhs(netCharge)} for an order that is ${order.status} here`,
      ),
    );
  if (failedHere && credited > 0 && order.refundState !== "credited")
    found.push(
      mismatch(
        "refund-not-passed-on",
        `Datamart refunded ${formatGhs(credited)}; the customer's ${order.paymentMethod ?? "payment"} was not credited`,
      ),
    );
  if (
    order.datamartPricePesewas !== undefined &&
    charged > 0 &&
    Math.abs(charged - order.datamartPricePesewas) > ROUNDING_PESEWAS
  )
    found.push(
      mismatch(
        "amount-differs",
        `Datamart charged ${formatGhs(charged)}; its price at purchase was ${formatGhs(order.datamartPricePesewas)}`,
      ),
    );
  const settledThere =
    credited > 0 || movements.some((m) => m.status === "failed" || m.status === "refunded");
  if (!isFinalStatus(order.status) && settledThere)
    found.push(
      mismatch("open-but-settled", `The order is still ${order.status} here; Datamart settled it`),
    );
  return found;
}

/** Refunds held for their purchase at most; past it the longest held are judged on their own. */
export const MAX_AWAITING_PURCHASE = 200;

/**
 * A page's purchases and refunds by order (match key), with the refunds still held from earlier
 * pages: an order with a purchase among them is ready to judge; one with only refunds waits for its
 * purchase, which the newest-first list gives on a later page. Past `maxAwaiting` held, the longest
 * held are judged on their own (a refund whose purchase is a day older, say), so what is carried
 * between runs stays small.
 */
export function groupByOrder(
  movements: Movement[],
  held: Record<string, Movement[]>,
  maxAwaiting = MAX_AWAITING_PURCHASE,
): { ready: Map<string, Movement[]>; awaiting: Record<string, Movement[]> } {
  const groups = new Map<string, Movement[]>();
  for (const m of movements) {
    const key = matchKey(m);
    if (key && (m.type === DEBIT || m.type === CREDIT))
      groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  const awaiting = { ...held };
  const ready = new Map<string, Movement[]>();
  for (const [key, group] of groups) {
    const all = [...group, ...(awaiting[key] ?? [])];
    delete awaiting[key];
    if (all.some((m) => m.type === DEBIT)) ready.set(key, all);
    else awaiting[key] = all;
  }
  for (const key of Object.keys(awaiting).slice(0, -maxAwaiting)) {
    ready.set(key, awaiting[key]);
    delete awaiting[key];
  }
  return { ready, awaiting };
}

/**
 * The kinds an order in flight shows for a moment (Datamart's refund listed a little after the
 * failure, a status change not yet polled): a later report that judges the order and no longer
 * finds them clears their cases.
 */
export const PASSING_KINDS: readonly MismatchKind[] = [
  "charged-but-failed",
  "refund-not-passed-on",
  "open-but-settled",
];

/** The passing kinds' case ids for this order that this judgement did not find again. */
export function passedCaseIds(key: string, found: Mismatch[]): string[] {
  return PASSING_KINDS.map((kind) => caseIdOf(kind, key)).filter(
    (id) => !found.some((m) => m.caseId === id),
  );
}

/** A delivered order with no Datamart charge in the window. */
export function deliveredWithoutCharge(key: string, order: OrderView): Mismatch {
  return {
    kind: "delivered-without-charge",
    caseId: caseIdOf("delivered-without-charge", key),
    orderId: order.id,
    reference: key,
    evidence: { datamart: { chargedPesewas: 0, creditedPesewas: 0, movements: [] }, order },
    message: "Delivered here, but Datamart charged nothing for it in the window",
  };
}

/** The window's money, pesewas. */
export interface ReconciliationTotals {
  /** Datamart's purchases (debits of DataSell's wallet). */
  debitsPesewas: number;
  /** Datamart's refunds (credits). */
  creditsPesewas: number;
  /** Movements of types Datamart does not document, counted and summed, never guessed at. */
  otherMovements: number;
  otherPesewas: number;
  /** What customers paid for the matched orders. */
  revenuePesewas: number;
  /** What this project refunded to customers for them. */
  refundsPaidPesewas: number;
  /** revenue - refunds paid - (debits - credits). */
  marginPesewas: number;
}

export const emptyTotals = (): ReconciliationTotals => ({
  debitsPesewas: 0,
  creditsPesewas: 0,
  otherMovements: 0,
  otherPesewas: 0,
  revenuePesewas: 0,
  refundsPaidPesewas: 0,
  marginPesewas: 0,
});

/** Adds movements, and the orders they matched (each once), to the totals. */
export function addToTotals(
  totals: ReconciliationTotals,
  movements: Movement[],
  orders: OrderView[],
): ReconciliationTotals {
  const next = { ...totals };
  for (const m of movements) {
    if (m.type === DEBIT) next.debitsPesewas += m.amountPesewas;
    else if (m.type === CREDIT) next.creditsPesewas += m.amountPesewas;
    else {
      next.otherMovements += 1;
      next.otherPesewas += m.amountPesewas;
    }
  }
  for (const order of orders) {
    next.revenuePesewas += order.amountPesewas ?? 0;
    if (order.refundState === "credited") next.refundsPaidPesewas += order.refundPesewas ?? 0;
  }
  next.marginPesewas =
    next.revenuePesewas - next.refundsPaidPesewas - (next.debitsPesewas - next.creditsPesewas);
  return next;
}

const sum = (movements: Movement[]) => movements.reduce((s, m) => s + m.amountPesewas, 0);
