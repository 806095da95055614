import { FieldValue, type Firestore, type Transaction } from "firebase-admin/firestore";
import {
  networkKey,
  statsDay,
  statsDocId,
  statusChangeCounts,
  type DailyStats,
} from "../domain/dailyStats";
import type { FinalStatus } from "../domain/orderStatus";
import { COLLECTIONS } from "../contract";

/*
 * Writes and reads `dailyStats/{day}_{network}`. The writes join the caller's transaction, which is
 * what makes them once: the status trigger's create-once records of a change, and the money path's
 * create-once ledger entry. Increments only, never a read: a busy day's document is not a lock.
 */

function add(tx: Transaction, db: Firestore, network: unknown, at: Date, counts: object): void {
  const day = statsDay(at);
  const key = networkKey(network);
  tx.set(
    db.collection(COLLECTIONS.dailyStats).doc(statsDocId(day, key)),
    { day, network: key, ...increments(counts) },
    { merge: true },
  );
}

const increments = (counts: object): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(counts).map(([key, value]) => [
      key,
      typeof value === "number" ? FieldValue.increment(value) : increments(value as object),
    ]),
  );

/** An order became final (once per change: the caller's transaction creates its records). */
export function countStatusChange(
  tx: Transaction,
  db: Firestore,
  change: { network: unknown; to: FinalStatus; at: Date; placedAt?: Date },
): void {
  add(tx, db, change.network, change.at, statusChangeCounts(change.to, change.at, change.placedAt));
}

/** A customer's wallet was credited for a failed order, or the credit reversed. */
export function countMoneyMove(
  tx: Transaction,
  db: Firestore,
  move: { network: unknown; type: "refund" | "reversal"; pesewas: number; at: Date },
): void {
  add(
    tx,
    db,
    move.network,
    move.at,
    move.type === "refund"
      ? { refunds: 1, refundedPesewas: move.pesewas }
      : { reversals: 1, reversedPesewas: move.pesewas },
  );
}

/** The documents of these days (every network), oldest first. */
export async function readDailyStats(
  db: Firestore,
  days: readonly string[],
): Promise<DailyStats[]> {
  const found = await db
    .collection(COLLECTIONS.dailyStats)
    .where("day", ">=", days[0])
    .where("day", "<=", days[days.length - 1])
    .get();
  return found.docs
    .map((doc) => doc.data() as DailyStats)
    .sort((a, b) => a.day.localeCompare(b.day));
}
