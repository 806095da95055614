import {
  Timestamp,
  type DocumentReference,
  type Firestore,
  type QueryDocumentSnapshot,
} from "firebase-admin/firestore";
import { toDate } from "../domain/order";
import { nextPassAt, WATCH_INTERVAL_MS, type PollPolicy } from "../domain/pollSchedule";
import { logSyncCompleted } from "../logs";
import { youngOrders } from "../orders/orderQueries";
import { clockOf, dateNow, type Clock } from "../platform/clock";
import { runLeasedJob } from "../platform/leasedJob";
import { drainWithWorkers } from "../platform/workerPool";
import type { DatamartClient } from "../providers/datamart";
import { checkOrder, type CheckContext } from "./checkOrder";
import { DatamartGate } from "./datamartGate";
import {
  adoptedOrders,
  agingDueOrders,
  countNeedsAttention,
  openOrdersRound,
  watchedOrdersRound,
  type Item,
} from "./dueOrders";
import { goRound, type RoundState } from "./rounds";
import { closeCrashedRun, newRunSummary } from "./runSummary";
import { completeRequests, SyncRequestListener, takeWaitingRequests } from "./syncRequests";
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
  /** Orders are judged, and the time budget measured, by it; tests shift or speed it. */
  clock?: Clock;
}

export const SYNC_LEASE = "datamartSync";

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
  const clock = clockOf(deps);
  const runRef = db.collection(COLLECTIONS.syncRuns).doc();
  const summary = newRunSummary(runRef.id, trigger, dateNow(clock));
  const expiry = options.runRetentionMs
    ? { expireAt: Timestamp.fromMillis(clock.now() + options.runRetentionMs) }
    : {};

  const ran = await runLeasedJob<SyncState, void>(
    db,
    { lease: SYNC_LEASE, holder: runRef.id, budgetMs: options.timeBudgetMs, clock },
    async (run) => {
      if (run.expiredHolder) await closeCrashedRun(db, run.expiredHolder);
      // Visible while it runs (an admin's request may be taken by it); replaced when it ends.
      await runRef.set({ ...summary, ...expiry, running: true });
      const sync = new SyncRun(deps, summary, clock, run.deadline);
      return { result: undefined, save: await sync.run(await run.saved(), trigger === "schedule") };
    },
  );
  if (!ran) {
    summary.skipped = true;
    summary.message = "skipped: another run holds the lease";
  }
  summary.finishedAt = dateNow(clock).toISOString();
  await runRef.set({ ...summary, ...expiry });
  logSyncCompleted(summary);
  return summary;
}

class SyncRun {
  private readonly gate: DatamartGate;
  private readonly pageSize: number;
  /** What checking an order needs, but for the pass's clock. */
  private readonly checking: Omit<CheckContext, "runNow">;
  private outOfTime = false;
  /** Orders checked in this pass. */
  private seen = new Set<string>();

  constructor(
    private readonly deps: SyncDeps,
    private readonly summary: SyncSummary,
    private readonly clock: Clock,
    private readonly deadline: number,
  ) {
    const { db, options, walletRefunds, failedWatchMs } = deps;
    const gate = new DatamartGate(deps.datamart, { ...options, deadline }, clock);
    this.gate = gate;
    this.pageSize = options.pageSize ?? 200;
    const { attentionAfterMs } = options;
    this.checking = { db, gate, summary, attentionAfterMs, walletRefunds, failedWatchMs };
  }

  private get stopped(): boolean {
    this.outOfTime ||= this.gate.outOfTime || this.clock.now() >= this.deadline;
    return this.outOfTime || this.gate.down;
  }

  /** @returns where the rounds stand, for the next run. */
  async run(state: SyncState, repeatPasses: boolean): Promise<SyncState> {
    const { db, options } = this.deps;
    const runNow = dateNow(this.clock);

    const requested = await takeWaitingRequests(db, this.summary.runId, this.clock);
    const context = await this.freshPass(runNow, true);
    await this.drain(
      context,
      agingDueOrders(db, runNow, toDate(state.agingPassAt), options.freshForMs, this.pageSize),
      () => (this.summary.aging += 1),
    );
    const young: ReadonlySet<string> = new Set(this.seen);
    const lap = { runNow, skip: young, pageSize: this.pageSize };
    const drain = (source: AsyncGenerator<Item>) => this.drain(context, source);
    const watch = await goRound(watchedOrdersRound(db, runNow), state.watch, drain, {
      ...lap,
      periodMs: WATCH_INTERVAL_MS,
    });
    const sweep = await goRound(openOrdersRound(db), state.sweep, drain, {
      ...lap,
      periodMs: options.sweepPeriodMs,
      onVisit: () => (this.summary.swept += 1),
    });
    this.summary.passes = 1;
    await this.answerRequests(requested, { checked: 0, updated: 0 });

    if (repeatPasses) await this.repeatPasses(runNow.getTime());
    this.summary.checked = this.gate.asked;
    this.summary.datamartRequests = this.gate.requests;
    if (this.stopped) {
      this.summary.stoppedEarly = this.gate.down ? "provider-down" : "time-budget";
      this.summary.leftForNextRun = true;
    }
    this.summary.needsAttention = await countNeedsAttention(db);
    return { sweep, watch, agingPassAt: Timestamp.fromDate(runNow) };
  }

  /**
   * A scheduled run's further passes over young orders, every `freshIntervalMs` while its budget
   * lasts. An admin's request (sync/syncRequests.ts) ends the pause at once: the pass it gets also
   * checks adopted orders, and records on the request what it checked.
   */
  private async repeatPasses(firstPassStarted: number): Promise<void> {
    const { db, options } = this.deps;
    const requests = new SyncRequestListener(db, this.summary.runId, this.clock);
    let passStarted = firstPassStarted;
    try {
      while (!this.stopped) {
        const at = nextPassAt(
          passStarted,
          this.clock.now(),
          options.freshIntervalMs,
          this.deadline,
        );
        if (at === undefined && !requests.pending) break;
        if (at !== undefined) await requests.pause(at);
        if (this.stopped) break;
        const taken = await requests.take();
        const before = { checked: this.gate.asked, updated: this.summary.updated };
        passStarted = this.clock.now();
        this.seen = new Set();
        await this.freshPass(new Date(passStarted), taken.length > 0);
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
    this.summary.adminRequests += requests.length;
    const pass = {
      checked: this.gate.asked - before.checked,
      updated: this.summary.updated - before.updated,
    };
    await completeRequests(requests, pass, this.clock);
  }

  /** What each pass checks first: the adopted orders (when asked to) and the young ones. */
  private async freshPass(passNow: Date, withAdopted: boolean): Promise<CheckContext> {
    const { db, options } = this.deps;
    const context = { ...this.checking, runNow: passNow };
    const adopted = () => (this.summary.adopted += 1);
    if (withAdopted) await this.drain(context, adoptedOrders(db, this.pageSize), adopted);
    const since = new Date(passNow.getTime() - options.freshForMs);
    await this.drain(context, youngOrders(db, since, this.pageSize));
    return context;
  }

  /** Checks what `source` yields with `2 x concurrency` workers, until it ends, time is up or Datamart is down. */
  private async drain(
    context: CheckContext,
    source: AsyncGenerator<Item | QueryDocumentSnapshot>,
    onChecked?: () => void,
  ): Promise<void> {
    // Twice as many workers as request slots, so one worker's Firestore reads and writes overlap the
    // others' Datamart requests instead of idling a slot.
    const workers = this.deps.options.concurrency * 2;
    await drainWithWorkers(
      source,
      workers,
      () => this.stopped,
      async (next) => {
        const item = "snapshot" in next ? next : { snapshot: next };
        const { snapshot } = item;
        if (this.seen.has(snapshot.id)) return item.settle?.(true);
        this.seen.add(snapshot.id);
        this.summary.due += 1;
        const settled = await checkOrder(context, snapshot);
        if (settled) onChecked?.();
        await item.settle?.(settled);
      },
    );
  }
}
