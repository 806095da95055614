import {
  FieldValue,
  Timestamp,
  type DocumentSnapshot,
  type Firestore,
  type QueryDocumentSnapshot,
} from "firebase-admin/firestore";
import { datamartReferences, orderSchema, toDate, type Order } from "../domain/order";
import { isFinalStatus } from "../domain/orderStatus";
import { planNextCheck, WATCH_INTERVAL_MS, type PollPolicy } from "../domain/pollSchedule";
import { SYNC_FIELDS } from "../domain/syncFields";
import { ignoreIfMoved } from "../firestore";
import { logNeedsAttention, logSyncOrderFailed, logUnknownDatamartStatus } from "../logs";
import { applyStatus, type ApplyOptions } from "../orders/applyStatus";
import { ProviderError } from "../providers/providerError";
import type { DatamartGate } from "./datamartGate";
import { countError, type SyncSummary } from "./runSummary";

/** What checking one order needs from its run. */
export interface CheckContext extends ApplyOptions {
  db: Firestore;
  gate: DatamartGate;
  policy: PollPolicy;
  summary: SyncSummary;
  /** The run's clock: every order of a run is scheduled from the same instant. */
  runNow: Date;
}

/**
 * Checks one due order: asks Datamart, applies its answer through applyStatus, and reschedules the
 * order if it is still open. Tallies what happened on the run's summary.
 */
export async function checkOrder(
  context: CheckContext,
  snapshot: QueryDocumentSnapshot,
): Promise<void> {
  const { summary } = context;
  const parsed = orderSchema.safeParse(snapshot.data());
  if (!parsed.success) {
    countError(summary, "bad-order");
    return;
  }
  const order = parsed.data;
  const watchUntil = toDate(snapshot.get(SYNC_FIELDS.watchUntil));
  if (order.status === "failed" && watchUntil) {
    await watchFailed(context, snapshot, order, watchUntil);
    return;
  }
  if (isFinalStatus(order.status)) {
    summary.alreadyFinal += 1;
    await leaveSchedule(snapshot);
    return;
  }
  const references = datamartReferences(order);
  if (references.length === 0) {
    summary.noReference += 1;
    return;
  }

  let datamartStatus: string;
  try {
    const answer = await context.gate.ask(references);
    if (!answer) return;
    datamartStatus = answer.orderStatus;
  } catch (error) {
    const providerError = error instanceof ProviderError ? error : undefined;
    countError(summary, providerError?.kind ?? "internal");
    logSyncOrderFailed(snapshot.id, error);
    // A transient failure says nothing about the order: its backoff does not advance.
    await reschedule(context, snapshot, order, {
      error: providerError ? `${providerError.kind}: ${providerError.message}` : "internal error",
      countsAsAttempt: !providerError?.transient,
    });
    return;
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
      if (!isFinalStatus(outcome.to))
        await reschedule(context, snapshot, order, { datamartStatus, countsAsAttempt: false });
      return;
    case "unchanged":
      summary.unchanged += 1;
      await reschedule(context, snapshot, order, { datamartStatus, countsAsAttempt: true });
      return;
    case "unknown-status":
      summary.unknownStatuses += 1;
      logUnknownDatamartStatus(snapshot.id, datamartStatus);
      await reschedule(context, snapshot, order, {
        datamartStatus,
        error: `unknown Datamart status "${datamartStatus}"`,
        countsAsAttempt: true,
      });
      return;
    case "ignored-final":
      summary.alreadyFinal += 1;
      await leaveSchedule(snapshot);
      return;
    case "not-found":
      return;
  }
}

/**
 * Asks again about an order Datamart called failed: if it now says delivered, applyStatus moves the
 * order (and reverses its refund); otherwise the order stays under watch, hourly, until the watch ends.
 */
async function watchFailed(
  context: CheckContext,
  snapshot: QueryDocumentSnapshot,
  order: Order,
  watchUntil: Date,
): Promise<void> {
  const { summary, runNow } = context;
  const references = datamartReferences(order);
  if (references.length === 0) return leaveSchedule(snapshot);
  summary.watched += 1;
  let datamartStatus: string | undefined;
  try {
    const answer = await context.gate.ask(references);
    if (!answer) return;
    datamartStatus = answer.orderStatus;
  } catch (error) {
    countError(summary, error instanceof ProviderError ? error.kind : "internal");
    logSyncOrderFailed(snapshot.id, error);
  }
  if (datamartStatus !== undefined) {
    const outcome = await applyStatus(
      context.db,
      snapshot,
      { datamartStatus, source: "poll", at: runNow },
      context,
    );
    if (outcome.kind === "changed") {
      summary.updated += 1;
      return;
    }
    if (outcome.kind === "unknown-status") summary.unknownStatuses += 1;
  }
  const next = new Date(runNow.getTime() + WATCH_INTERVAL_MS);
  if (next > watchUntil) return leaveSchedule(snapshot);
  await ignoreIfMoved(
    snapshot.ref.update(
      {
        [SYNC_FIELDS.nextCheckAt]: Timestamp.fromDate(next),
        [SYNC_FIELDS.lastCheckedAt]: Timestamp.fromDate(runNow),
      },
      { lastUpdateTime: snapshot.updateTime },
    ),
  );
}

/** A final order leaves the poll schedule. */
function leaveSchedule(snapshot: DocumentSnapshot): Promise<void> {
  return ignoreIfMoved(snapshot.ref.update({ [SYNC_FIELDS.all]: FieldValue.delete() }));
}

/** Reschedules an order that is still open; skipped if the order moved since it was read. */
async function reschedule(
  context: CheckContext,
  snapshot: DocumentSnapshot,
  order: Order,
  check: { datamartStatus?: string; error?: string; countsAsAttempt: boolean },
): Promise<void> {
  const { policy, runNow } = context;
  const previous = Number(snapshot.get(SYNC_FIELDS.attempts) ?? 0);
  const attempts = previous + (check.countsAsAttempt ? 1 : 0);
  const plan = planNextCheck(policy, attempts, toDate(order.timestamp), runNow);
  const update: Record<string, unknown> = {
    [SYNC_FIELDS.nextCheckAt]: Timestamp.fromDate(plan.nextCheckAt),
    [SYNC_FIELDS.lane]: plan.lane,
    [SYNC_FIELDS.attempts]: attempts,
    [SYNC_FIELDS.lastCheckedAt]: Timestamp.fromDate(runNow),
    [SYNC_FIELDS.lastDatamartStatus]: check.datamartStatus ?? FieldValue.delete(),
    [SYNC_FIELDS.lastError]: check.error ?? FieldValue.delete(),
  };
  if (plan.needsAttention && snapshot.get(SYNC_FIELDS.needsAttention) !== true) {
    const reason = `still ${order.status} ${Math.round(policy.attentionAfterMs / 3_600_000)} h after it was placed`;
    update[SYNC_FIELDS.needsAttention] = true;
    update[SYNC_FIELDS.needsAttentionReason] = reason;
    context.summary.newlyNeedsAttention += 1;
    logNeedsAttention(snapshot.id, reason);
  }
  await ignoreIfMoved(snapshot.ref.update(update, { lastUpdateTime: snapshot.updateTime! }));
}
