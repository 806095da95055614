import {
  FieldValue,
  Timestamp,
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  type UpdateData,
} from "firebase-admin/firestore";
import { isPreconditionFailure } from "../firestore";
import { logStatusChanged } from "../logs";
import { orderSchema } from "../domain/order";
import { isFinalStatus, mapDatamartStatus, type DataSellStatus } from "../domain/orderStatus";
import {
  decideStatusChange,
  reopensFinal,
  REOPENED_REASON,
  type StatusDecision,
} from "../domain/statusChange";
import { watchUntil } from "../domain/pollSchedule";
import { SYNC_FIELDS } from "../domain/syncFields";
import { changeMovesMoney, moneyMove } from "../domain/walletRefund";
import { readWallet, writeMoneyMove } from "../wallet/walletLedger";
import {
  COLLECTIONS,
  type StatusHistoryEntry as StoredHistoryEntry,
  type StatusSource,
} from "../contract";

export interface StatusReport {
  /** Datamart's raw order status, as it answered. */
  datamartStatus: string;
  source: StatusSource;
  at?: Date;
}

export type ApplyOutcome =
  StatusDecision | { kind: "unknown-status"; datamartStatus: string } | { kind: "not-found" };

/** A status history entry, as the functions write it. */
export type StatusHistoryEntry = StoredHistoryEntry<Timestamp>;

export interface ApplyOptions {
  /** Credit failed wallet orders (and reverse on a later delivery); off while DataSell's app refunds. */
  walletRefunds: boolean;
  /** How long the poll keeps asking about an order Datamart called failed (0 or absent: not at all). */
  failedWatchMs?: number;
}

/**
 * The one path that changes an order's status. Monotonic: a final status never changes again (but
 * for Datamart delivering an order it had called failed), so a late or replayed `processing` cannot
 * move `delivered` back. On a change it writes `status`, the raw `datamartStatus`, `lastSyncedAt` and
 * a history entry atomically, and takes the order off the poll schedule once it is final. A change
 * that moves a wallet order's money (a refund, or its reversal) writes that in the same transaction.
 *
 * Given the snapshot the caller already read, it writes with that snapshot's update time as a
 * precondition (no second read); if the order moved meanwhile, or money moves, it decides in a
 * transaction.
 */
export async function applyStatus(
  db: Firestore,
  order: DocumentReference | DocumentSnapshot,
  report: StatusReport,
  options: ApplyOptions,
): Promise<ApplyOutcome> {
  const to = mapDatamartStatus(report.datamartStatus);
  if (!to) return { kind: "unknown-status", datamartStatus: report.datamartStatus };
  const at = report.at ?? new Date();

  if ("exists" in order && order.exists && order.updateTime) {
    const outcome = decide(order.data(), to);
    if (outcome.kind !== "changed") return outcome;
    if (!(options.walletRefunds && changeMovesMoney(outcome.from, outcome.to))) {
      try {
        const batch = db.batch();
        writeChange(
          batch,
          order.ref,
          outcome,
          report,
          at,
          { lastUpdateTime: order.updateTime },
          undefined,
          options.failedWatchMs,
        );
        await batch.commit();
        logStatusChanged(order.ref.id, outcome.from, outcome.to, report.source);
        return outcome;
      } catch (error) {
        if (!isPreconditionFailure(error)) throw error;
      }
    }
  }

  const ref = "exists" in order ? order.ref : order;
  const outcome = await db.runTransaction(async (tx) => {
    const snapshot = await tx.get(ref);
    if (!snapshot.exists) return { kind: "not-found" } as const;
    const decided = decide(snapshot.data(), to);
    if (decided.kind !== "changed") return decided;
    const parsed = orderSchema.safeParse(snapshot.data());
    let refund: object | undefined;
    if (options.walletRefunds && parsed.success && changeMovesMoney(decided.from, decided.to)) {
      const { userId } = parsed.data;
      const wallet = userId ? await readWallet(tx, db, userId) : undefined;
      const move = moneyMove(parsed.data, decided.to, wallet ?? { exists: false });
      refund = writeMoneyMove(tx, wallet, move, {
        orderId: ref.id,
        network: parsed.data.network,
        refund: parsed.data.refund,
        source: report.source,
        at,
      });
    }
    writeChange(tx, ref, decided, report, at, undefined, refund, options.failedWatchMs);
    return decided;
  });
  if (outcome.kind === "changed") logStatusChanged(ref.id, outcome.from, outcome.to, report.source);
  return outcome;
}

/** The decision for a stored order: an order whose status does not parse is decided as if it had none. */
function decide(data: unknown, to: DataSellStatus): StatusDecision {
  const current = orderSchema.pick({ status: true }).safeParse(data);
  return decideStatusChange(current.success ? current.data.status : "", to);
}

interface Writer {
  update(ref: DocumentReference, data: UpdateData<object>, precondition?: object): unknown;
  create(ref: DocumentReference, data: object): unknown;
}

function writeChange(
  writer: Writer,
  ref: DocumentReference,
  change: Extract<ApplyOutcome, { kind: "changed" }>,
  report: StatusReport,
  at: Date,
  precondition?: { lastUpdateTime: Timestamp },
  refund?: object,
  failedWatchMs?: number,
): void {
  const update: Record<string, unknown> = {
    ...(refund ? { refund } : {}),
    status: change.to,
    datamartStatus: report.datamartStatus,
    // The app stores its own times as ISO strings; keep its fields in its format.
    lastSyncedAt: at.toISOString(),
  };
  // A final order leaves the sync, with any needsAttention flag; a failed one stays under watch for
  // a while, as Datamart delivers some failed orders later.
  if (isFinalStatus(change.to)) {
    const until = change.to === "failed" ? watchUntil(at, failedWatchMs ?? 0) : undefined;
    update[SYNC_FIELDS.all] = until
      ? { watchUntil: Timestamp.fromDate(until) }
      : FieldValue.delete();
  }
  if (precondition) writer.update(ref, update, precondition);
  else writer.update(ref, update);
  const entry: StatusHistoryEntry = {
    from: change.from,
    to: change.to,
    datamartStatus: report.datamartStatus,
    source: report.source,
    at: Timestamp.fromDate(at),
    ...(reopensFinal(change.from, change.to) ? { reason: REOPENED_REASON } : {}),
  };
  writer.create(ref.collection(COLLECTIONS.statusHistory).doc(), entry);
}
