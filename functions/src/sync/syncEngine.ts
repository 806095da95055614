import {
  Timestamp,
  type DocumentReference,
  type Firestore,
  type QueryDocumentSnapshot,
} from "firebase-admin/firestore";
import { toDate } from "../domain/order";
import {
  agingDue,
  lapSteps,
  nextPassAt,
  placedAt,
  WATCH_INTERVAL_MS,
  type PollPolicy,
} from "../domain/pollSchedule";
import { ignoreIfMoved } from "../firestore";
import { logSyncCompleted, logSyncOrderFailed, logSyncRunCrashed } from "../logs";
import type { DatamartClient } from "../providers/datamart";
import { checkOrder, type CheckContext } from "./checkOrder";
import { DatamartGate } from "./datamartGate";
import {
  adoptions,
  agingOrders,
  countNeedsAttention,
  cursorOf,
  openOrdersRound,
  watchedOrdersRound,
  type Cursor,
  type Round,
} from "./dueOrders";
import { countOf, paged, youngOrders } from "../orders/orderQueries";
import { tryAcquireLease } from "../platform/lease";
import { completeRequests, SyncRequestListener, takeWaitingRequests } from "./syncRequests";
import { countError, newRunSummary } from "./runSummary";
import { COLLECTIONS, type SyncSummary, type SyncTrigger } from "../contract";

export interface SyncOptions extends PollPolicy {
  concurrency: number;
  ratePerMinute: number;
  /** The run takes no new work after this long. */
  timeBudgetMs: number;
  /** Transient Datamart failures in a row that end the run early. */
  maxConsecutiveFailures: number;
  pageSize?: number;
  /** How long a run's summary is kept (Firestore TTL on `expireAt`); absent: kept. */
  runRetentionMs?: number;
}

export interface SyncDeps {
  db: Firestore;
  datamart: Pick<DatamartClient, "getOrderStatusByAnyReference">;
  options: SyncOptions;
  /** Whether Datamart's failed answer refunds a wallet order (applyStatus). */
  walletRefunds: boolean;
  /** How long a failed order stays under watch (applyStatus); absent: not watched. */
  failedWatchMs?: number;
  /** The clock orders are judged by; tests move it. */
  now?: () => Date;
}

export const SYNC_LEASE = "datamartSync";
const SYNC_STATE_DOC = "datamartSync";

/** Where the rounds stand between runs: the run's only bookkeeping, one document. */
interface RoundState {
  cursor: Cursor | null;
  lapStartedAt: Timestamp;
}
interface SyncState {
  sweep?: RoundState;
  watch?: RoundState;
  /** When the last run's first pass began: an aging order is due when its age passed a mark since. */
  agingPassAt?: Timestamp;
}

/**
 * One sync run, guarded by a lease and bounded by concurrency, a rate limit and a time budget. Its
 * first pass checks adopted orders, young orders, a slice of the watched failed orders and a slice
 * of the sweep of all open orders, oldest backlog last, and answers the admins' requests waiting when
 * it started (sync/syncRequests.ts); a scheduled run then checks the young orders again every
 * `freshIntervalMs` while its budget lasts. Writes and returns a run summary.
 */
export async function runSync(deps: SyncDeps, trigger: SyncTrigger): Promise<SyncSummary> {
  const { db, options } = deps;
  const now = deps.now ?? (() => new Date());
  const runRef = db.collection(COLLECTIONS.syncRuns).doc();
  const summary = newRunSummary(runRef.id, trigger, now());
  const expiry = options.runRetentionMs
    ? { expireAt: Timestamp.fromMillis(now().getTime() + options.runRetentionMs) }
    : {};

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
  } else {
    try {
      if (lease.expiredHolder) await closeCrashedRun(db, lease.expiredHolder);
      // Visible while it runs (an admin's request may be taken by it); replaced when it ends.
      await runRef.set({ ...summary, ...expiry, running: true });
      await new SyncRun(deps, summary, now).run(trigger === "schedule");
    } finally {
      await lease.release();
    }
  }
  summary.finishedAt = now().toISOString();
  await runRef.set({ ...summary, ...expiry });
  logSyncCompleted(summary);
  return summary;
}

/**
 * A run that died holding the lease (a crash, or the function's timeout) never wrote its summary:
 * the run that takes the expired lease closes its `running` summary, so none stays open for ever.
 */
async function closeCrashedRun(
  db: Firestore,
  crashed: { holder: string; expiresAt: Timestamp },
): Promise<void> {
  const ref = db.collection(COLLECTIONS.syncRuns).doc(crashed.holder);
  await db.runTransaction(async (tx) => {
    const run = await tx.get(ref);
    if (run.get("running") !== true) return;
    tx.update(ref, {
      running: false,
      crashed: true,
      message: "ended without a summary: its lease expired (the run crashed or timed out)",
      finishedAt: crashed.expiresAt.toDate().toISOString(),
    });
  });
  logSyncRunCrashed(crashed.holder);
}

/** An order to check, and what to do once it was dealt with (or not). */
interface Item {
  snapshot: QueryDocumentSnapshot;
  settle?: (settled: boolean) => Promise<void> | void;
}

class SyncRun {
  private readonly started = Date.now();
  private readonly deadline: number;
  private readonly gate: DatamartGate;
  private readonly pageSize: number;
  private outOfTime = false;
  /** Orders checked in this pass. */
  private seen = new Set<string>();

  constructor(
    private readonly deps: SyncDeps,
    private readonly summary: SyncSummary,
    private readonly now: () => Date,
  ) {
    const { options } = deps;
    this.deadline = this.started + options.timeBudgetMs;
    this.gate = new DatamartGate(deps.datamart, { ...options, deadline: this.deadline });
    this.pageSize = options.pageSize ?? 200;
  }

  private get stopped(): boolean {
    this.outOfTime ||= this.gate.outOfTime || Date.now() >= this.deadline;
    return this.outOfTime || this.gate.down;
  }

  async run(repeatPasses: boolean): Promise<void> {
    const { db, options } = this.deps;
    const stateRef = db.collection(COLLECTIONS.syncState).doc(SYNC_STATE_DOC);
    const state = ((await stateRef.get()).data() ?? {}) as SyncState;
    const runNow = this.now();

    const passStarted = Date.now();
    const requested = await takeWaitingRequests(db, this.summary.runId);
    const context = this.context(runNow);
    await this.drain(context, this.adopted(), () => (this.summary.adopted += 1));
    await this.drain(context, youngOrders(db, this.since(runNow), this.pageSize));
    await this.drain(
      context,
      this.aging(runNow, toDate(state.agingPassAt)),
      () => (this.summary.aging += 1),
    );
    const young: ReadonlySet<string> = new Set(this.seen);
    const watch = await this.goRound(
      context,
      watchedOrdersRound(db, runNow),
      state.watch,
      WATCH_INTERVAL_MS,
      young,
    );
    const sweep = await this.goRound(
      context,
      openOrdersRound(db),
      state.sweep,
      options.sweepPeriodMs,
      young,
      () => (this.summary.swept += 1),
    );
    this.summary.passes = 1;
    await this.answerRequests(requested, { checked: 0, updated: 0 });

    if (repeatPasses) await this.repeatPasses(passStarted);
    this.summary.checked = this.gate.asked;
    this.summary.datamartRequests = this.gate.requests;
    if (this.stopped) {
      this.summary.stoppedEarly = this.gate.down ? "provider-down" : "time-budget";
      this.summary.leftForNextRun = true;
    }
    await stateRef.set({
      sweep,
      watch,
      agingPassAt: Timestamp.fromDate(runNow),
    } satisfies SyncState);
    this.summary.needsAttention = await countNeedsAttention(db);
  }

  /**
   * A scheduled run's further passes over young orders, every `freshIntervalMs` while its budget
   * lasts. An admin's request (sync/syncRequests.ts) ends the pause at once: the pass it gets also
   * checks adopted orders, and records on the request what it checked.
   */
  private async repeatPasses(firstPassStarted: number): Promise<void> {
    const { db, options } = this.deps;
    const requests = new SyncRequestListener(db, this.summary.runId);
    let passStarted = firstPassStarted;
    try {
      while (!this.stopped) {
        const at = nextPassAt(passStarted, Date.now(), options.freshIntervalMs, this.deadline);
        if (at === undefined && !requests.pending) break;
        if (at !== undefined) await requests.pause(at);
        if (this.stopped) break;
        const taken = await requests.take();
        const before = { checked: this.gate.asked, updated: this.summary.updated };
        passStarted = Date.now();
        this.seen = new Set();
        const passNow = this.now();
        const context = this.context(passNow);
        if (taken.length > 0)
          await this.drain(context, this.adopted(), () => (this.summary.adopted += 1));
        await this.drain(context, youngOrders(db, this.since(passNow), this.pageSize));
        this.summary.passes += 1;
        await this.answerRequests(taken, before);
      }
    } finally {
      requests.close();
    }
  }

  /** Records on admins' requests what the pass made for them checked and changed. */
  private async answerRequests(
    requests: DocumentReference[],
    before: { checked: number; updated: number },
  ): Promise<void> {
    if (requests.length === 0) return;
    this.summary.adminRequests += requests.length;
    await completeRequests(requests, {
      checked: this.gate.asked - before.checked,
      updated: this.summary.updated - before.updated,
    });
  }

  private since(now: Date): Date {
    return new Date(now.getTime() - this.deps.options.freshForMs);
  }

  private context(runNow: Date): CheckContext {
    const { db, options, walletRefunds, failedWatchMs } = this.deps;
    return {
      db,
      gate: this.gate,
      attentionAfterMs: options.attentionAfterMs,
      summary: this.summary,
      runNow,
      walletRefunds,
      failedWatchMs,
    };
  }

  /** The orders past their young hour that are due this run (domain/pollSchedule.ts, agingDue). */
  private async *aging(runNow: Date, lastPassAt: Date | undefined): AsyncGenerator<Item> {
    const { db, options } = this.deps;
    for await (const snapshot of agingOrders(db, runNow, options.freshForMs, this.pageSize)) {
      const placed = placedAt(snapshot.data());
      if (placed && agingDue(placed, runNow, lastPassAt, options.freshForMs)) yield { snapshot };
    }
  }

  /** The adopted orders; each adoption ends once its order was dealt with. */
  private async *adopted(): AsyncGenerator<Item> {
    for await (const adoption of paged(adoptions(this.deps.db), this.pageSize)) {
      const done = () =>
        ignoreIfMoved(adoption.ref.delete({ lastUpdateTime: adoption.updateTime }));
      const order = await this.deps.db.collection(COLLECTIONS.transactions).doc(adoption.id).get();
      if (!order.exists) {
        await done();
        continue;
      }
      yield {
        snapshot: order as QueryDocumentSnapshot,
        settle: (settled) => (settled ? done() : undefined),
      };
    }
  }

  /**
   * This run's slice of a round (see lapSteps), from where the last run stopped. Orders in `skip`,
   * checked already in this run, are stepped over. The cursor moves past the orders dealt with, in
   * order, and no further; past the last one, the next run begins a new lap.
   */
  private async goRound(
    context: CheckContext,
    round: Round,
    saved: RoundState | undefined,
    periodMs: number,
    skip: ReadonlySet<string>,
    onVisit: () => void = () => undefined,
  ): Promise<RoundState> {
    const runNow = context.runNow;
    const cursor = saved?.cursor ?? undefined;
    const ahead = cursor ? round.query.startAfter(...cursor) : round.query;
    const [done, remaining] = await Promise.all([
      cursor ? countOf(round.query.endAt(...cursor)) : 0,
      countOf(ahead),
    ]);
    const lapStartedAt = toDate(saved?.lapStartedAt);
    const steps = lapSteps(done, remaining, lapStartedAt, runNow, periodMs);
    const lap: { cursor: Cursor; settled: boolean }[] = [];
    const pageSize = this.pageSize;
    async function* orders(): AsyncGenerator<Item> {
      if (steps === 0) return;
      for await (const snapshot of paged(ahead, pageSize, steps)) {
        const step = { cursor: cursorOf(round, snapshot), settled: skip.has(snapshot.id) };
        lap.push(step);
        if (!step.settled) {
          onVisit();
          yield { snapshot, settle: (settled) => void (step.settled = settled) };
        }
        if (lap.length >= steps) return;
      }
    }
    await this.drain(context, orders());
    const firstLeft = lap.findIndex((step) => !step.settled);
    if (firstLeft === -1 && lap.length >= remaining)
      return { cursor: null, lapStartedAt: Timestamp.fromDate(runNow) };
    const dealtWith = firstLeft === -1 ? lap : lap.slice(0, firstLeft);
    return {
      cursor: dealtWith.at(-1)?.cursor ?? cursor ?? null,
      // A first lap, begun with no state, goes on at full pace until it is done.
      lapStartedAt: saved?.lapStartedAt ?? Timestamp.fromMillis(runNow.getTime() - periodMs),
    };
  }

  /** Checks what `source` yields with `2 x concurrency` workers, until it ends, time is up or Datamart is down. */
  private async drain(
    context: CheckContext,
    source: AsyncGenerator<Item | QueryDocumentSnapshot>,
    onChecked?: () => void,
  ): Promise<void> {
    // Twice as many workers as request slots, so one worker's Firestore reads and writes overlap the
    // others' Datamart requests instead of idling a slot.
    const worker = async () => {
      for (;;) {
        if (this.stopped) return;
        const next = await source.next();
        if (next.done) return;
        const item = "snapshot" in next.value ? next.value : { snapshot: next.value };
        const { snapshot } = item;
        if (this.seen.has(snapshot.id)) {
          await item.settle?.(true);
          continue;
        }
        this.seen.add(snapshot.id);
        this.summary.due += 1;
        // One order's trouble (even an unexpected one) never stops the run.
        const settled = await checkOrder(context, snapshot).catch((error: unknown) => {
          countError(this.summary, "internal");
          logSyncOrderFailed(snapshot.id, error);
          return true;
        });
        if (settled) onChecked?.();
        await item.settle?.(settled);
      }
    };
    await Promise.all(Array.from({ length: this.deps.options.concurrency * 2 }, worker));
    await source.return(undefined);
  }
}
