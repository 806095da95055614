import {
  FieldValue,
  Timestamp,
  type DocumentSnapshot,
  type Firestore,
  type Query,
  type QueryDocumentSnapshot,
  type QuerySnapshot,
} from "firebase-admin/firestore";
import { applyStatus } from "../domain/applyStatus";
import { datamartReferences, orderSchema, toDate, type Order } from "../domain/order";
import { isFinalStatus, OPEN_STATUSES } from "../domain/orderStatus";
import { planNextCheck, type PollLane, type PollPolicy } from "../domain/pollSchedule";
import { SYNC_FIELDS } from "../domain/syncFields";
import { COLLECTIONS, ignoreIfMoved } from "../firestore";
import {
  logNeedsAttention,
  logSyncCompleted,
  logSyncOrderFailed,
  logUnknownDatamartStatus,
} from "../logs";
import type { DatamartClient } from "../providers/datamart";
import { ProviderError } from "../providers/providerError";
import { tryAcquireLease } from "./lease";
import pLimit from "p-limit";
import { RateLimiter } from "./rateLimiter";

export interface SyncOptions extends PollPolicy {
  concurrency: number;
  ratePerMinute: number;
  /** The run takes no new work after this long. */
  timeBudgetMs: number;
  /** Transient Datamart failures in a row that end the run early. */
  maxConsecutiveFailures: number;
  pageSize?: number;
}

export interface SyncDeps {
  db: Firestore;
  datamart: Pick<DatamartClient, "getOrderStatusByAnyReference">;
  options: SyncOptions;
  /** Whether Datamart's failed answer refunds a wallet order (applyStatus). */
  walletRefunds: boolean;
  /** The clock orders are scheduled by; tests move it. */
  now?: () => Date;
}

export type SyncTrigger = "schedule" | "admin";

export interface SyncSummary {
  runId: string;
  trigger: SyncTrigger;
  /** True when another run held the lease; nothing else was done. */
  skipped: boolean;
  message: string;
  startedAt: string;
  finishedAt: string;
  /** Due orders read. */
  due: number;
  /** Orders Datamart was asked about. */
  checked: number;
  datamartRequests: number;
  updated: number;
  unchanged: number;
  unknownStatuses: number;
  /** Orders found final already (changed by someone else) and taken off the schedule. */
  alreadyFinal: number;
  noReference: number;
  errors: number;
  errorsByKind: Record<string, number>;
  stoppedEarly?: "time-budget" | "provider-down";
  /** Scheduled orders already due that this run did not reach (counted when it stopped early). */
  leftForNextRun: number;
  /** False when the run stopped before it had looked at every newly placed order. */
  discoveryComplete: boolean;
  newlyNeedsAttention: number;
  /** Open orders flagged needsAttention, in all. */
  needsAttention: number;
}

export const SYNC_LEASE = "datamartSync";
const SYNC_STATE_DOC = "datamartSync";
/** Orders placed this long before the last discovery are looked at again, for clock skew and late writes. */
const DISCOVERY_OVERLAP_MS = 15 * 60_000;
const LANES: readonly PollLane[] = ["fresh", "slow"];

/**
 * One sync run: asks Datamart about every due order (newly placed ones, then the fresh lane, then the
 * slow lane), applies what it says through applyStatus and reschedules the rest. Guarded by a lease,
 * bounded by concurrency, a rate limit and a time budget. Writes and returns a run summary.
 */
export async function runSync(deps: SyncDeps, trigger: SyncTrigger): Promise<SyncSummary> {
  const { db, options } = deps;
  const now = deps.now ?? (() => new Date());
  const runRef = db.collection(COLLECTIONS.syncRuns).doc();
  const started = Date.now();
  const runNow = now();
  const summary: SyncSummary = {
    runId: runRef.id,
    trigger,
    skipped: false,
    message: "Datamart order sync completed",
    startedAt: runNow.toISOString(),
    finishedAt: "",
    due: 0,
    checked: 0,
    datamartRequests: 0,
    updated: 0,
    unchanged: 0,
    unknownStatuses: 0,
    alreadyFinal: 0,
    noReference: 0,
    errors: 0,
    errorsByKind: {},
    leftForNextRun: 0,
    discoveryComplete: false,
    newlyNeedsAttention: 0,
    needsAttention: 0,
  };

  const lease = await tryAcquireLease(
    db,
    SYNC_LEASE,
    runRef.id,
    options.timeBudgetMs + 60_000,
    now,
  );
  if (!lease) {
    summary.skipped = true;
    summary.message = "skipped: another run holds the lease";
    summary.finishedAt = now().toISOString();
    await runRef.set(summary);
    logSyncCompleted(summary);
    return summary;
  }

  try {
    const stateRef = db.collection(COLLECTIONS.syncState).doc(SYNC_STATE_DOC);
    const discoveredUntil = toDate((await stateRef.get()).get("discoveredUntil"));
    const limiter = new RateLimiter(options.ratePerMinute);
    // At most `concurrency` Datamart requests in flight; twice as many workers, so that one worker's
    // Firestore reads and writes overlap the others' requests instead of idling a request slot.
    const requestSlots = pLimit(options.concurrency);
    const throttle = async () => {
      await limiter.acquire();
      summary.datamartRequests += 1;
    };
    let consecutiveFailures = 0;
    let stopReason: SyncSummary["stoppedEarly"];

    /** A 429 pauses every request as told; transient failures in a row mean Datamart is down. */
    const noteFailure = (error: unknown) => {
      if (!(error instanceof ProviderError)) return;
      if (!error.transient) {
        consecutiveFailures = 0;
        return;
      }
      consecutiveFailures += 1;
      if (error.kind === "rate-limited") limiter.pause(error.retryAfterMs ?? 60_000);
      if (consecutiveFailures >= options.maxConsecutiveFailures) stopReason ??= "provider-down";
    };

    const countError = (kind: string) => {
      summary.errors += 1;
      summary.errorsByKind[kind] = (summary.errorsByKind[kind] ?? 0) + 1;
    };

    /** Reschedules an order that is still open; skipped if the order moved since it was read. */
    const reschedule = async (
      snapshot: DocumentSnapshot,
      order: Order,
      check: { datamartStatus?: string; error?: string; countsAsAttempt: boolean },
    ) => {
      const previous = Number(snapshot.get(SYNC_FIELDS.attempts) ?? 0);
      const attempts = previous + (check.countsAsAttempt ? 1 : 0);
      const plan = planNextCheck(options, attempts, toDate(order.timestamp), runNow);
      const update: Record<string, unknown> = {
        [SYNC_FIELDS.nextCheckAt]: Timestamp.fromDate(plan.nextCheckAt),
        [SYNC_FIELDS.lane]: plan.lane,
        [SYNC_FIELDS.attempts]: attempts,
        [SYNC_FIELDS.lastCheckedAt]: Timestamp.fromDate(runNow),
        [SYNC_FIELDS.lastDatamartStatus]: check.datamartStatus ?? FieldValue.delete(),
        [SYNC_FIELDS.lastError]: check.error ?? FieldValue.delete(),
      };
      if (plan.needsAttention && snapshot.get(SYNC_FIELDS.needsAttention) !== true) {
        const reason = `still ${order.status} ${Math.round(options.attentionAfterMs / 3_600_000)} h after it was placed`;
        update[SYNC_FIELDS.needsAttention] = true;
        update[SYNC_FIELDS.needsAttentionReason] = reason;
        summary.newlyNeedsAttention += 1;
        logNeedsAttention(snapshot.id, reason);
      }
      await ignoreIfMoved(snapshot.ref.update(update, { lastUpdateTime: snapshot.updateTime! }));
    };

    const syncOrder = async (snapshot: QueryDocumentSnapshot) => {
      const parsed = orderSchema.safeParse(snapshot.data());
      if (!parsed.success) {
        countError("bad-order");
        return;
      }
      const order = parsed.data;
      if (isFinalStatus(order.status)) {
        summary.alreadyFinal += 1;
        await ignoreIfMoved(snapshot.ref.update({ [SYNC_FIELDS.all]: FieldValue.delete() }));
        return;
      }
      const references = datamartReferences(order);
      if (references.length === 0) {
        summary.noReference += 1;
        return;
      }

      let datamartStatus: string;
      try {
        const answer = await requestSlots(() => {
          // Datamart is down: orders already pulled wait for the next run instead.
          if (stopReason === "provider-down") return undefined;
          summary.checked += 1;
          return deps.datamart.getOrderStatusByAnyReference(references, throttle).then(
            (reply) => {
              consecutiveFailures = 0;
              return reply;
            },
            (error: unknown) => {
              // Judged before the request slot is released, so the next request sees the pause.
              noteFailure(error);
              throw error;
            },
          );
        });
        if (!answer) return;
        datamartStatus = answer.orderStatus;
      } catch (error) {
        const providerError = error instanceof ProviderError ? error : undefined;
        countError(providerError?.kind ?? "internal");
        logSyncOrderFailed(snapshot.id, error);
        await reschedule(snapshot, order, {
          error: providerError
            ? `${providerError.kind}: ${providerError.message}`
            : "internal error",
          countsAsAttempt: !providerError?.transient,
        });
        return;
      }

      const outcome = await applyStatus(
        db,
        snapshot,
        { datamartStatus, source: "poll", at: runNow },
        deps,
      );
      switch (outcome.kind) {
        case "changed":
          summary.updated += 1;
          if (!isFinalStatus(outcome.to))
            await reschedule(snapshot, order, { datamartStatus, countsAsAttempt: false });
          return;
        case "unchanged":
          summary.unchanged += 1;
          await reschedule(snapshot, order, { datamartStatus, countsAsAttempt: true });
          return;
        case "unknown-status":
          summary.unknownStatuses += 1;
          logUnknownDatamartStatus(snapshot.id, datamartStatus);
          await reschedule(snapshot, order, {
            datamartStatus,
            error: `unknown Datamart status "${datamartStatus}"`,
            countsAsAttempt: true,
          });
          return;
        case "ignored-final":
          summary.alreadyFinal += 1;
          await ignoreIfMoved(snapshot.ref.update({ [SYNC_FIELDS.all]: FieldValue.delete() }));
          return;
        case "not-found":
          return;
      }
    };

    const source = dueOrders(db, discoveredUntil, runNow, options.pageSize ?? 200);
    const worker = async () => {
      for (;;) {
        if (!stopReason && Date.now() - started >= options.timeBudgetMs) stopReason = "time-budget";
        if (stopReason) return;
        const next = await source.next();
        if (next.done) return;
        summary.due += 1;
        // One order's trouble (even an unexpected one) never stops the run.
        await syncOrder(next.value).catch((error: unknown) => {
          countError("internal");
          logSyncOrderFailed(next.value.id, error);
        });
      }
    };
    await Promise.all(Array.from({ length: options.concurrency * 2 }, worker));
    await source.return(undefined);

    if (stopReason) {
      summary.stoppedEarly = stopReason;
      summary.leftForNextRun = await countDue(db, runNow);
    } else {
      // Every newly placed order up to now has been picked up; the next run starts from here.
      summary.discoveryComplete = true;
      await stateRef.set({ discoveredUntil: Timestamp.fromDate(runNow) }, { merge: true });
    }
    summary.needsAttention = (
      await db
        .collection(COLLECTIONS.transactions)
        .where(SYNC_FIELDS.needsAttention, "==", true)
        .count()
        .get()
    ).data().count;
  } finally {
    await lease.release();
  }
  summary.finishedAt = now().toISOString();
  await runRef.set(summary);
  logSyncCompleted(summary);
  return summary;
}

/**
 * The orders this run must check, a page at a time: open orders placed since the last discovery and
 * never scheduled yet (newest first), then scheduled orders whose check is due, fresh lane first.
 * Every query is indexed; final orders are never read.
 */
async function* dueOrders(
  db: Firestore,
  discoveredUntil: Date | undefined,
  now: Date,
  pageSize: number,
): AsyncGenerator<QueryDocumentSnapshot> {
  const orders = db.collection(COLLECTIONS.transactions);
  const open = orders.where("status", "in", OPEN_STATUSES);
  const discovery: Query[] = [];
  if (!discoveredUntil) {
    discovery.push(open.orderBy("timestamp", "desc"));
  } else {
    // The app stores ISO strings; newer writers may store Timestamps. Firestore compares within a type.
    const since = new Date(discoveredUntil.getTime() - DISCOVERY_OVERLAP_MS);
    discovery.push(open.where("timestamp", ">=", since.toISOString()).orderBy("timestamp", "desc"));
    discovery.push(
      open.where("timestamp", ">=", Timestamp.fromDate(since)).orderBy("timestamp", "desc"),
    );
  }
  for (const query of discovery) {
    for await (const snapshot of paged(query, pageSize)) {
      if (snapshot.get(SYNC_FIELDS.nextCheckAt) === undefined) yield snapshot;
    }
  }
  for (const lane of LANES) yield* paged(dueInLane(db, lane, now), pageSize);
}

function dueInLane(db: Firestore, lane: PollLane, now: Date): Query {
  return db
    .collection(COLLECTIONS.transactions)
    .where(SYNC_FIELDS.lane, "==", lane)
    .where(SYNC_FIELDS.nextCheckAt, "<=", Timestamp.fromDate(now))
    .orderBy(SYNC_FIELDS.nextCheckAt);
}

async function countDue(db: Firestore, now: Date): Promise<number> {
  const counts = await Promise.all(LANES.map((lane) => dueInLane(db, lane, now).count().get()));
  return counts.reduce((sum, c) => sum + c.data().count, 0);
}

/**
 * Pages through a query with cursors (never offsets: skipped documents are billed), fetching the next
 * page while the current one is being worked on.
 */
async function* paged(query: Query, pageSize: number): AsyncGenerator<QueryDocumentSnapshot> {
  let next: Promise<QuerySnapshot> | undefined = query.limit(pageSize).get();
  while (next) {
    const page: QuerySnapshot = await next;
    next =
      page.size < pageSize
        ? undefined
        : query
            .startAfter(page.docs[page.size - 1])
            .limit(pageSize)
            .get();
    yield* page.docs;
  }
}
