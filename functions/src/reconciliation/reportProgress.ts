import type { Firestore } from "firebase-admin/firestore";
import { reportWindow, type LedgerPosition } from "../domain/ledgerCursor";
import { emptyTotals, type Movement } from "../domain/reconciliation";
import { COLLECTIONS, type ReconciliationReport } from "../contract";
import type { DeliveredPlace } from "./deliveredCheck";

/*
 * A report's window and the state it carries between runs (`syncState/datamartReconciliation`).
 */

/** `syncState/datamartReconciliation`: where the last complete report ended, and one in progress. */
export interface ReconcileState {
  coveredUntil?: string;
  lastCompleteReportId?: string;
  inProgress?: Progress;
}

/** Where an unfinished report stands, so the next run goes on from there. Small at any size. */
export interface Progress {
  report: ReconciliationReport;
  ledger: LedgerPosition;
  /** Charges from here to the window's start are read only to mark their orders paid for. */
  readFrom: string;
  /**
   * Refunds read before their purchase (the list is newest first, so a purchase comes on the same
   * page as its refund or a later one), by match key: an order is judged on all its movements.
   */
  refundsAwaitingPurchase: Record<string, Movement[]>;
  ledgerRead?: boolean;
  /** The delivered-without-charge check's place: the last order it read. */
  deliveredAfter?: DeliveredPlace;
  deliveredChecked?: boolean;
}

/** Each report re-reads this much before the last one's end: movements Datamart lists late. */
const OVERLAP_MS = 2 * 3_600_000;
/**
 * How far before the first report's window charges are read, only to know an order was paid for: an
 * order charged just before may be delivered inside it (slow portals, the 24-hour failed watch).
 * Later reports find those charges marked by the report before.
 */
const FIRST_LOOKBACK_MS = 3 * 86_400_000;

export function newProgress(
  db: Firestore,
  trigger: ReconciliationReport["trigger"],
  coveredUntil: string | undefined,
  at: Date,
  firstWindowDays: number,
): Progress {
  const id = db.collection(COLLECTIONS.reconciliationReports).doc().id;
  const report = newReport(id, trigger, at, coveredUntil, firstWindowDays);
  const readFromMs = Date.parse(report.windowStart) - (coveredUntil ? 0 : FIRST_LOOKBACK_MS);
  return {
    report,
    ledger: { page: 1 },
    readFrom: new Date(readFromMs).toISOString(),
    refundsAwaitingPurchase: {},
  };
}

export function newReport(
  reportId: string,
  trigger: ReconciliationReport["trigger"],
  at: Date,
  coveredUntil: string | undefined,
  firstWindowDays: number,
): ReconciliationReport {
  return {
    reportId,
    trigger,
    skipped: false,
    complete: false,
    ...reportWindow(coveredUntil, at.getTime(), firstWindowDays * 86_400_000, OVERLAP_MS),
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
