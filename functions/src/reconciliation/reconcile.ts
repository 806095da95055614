import type { Firestore } from "firebase-admin/firestore";
import { advance, pageNow, startsReport, unread } from "../domain/ledgerCursor";
import {
  addToTotals,
  groupByOrder,
  matchKey,
  movementOf,
  passedCaseIds,
  reconcileOrder,
  type Mismatch,
  type Movement,
  type OrderView,
} from "../domain/reconciliation";
import { logReconciliationCompleted } from "../logs";
import type { DatamartClient } from "../providers/datamart";
import { ProviderError } from "../providers/providerError";
import { clockOf, dateNow, type Clock } from "../platform/clock";
import { runLeasedJob } from "../platform/leasedJob";
import { RateLimiter } from "../platform/rateLimiter";
import { COLLECTIONS, type ReconciliationReport } from "../contract";
import { clearSettledCases, recordCases } from "./cases";
import { markCharged, readMarks } from "./chargeMarks";
import { deliveredUncharged } from "./deliveredCheck";
import { ordersByKey } from "./ledgerOrders";
import { newProgress, newReport, type Progress, type ReconcileState } from "./reportProgress";

export interface ReconcileOptions {
  /** How far back the first report reaches; each later one starts where the last ended. */
  windowDays: number;
  /** Datamart requests a minute: a share of its ~200 the sync does not use. */
  ratePerMinute: number;
  timeBudgetMs: number;
  /** Movements asked for per page. */
  pageSize?: number;
}

export interface ReconcileDeps {
  db: Firestore;
  datamart: Pick<DatamartClient, "fetchTransactions" | "fetchBalance">;
  options: ReconcileOptions;
  clock?: Clock;
}

export const RECONCILE_LEASE = "datamartReconciliation";
/**
 * One report a day (admins may ask for one any time): Datamart's wallet movements since the last
 * report ended (less an overlap), newest first, each matched to an order by its transaction
 * reference (else its purchase id), every mismatch recorded as a case whose id is stable across
 * runs; then the orders delivered in the window that Datamart charged nothing for. Rate-limited on
 * its own share of Datamart's limit, bounded by a time budget, resumed by the next run.
 */
export async function runReconciliation(
  deps: ReconcileDeps,
  trigger: ReconciliationReport["trigger"],
): Promise<ReconciliationReport> {
  const { db, options } = deps;
  const clock = clockOf(deps);
  const now = () => dateNow(clock);
  const nothing = () => ({
    ...newReport("", trigger, now(), undefined, options.windowDays),
    skipped: true,
  });
  const ran = await runLeasedJob<ReconcileState, ReconciliationReport | undefined>(
    db,
    {
      lease: RECONCILE_LEASE,
      holder: `reconcile-${now().toISOString()}`,
      budgetMs: options.timeBudgetMs,
      clock,
    },
    async (run) => {
      const state = await run.saved();
      // A report saved by an earlier version of this code (page numbers, no cursor) starts afresh.
      const saved = state.inProgress?.ledger ? state.inProgress : undefined;
      if (!saved && !startsReport(trigger, state.coveredUntil, clock.now()))
        return { result: undefined };
      const progress =
        saved ?? newProgress(db, trigger, state.coveredUntil, now(), options.windowDays);
      progress.report.runs += 1;
      delete progress.report.stoppedEarly;
      const done = await new ReconciliationRun(deps, progress, clock, run.deadline).work();
      const { report } = progress;
      report.complete = done;
      await db.collection(COLLECTIONS.reconciliationReports).doc(report.reportId).set(report);
      logReconciliationCompleted(report);
      // Written whole (runLeasedJob), never merged: a merge would keep the held refunds this run
      // let go.
      const save: ReconcileState = done
        ? { coveredUntil: report.windowEnd, lastCompleteReportId: report.reportId }
        : { ...state, inProgress: progress };
      return { result: report, save };
    },
  );
  return ran?.result ?? nothing();
}

class ReconciliationRun {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly deps: ReconcileDeps,
    private readonly progress: Progress,
    private readonly clock: Clock,
    private readonly deadline: number,
  ) {
    this.limiter = new RateLimiter(deps.options.ratePerMinute, clock);
  }

  /** @returns true once the report is complete; false when stopped (the next run resumes). */
  async work(): Promise<boolean> {
    const { report } = this.progress;
    try {
      if (report.balanceStart === undefined) report.balanceStart = await this.balance();
      while (!this.progress.ledgerRead) {
        if (!(await this.turn())) return this.stop("time-budget");
        await this.readPage();
      }
      while (!this.progress.deliveredChecked) {
        if (this.clock.now() >= this.deadline) return this.stop("time-budget");
        await this.checkDelivered();
      }
      if (!(await this.turn())) return this.stop("time-budget");
      report.balanceEnd = await this.balance();
      return true;
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      report.error = `${error.kind}: ${error.message}`;
      return this.stop(error.transient ? "provider-down" : "provider-error");
    }
  }

  private stop(reason: NonNullable<ReconciliationReport["stoppedEarly"]>): false {
    this.progress.report.stoppedEarly = reason;
    return false;
  }

  private async turn(): Promise<boolean> {
    return this.clock.now() < this.deadline && (await this.limiter.acquire(this.deadline));
  }

  private async balance(): Promise<number | undefined> {
    if (!(await this.turn())) return undefined;
    return (await this.deps.datamart.fetchBalance()).balance;
  }

  /**
   * Reads the next page of the ledger where its unread movements are now; once a page reaches past
   * `readFrom` (or the list ends), judges the refunds still waiting for a purchase on their own.
   */
  private async readPage(): Promise<void> {
    const { ledger } = this.progress;
    const size = this.deps.options.pageSize ?? 100;
    const page = await this.deps.datamart.fetchTransactions(ledger.page, size);
    const { totalItems, totalPages } = page.pagination;
    const at = pageNow(ledger, totalItems, size);
    ledger.totalItems = totalItems;
    // A page or more arrived (or left) since: what was asked is all read; ask where the rest is.
    if (at !== ledger.page) return void (ledger.page = at);
    const movements = unread(page.transactions.map(movementOf), ledger.cursor);
    ledger.cursor = advance(ledger.cursor, movements);
    ledger.page += 1;
    this.progress.report.pages += 1;
    await this.markPaidBeforeWindow(movements);
    await this.reconcileWindow(movements);
    if (movements.some((m) => m.createdAt < this.progress.readFrom) || ledger.page > totalPages) {
      await this.judge(new Map(Object.entries(this.progress.refundsAwaitingPurchase)));
      this.progress.refundsAwaitingPurchase = {};
      this.progress.ledgerRead = true;
    }
  }

  /** The first report's look behind its window: orders charged there were paid for. */
  private async markPaidBeforeWindow(movements: Movement[]): Promise<void> {
    const { report, readFrom } = this.progress;
    const keys = movements.flatMap((m) => {
      const key = matchKey(m);
      const before = m.createdAt < report.windowStart && m.createdAt >= readFrom;
      return key && m.type === "purchase" && before ? [key] : [];
    });
    if (keys.length === 0) return;
    const orders = [...(await ordersByKey(this.deps.db, keys)).values()];
    await markCharged(
      this.deps.db,
      orders.map((o) => o.id),
      undefined,
      dateNow(this.clock),
    );
  }

  /** Groups the window's movements by order, holds refunds for their purchase, judges the rest. */
  private async reconcileWindow(movements: Movement[]): Promise<void> {
    const { report } = this.progress;
    const inWindow = movements.filter(
      (m) => m.createdAt >= report.windowStart && m.createdAt <= report.windowEnd,
    );
    const { ready, awaiting } = groupByOrder(inWindow, this.progress.refundsAwaitingPurchase);
    this.progress.refundsAwaitingPurchase = awaiting;
    report.movements += inWindow.length;
    report.totals = addToTotals(report.totals, inWindow, []);
    await this.judge(ready);
  }

  /** Matches each order's movements to the order (marked once per report); records disagreements. */
  private async judge(groups: Map<string, Movement[]>): Promise<void> {
    if (groups.size === 0) return;
    const { db } = this.deps;
    const { report } = this.progress;
    const orders = await ordersByKey(db, [...groups.keys()]);
    const byId = new Map([...orders.values()].map((o) => [o.id, o]));
    const marks = await readMarks(db, [...byId.keys()]);
    const newlyMatched: OrderView[] = [...byId.values()].filter(
      (o) => marks.get(o.id) !== report.reportId,
    );
    await markCharged(
      db,
      newlyMatched.map((o) => o.id),
      report.reportId,
      dateNow(this.clock),
    );
    report.matchedOrders += newlyMatched.length;
    report.totals = addToTotals(report.totals, [], newlyMatched);
    const found = [...groups].flatMap(([key, group]) =>
      reconcileOrder(key, group, orders.get(key)),
    );
    await this.record(found);
    // What an earlier report saw of an order in flight (a failed order since delivered, too), this
    // one may find settled.
    const caseIds = [...orders.keys()].flatMap((key) => passedCaseIds(key, found));
    await clearSettledCases(
      db,
      report,
      { orderIds: [...byId.keys()], caseIds },
      dateNow(this.clock),
    );
  }

  /** One page of the delivered-without-charge check, from where the last stopped. */
  private async checkDelivered(): Promise<void> {
    const page = await deliveredUncharged(
      this.deps.db,
      this.progress.report,
      this.progress.deliveredAfter,
    );
    await this.record(page.mismatches);
    if (page.after) this.progress.deliveredAfter = page.after;
    if (page.done) this.progress.deliveredChecked = true;
  }

  private record(mismatches: Mismatch[]): Promise<void> {
    return recordCases(this.deps.db, this.progress.report, mismatches, dateNow(this.clock));
  }
}
