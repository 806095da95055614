import { Timestamp, type Firestore, type QueryDocumentSnapshot } from "firebase-admin/firestore";
import { orderSchema } from "../domain/order";
import {
  addToTotals,
  deliveredWithoutCharge,
  emptyTotals,
  matchKey,
  movementOf,
  reconcileOrder,
  type Mismatch,
  type Movement,
  type OrderView,
} from "../domain/reconciliation";
import { toPesewas } from "../domain/walletRefund";
import { GrpcStatus, hasGrpcStatus } from "../firestore";
import { logReconciliationCompleted } from "../logs";
import type { DatamartClient } from "../providers/datamart";
import { ProviderError } from "../providers/providerError";
import { tryAcquireLease } from "../sync/lease";
import { RateLimiter } from "../sync/rateLimiter";
import { COLLECTIONS, type ReconciliationReport } from "../contract";

export interface ReconcileOptions {
  /** How far back the window reaches. */
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
  now?: () => Date;
}

/** Where an unfinished report stands, so the next run goes on from there. */
interface Progress {
  report: ReconciliationReport;
  nextPage: number;
  /** Orders already matched (so each counts once, and none is "delivered without charge"). */
  matchedOrderIds: string[];
  /** Orders Datamart charged shortly before the window: delivered in it, they were paid for. */
  chargedBeforeWindowOrderIds?: string[];
  /**
   * Refunds seen before their purchase (the list is newest first, so a purchase comes on the same
   * page as its refund or a later one), by match key: an order is judged on all its movements.
   */
  refundsAwaitingPurchase?: Record<string, Movement[]>;
}

export const RECONCILE_LEASE = "datamartReconciliation";
const STATE_DOC = "datamartReconciliation";
const IN_QUERY_LIMIT = 30;
/**
 * How far before the window charges are still read, only to know an order was paid for: an order
 * charged just before the window may be delivered inside it (slow portals, the 24-hour failed watch).
 */
const CHARGE_LOOKBACK_MS = 3 * 86_400_000;
/** Where DataSell keeps Datamart's `TRX-…` reference of an order. */
const TRANSACTION_REFERENCE = "datamartResponse.transactionReference";

/**
 * Pages through Datamart's wallet movements for the window (newest first), matches each to an order
 * by its transaction reference (else its purchase id), and records every mismatch as a case whose id
 * is stable across runs. Then finds orders delivered in the window that Datamart charged nothing for.
 * Rate-limited on its own share of Datamart's limit, bounded by a time budget, resumable.
 */
export async function runReconciliation(
  deps: ReconcileDeps,
  trigger: ReconciliationReport["trigger"],
): Promise<ReconciliationReport> {
  const { db, options } = deps;
  const now = deps.now ?? (() => new Date());
  const stateRef = db.collection(COLLECTIONS.syncState).doc(STATE_DOC);
  const lease = await tryAcquireLease(
    db,
    RECONCILE_LEASE,
    `reconcile-${now().toISOString()}`,
    options.timeBudgetMs + 60_000,
    now,
  );
  if (!lease) return { ...newReport("", trigger, now(), options.windowDays), skipped: true };
  try {
    const saved = (await stateRef.get()).get("inProgress") as Progress | undefined;
    const progress: Progress = saved ?? {
      report: newReport(
        db.collection(COLLECTIONS.reconciliationReports).doc().id,
        trigger,
        now(),
        options.windowDays,
      ),
      nextPage: 1,
      matchedOrderIds: [],
    };
    progress.report.runs += 1;
    delete progress.report.stoppedEarly;
    const run = new ReconciliationRun(deps, progress);
    const done = await run.work();
    const { report } = progress;
    report.complete = done;
    await db.collection(COLLECTIONS.reconciliationReports).doc(report.reportId).set(report);
    await stateRef.set(done ? { lastCompleteReportId: report.reportId } : { inProgress: progress });
    logReconciliationCompleted(report);
    return report;
  } finally {
    await lease.release();
  }
}

function newReport(
  reportId: string,
  trigger: ReconciliationReport["trigger"],
  at: Date,
  windowDays: number,
): ReconciliationReport {
  return {
    reportId,
    trigger,
    skipped: false,
    complete: false,
    windowStart: new Date(at.getTime() - windowDays * 86_400_000).toISOString(),
    windowEnd: at.toISOString(),
    runs: 0,
    pages: 0,
    movements: 0,
    matchedOrders: 0,
    mismatches: 0,
    mismatchesByKind: {},
    newCases: 0,
    totals: emptyTotals(),
  };
}

class ReconciliationRun {
  private readonly deadline: number;
  private readonly limiter: RateLimiter;
  private readonly matched: Set<string>;
  private readonly chargedBeforeWindow: Set<string>;

  constructor(
    private readonly deps: ReconcileDeps,
    private readonly progress: Progress,
  ) {
    this.deadline = Date.now() + deps.options.timeBudgetMs;
    this.limiter = new RateLimiter(deps.options.ratePerMinute);
    this.matched = new Set(progress.matchedOrderIds);
    this.chargedBeforeWindow = new Set(progress.chargedBeforeWindowOrderIds);
  }

  /** @returns true once the report is complete; false when stopped (the next run resumes). */
  async work(): Promise<boolean> {
    const { report } = this.progress;
    try {
      if (report.balanceStart === undefined) report.balanceStart = await this.balance();
      for (;;) {
        if (!(await this.turn())) return this.stop("time-budget");
        const page = await this.deps.datamart.fetchTransactions(
          this.progress.nextPage,
          this.deps.options.pageSize ?? 100,
        );
        const pastWindow = await this.reconcilePage(page.transactions.map(movementOf));
        report.pages += 1;
        this.progress.nextPage += 1;
        this.progress.matchedOrderIds = [...this.matched];
        this.progress.chargedBeforeWindowOrderIds = [...this.chargedBeforeWindow];
        if (pastWindow || this.progress.nextPage > page.pagination.totalPages) break;
      }
      // Refunds whose purchase is older than the window (or missing) are judged on their own.
      await this.judge(new Map(Object.entries(this.progress.refundsAwaitingPurchase ?? {})));
      this.progress.refundsAwaitingPurchase = {};
      await this.findDeliveredWithoutCharge();
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
    return Date.now() < this.deadline && (await this.limiter.acquire(this.deadline));
  }

  private async balance(): Promise<number | undefined> {
    if (!(await this.turn())) return undefined;
    return (await this.deps.datamart.fetchBalance()).balance;
  }

  /**
   * Matches one page's movements inside the window, and notes the orders charged in the lookback
   * before it; true once the page reached past the lookback.
   */
  private async reconcilePage(movements: Movement[]): Promise<boolean> {
    const { report } = this.progress;
    const lookbackStart = new Date(
      Date.parse(report.windowStart) - CHARGE_LOOKBACK_MS,
    ).toISOString();
    const chargedEarlier = movements.flatMap((m) => {
      const key = matchKey(m);
      return key &&
        m.type === "purchase" &&
        m.createdAt < report.windowStart &&
        m.createdAt >= lookbackStart
        ? [key]
        : [];
    });
    for (const order of (await this.ordersFor(chargedEarlier)).values())
      this.chargedBeforeWindow.add(order.id);
    const inWindow = movements.filter(
      (m) => m.createdAt >= report.windowStart && m.createdAt <= report.windowEnd,
    );
    const groups = new Map<string, Movement[]>();
    const unkeyed: Movement[] = [];
    for (const m of inWindow) {
      const key = matchKey(m);
      if (key && (m.type === "purchase" || m.type === "refund"))
        groups.set(key, [...(groups.get(key) ?? []), m]);
      else unkeyed.push(m);
    }
    const awaiting = (this.progress.refundsAwaitingPurchase ??= {});
    for (const [key, group] of groups) {
      group.push(...(awaiting[key] ?? []));
      delete awaiting[key];
      if (group.some((m) => m.type === "purchase")) continue;
      awaiting[key] = group;
      groups.delete(key);
    }
    report.movements += inWindow.length;
    report.totals = addToTotals(report.totals, inWindow, []);
    await this.judge(groups);
    return movements.some((m) => m.createdAt < lookbackStart);
  }

  /** Matches each order's movements to the order, once, and records what does not agree. */
  private async judge(groups: Map<string, Movement[]>): Promise<void> {
    const { report } = this.progress;
    const orders = await this.ordersFor([...groups.keys()]);
    const newlyMatched: OrderView[] = [];
    const mismatches: Mismatch[] = [];
    for (const [key, group] of groups) {
      const order = orders.get(key);
      if (order && !this.matched.has(order.id)) {
        this.matched.add(order.id);
        newlyMatched.push(order);
      }
      mismatches.push(...reconcileOrder(key, group, order));
    }
    report.matchedOrders = this.matched.size;
    report.totals = addToTotals(report.totals, [], newlyMatched);
    await this.record(mismatches);
  }

  /** Orders by transaction reference, then by purchase id: a few `in` queries, each order read once. */
  private async ordersFor(keys: string[]): Promise<Map<string, OrderView>> {
    const found = new Map<string, OrderView>();
    for (const field of [TRANSACTION_REFERENCE, "datamartTransactionId"]) {
      const missing = keys.filter((k) => !found.has(k));
      for (let i = 0; i < missing.length; i += IN_QUERY_LIMIT) {
        const chunk = missing.slice(i, i + IN_QUERY_LIMIT);
        const snapshot = await this.deps.db
          .collection(COLLECTIONS.transactions)
          .where(field, "in", chunk)
          .get();
        for (const doc of snapshot.docs) {
          const view = orderView(doc);
          const key = doc.get(field) as string;
          if (view) found.set(key, view);
        }
      }
    }
    return found;
  }

  /**
   * Orders delivered in the window (applyStatus writes `lastSyncedAt`) that matched no charge in it
   * and were not charged just before it.
   */
  private async findDeliveredWithoutCharge(): Promise<void> {
    const { report } = this.progress;
    const delivered = await this.deps.db
      .collection(COLLECTIONS.transactions)
      .where("status", "==", "delivered")
      .where("lastSyncedAt", ">=", report.windowStart)
      .get();
    const mismatches = delivered.docs
      .filter((doc) => !this.matched.has(doc.id) && !this.chargedBeforeWindow.has(doc.id))
      .flatMap((doc) => {
        const view = orderView(doc);
        // Keyed as the movements are matched: by the transaction reference, else the order's id.
        const key = doc.get(TRANSACTION_REFERENCE) as string | undefined;
        return view ? [deliveredWithoutCharge(key ?? doc.id, view)] : [];
      });
    await this.record(mismatches);
  }

  /** One case per mismatch, created once and updated when found again; its state is the admins'. */
  private async record(mismatches: Mismatch[]): Promise<void> {
    const { report } = this.progress;
    const at = Timestamp.now();
    const cases = this.deps.db.collection(COLLECTIONS.reconciliationCases);
    await Promise.all(
      mismatches.map(async (m) => {
        report.mismatches += 1;
        report.mismatchesByKind[m.kind] = (report.mismatchesByKind[m.kind] ?? 0) + 1;
        const found = { ...m, lastFoundAt: at, lastReportId: report.reportId };
        try {
          await cases.doc(m.caseId).create({ ...found, state: "open", firstFoundAt: at });
          report.newCases += 1;
        } catch (error) {
          if (!hasGrpcStatus(error, GrpcStatus.ALREADY_EXISTS)) throw error;
          await cases.doc(m.caseId).update(found);
        }
      }),
    );
  }
}

function orderView(doc: QueryDocumentSnapshot): OrderView | undefined {
  const parsed = orderSchema.safeParse(doc.data());
  if (!parsed.success) return undefined;
  const order = parsed.data;
  return {
    id: doc.id,
    status: order.status,
    ...(order.paymentMethod ? { paymentMethod: order.paymentMethod } : {}),
    ...optional("amountPesewas", toPesewas(doc.get("amount"))),
    ...optional("datamartPricePesewas", toPesewas(doc.get("datamartResponse.price"))),
    ...(order.refund ? { refundState: order.refund.state } : {}),
    ...optional("refundPesewas", order.refund?.amountPesewas),
  };
}

const optional = <K extends string>(key: K, value: number | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, number>>;
