import type { Firestore, QueryDocumentSnapshot } from "firebase-admin/firestore";
import { datamartReferences, orderSchema } from "../domain/order";
import { isFinalStatus } from "../domain/orderStatus";
import { attentionReason, placedAt } from "../domain/pollSchedule";
import { SYNC_FIELDS } from "../domain/syncFields";
import { ignoreIfMoved } from "../firestore";
import { logNeedsAttention, logSyncOrderFailed, logUnknownDatamartStatus } from "../logs";
import { applyStatus, type ApplyOptions } from "../orders/applyStatus";
import { ProviderError } from "../providers/providerError";
import type { DatamartGate } from "./datamartGate";
import { countError } from "./runSummary";
import { type SyncSummary } from "../contract";

/** What checking one order needs from its run. */
export interface CheckContext extends ApplyOptions {
  db: Firestore;
  gate: DatamartGate;
  attentionAfterMs: number;
  summary: SyncSummary;
  /** The run's clock: every order of a run is judged at the same instant. */
  runNow: Date;
}

/**
 * Checks one order: asks Datamart and applies its answer through applyStatus. An answer that changes
 * nothing writes nothing; an order that needs a human is flagged, once. Tallies the run's summary.
 * One order's trouble, even an unexpected one, is counted and logged, never thrown: it never stops
 * the run.
 *
 * @returns false when the order was not dealt with and must come round again: Datamart was not asked
 *   (down, or the run's time was up) or failed for a passing reason.
 */
export function checkOrder(
  context: CheckContext,
  snapshot: QueryDocumentSnapshot,
): Promise<boolean> {
  return check(context, snapshot).catch((error: unknown) => {
    countError(context.summary, "internal");
    logSyncOrderFailed(snapshot.id, error);
    return true;
  });
}

async function check(context: CheckContext, snapshot: QueryDocumentSnapshot): Promise<boolean> {
  const { summary } = context;
  const parsed = orderSchema.safeParse(snapshot.data());
  if (!parsed.success) {
    countError(summary, "bad-order");
    await flag(context, snapshot, "the order record does not parse");
    return true;
  }
  const order = parsed.data;
  const watched = order.status === "failed" && snapshot.get(SYNC_FIELDS.watchUntil) !== undefined;
  if (isFinalStatus(order.status) && !watched) {
    summary.alreadyFinal += 1;
    return true;
  }
  const references = datamartReferences(order);
  if (references.length === 0) {
    summary.noReference += 1;
    await flag(
      context,
      snapshot,
      attentionReason(placedAt(order), false, context.runNow, context.attentionAfterMs),
    );
    return true;
  }
  if (watched) summary.watched += 1;

  let datamartStatus: string;
  try {
    const answer = await context.gate.ask(references);
    if (!answer) return false;
    datamartStatus = answer.orderStatus;
  } catch (error) {
    const providerError = error instanceof ProviderError ? error : undefined;
    countError(summary, providerError?.kind ?? "internal");
    logSyncOrderFailed(snapshot.id, error);
    return !providerError?.transient;
  }

  const outcome = await applyStatus(
    context.db,
    snapshot,
    { datamartStatus, source: "poll", at: context.runNow },
    context,
  );
  switch (outcome.kind) {
    case "changed":
      summary.updated += 1;
      return true;
    case "unchanged":
      summary.unchanged += 1;
      if (!watched)
        await flag(
          context,
          snapshot,
          attentionReason(placedAt(order), true, context.runNow, context.attentionAfterMs),
        );
      return true;
    case "unknown-status":
      summary.unknownStatuses += 1;
      logUnknownDatamartStatus(snapshot.id, datamartStatus);
      await flag(
        context,
        snapshot,
        `Datamart answers a status this system does not know: "${datamartStatus}"`,
      );
      return true;
    case "ignored-final":
      if (!watched) summary.alreadyFinal += 1;
      return true;
    case "not-found":
      return true;
  }
}

/**
 * Flags an order for a human, once: the flag is the only write a check makes without a status
 * change, and an order already flagged is not written again.
 */
async function flag(
  context: CheckContext,
  snapshot: QueryDocumentSnapshot,
  reason: string | undefined,
): Promise<void> {
  if (!reason || snapshot.get(SYNC_FIELDS.needsAttention) === true) return;
  await ignoreIfMoved(
    snapshot.ref.update(
      { [SYNC_FIELDS.needsAttention]: true, [SYNC_FIELDS.needsAttentionReason]: reason },
      { lastUpdateTime: snapshot.updateTime },
    ),
  );
  context.summary.newlyNeedsAttention += 1;
  logNeedsAttention(snapshot.id, reason);
}
