import {
  FieldPath,
  Timestamp,
  type Firestore,
  type Query,
  type QueryDocumentSnapshot,
} from "firebase-admin/firestore";
import { AGING_UNTIL_MS, agingDue, placedAt } from "../domain/pollSchedule";
import { ignoreIfMoved } from "../firestore";
import { SYNC_FIELDS } from "../domain/syncFields";
import { COLLECTIONS } from "../contract";
import {
  countOf,
  openOrders as open,
  paged,
  placedSince,
  transactions,
} from "../orders/orderQueries";

/*
 * Where a run finds the orders it checks. Every query is indexed and reads only what it returns:
 * final orders are never read, and nothing here needs per-order bookkeeping.
 */

/** Open orders past their young hour and at most a day old, newest first (see agingDue). */
export const agingOrders = (
  db: Firestore,
  now: Date,
  freshForMs: number,
  pageSize: number,
): AsyncGenerator<QueryDocumentSnapshot> =>
  placedSince(
    open(db),
    new Date(now.getTime() - AGING_UNTIL_MS),
    pageSize,
    new Date(now.getTime() - freshForMs),
  );

/** Every open order, in document id order: the sweep laps it. */
export function openOrdersRound(db: Firestore): Round {
  return { query: open(db).orderBy(FieldPath.documentId()), cursorFields: [] };
}

/** Failed orders still under watch, by the end of their watch: the watch laps them. */
export function watchedOrdersRound(db: Firestore, now: Date): Round {
  return {
    query: transactions(db)
      .where("status", "==", "failed")
      .where(SYNC_FIELDS.watchUntil, ">", Timestamp.fromDate(now))
      .orderBy(SYNC_FIELDS.watchUntil)
      .orderBy(FieldPath.documentId()),
    cursorFields: [SYNC_FIELDS.watchUntil],
  };
}

/** A query a run laps a slice at a time; its cursor is the values of `cursorFields` and the id. */
export interface Round {
  query: Query;
  cursorFields: string[];
}

export type Cursor = unknown[];

export function cursorOf(round: Round, snapshot: QueryDocumentSnapshot): Cursor {
  return [...round.cursorFields.map((field) => snapshot.get(field) as unknown), snapshot.id];
}

/** Orders the status trigger adopted because no other source would find them soon. */
export function adoptions(db: Firestore): Query {
  return db.collection(COLLECTIONS.syncAdoptions).orderBy("adoptedAt");
}

/** Open orders flagged needsAttention, counted without reading them. */
export function countNeedsAttention(db: Firestore): Promise<number> {
  return countOf(transactions(db).where(SYNC_FIELDS.needsAttention, "==", true));
}

/** An order to check, and what to do once it was dealt with (or not). */
export interface Item {
  snapshot: QueryDocumentSnapshot;
  settle?: (settled: boolean) => Promise<void> | void;
}

/** The adopted orders; each adoption ends once its order was dealt with. */
export async function* adoptedOrders(db: Firestore, pageSize: number): AsyncGenerator<Item> {
  for await (const adoption of paged(adoptions(db), pageSize)) {
    const done = () => ignoreIfMoved(adoption.ref.delete({ lastUpdateTime: adoption.updateTime }));
    const order = await db.collection(COLLECTIONS.transactions).doc(adoption.id).get();
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

/** The orders past their young hour that are due this run (domain/pollSchedule.ts, agingDue). */
export async function* agingDueOrders(
  db: Firestore,
  runNow: Date,
  lastPassAt: Date | undefined,
  freshForMs: number,
  pageSize: number,
): AsyncGenerator<Item> {
  for await (const snapshot of agingOrders(db, runNow, freshForMs, pageSize)) {
    const placed = placedAt(snapshot.data());
    if (placed && agingDue(placed, runNow, lastPassAt, freshForMs)) yield { snapshot };
  }
}
