import { effectiveStatus, isFinalStatus, type DataSellStatus } from "./orderStatus";
import { placedAt } from "./pollSchedule";
import { reopensFinal } from "./statusChange";

/*
 * Whether a status change is worth telling the customer. Pure: notifications/notifyStatusChange.ts
 * records every channel SKIPPED with the reason when it is not. On switch-on day the first sweep
 * corrects weeks-old orders; their customers must not get weeks-late messages.
 */

interface RefundFacts {
  refund?: { state: string; adminUid?: string };
}
interface OrderFacts extends RefundFacts {
  status: string;
}

/**
 * What a write to an order tells its customer: the status it moved to (`processing` or a final
 * one), or `refunded` when an admin credited the wallet for it with no change of status (the
 * customer's last message said to contact support); undefined when the write tells nothing.
 */
export function noticeOf(
  before: OrderFacts | undefined,
  after: OrderFacts,
): DataSellStatus | undefined {
  const to = effectiveStatus(after.status);
  if (!before || effectiveStatus(before.status) !== to)
    return to === "processing" || isFinalStatus(to) ? to : undefined;
  return isAdminCredit(before, after) ? "refunded" : undefined;
}

export const isAdminCredit = (before: RefundFacts | undefined, after: RefundFacts): boolean =>
  after.refund?.state === "credited" &&
  !!after.refund.adminUid &&
  before?.refund?.state !== "credited";

export interface NoticeFacts {
  /** The order as it was before the change, and after it. */
  before?: OrderFacts & { watchUntil?: Date };
  after: RefundFacts & { timestamp?: unknown; createdAt?: unknown; cutover?: unknown };
  to: string;
  /** When the change happened. */
  at: Date;
  /** Changes to orders placed longer ago than this are not told. */
  maxOrderAgeMs: number;
}

export const CUTOVER_REASON = "open at switch-on: its status is corrected without a message";

/** Why the customer is not told of this change; undefined when they are. */
export function silenceReason(facts: NoticeFacts): string | undefined {
  // An admin's credit moved money now, whatever the order's age: the customer hears of it.
  if (isAdminCredit(facts.before, facts.after)) return undefined;
  // Marked by the cutover command (dev/cutover.ts): corrected silently, listed for the operator.
  if (facts.after.cutover != null) return CUTOVER_REASON;
  const { before } = facts;
  // Datamart delivering a failed order within its watch is news the customer waits for.
  if (
    before &&
    reopensFinal(before.status, facts.to) &&
    before.watchUntil !== undefined &&
    before.watchUntil.getTime() >= facts.at.getTime()
  )
    return undefined;
  const placed = placedAt(facts.after);
  if (placed && facts.at.getTime() - placed.getTime() > facts.maxOrderAgeMs)
    return `too late to tell: placed more than ${Math.round(facts.maxOrderAgeMs / 3_600_000)} hours before this change`;
  return undefined;
}
