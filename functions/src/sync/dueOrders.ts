import {
  FieldPath,
  Timestamp,
  type Firestore,
  type Query,
  type QueryDocumentSnapshot,
  type QuerySnapshot,
} from "firebase-admin/firestore";
import { OPEN_STATUSES } from "../domain/orderStatus";
import { AGING_UNTIL_MS } from "../domain/pollSchedule";
import { SYNC_FIELDS } from "../domain/syncFields";
import { COLLECTIONS } from "../contract";

/*
 * Where a run finds the orders it checks. Every query is indexed and reads only what it returns:
 * final orders are never read, and nothing here needs per-order bookkeeping.
 */

const transactions = (db: Firestore) => db.collection(COLLECTIONS.transactions);
const open = (db: Firestore) => transactions(db).where("status", "in", OPEN_STATUSES);

/**
 * The orders of `orders` placed at or after `since`, newest first. Writers store `timestamp` as an
 * ISO string, a Timestamp or epoch milliseconds, and Firestore compares values only within a type:
 * one query each.
 */
export async function* placedSince(
  orders: Query,
  since: Date,
  pageSize: number,
  before?: Date,
): AsyncGenerator<QueryDocumentSnapshot> {
  const forms = (at: Date) => [at.toISOString(), Timestamp.fromDate(at), at.getTime()] as const;
  const ends = before ? forms(before) : undefined;
  for (const [i, bound] of forms(since).entries()) {
    const from = orders.where("timestamp", ">=", bound);
    const range = ends ? from.where("timestamp", "<", ends[i]) : from;
    yield* paged(range.orderBy("timestamp", "desc"), pageSize);
  }
}

/** Open orders placed at or after `since`, newest first. */
export const youngOrders = (
  db: Firestore,
  since: Date,
  pageSize: number,
): AsyncGenerator<QueryDocumentSnapshot> => placedSince(open(db), since, pageSize);

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

/** The documents a round's query would return, counted without reading them. */
export async function countOf(query: Query): Promise<number> {
  return (await query.count().get()).data().count;
}

/** Open orders flagged needsAttention, counted without reading them. */
export function countNeedsAttention(db: Firestore): Promise<number> {
  return countOf(transactions(db).where(SYNC_FIELDS.needsAttention, "==", true));
}

/**
 * Pages through a query with cursors (never offsets: skipped documents are billed), fetching the next
 * page while the current one is being worked on, and never more than `max` documents in all.
 */
export async function* paged(
  query: Query,
  pageSize: number,
  max = Number.POSITIVE_INFINITY,
): AsyncGenerator<QueryDocumentSnapshot> {
  let fetched = 0;
  const page = (from?: QueryDocumentSnapshot): Promise<QuerySnapshot> | undefined => {
    const size = Math.min(pageSize, max - fetched);
    if (size <= 0) return undefined;
    fetched += size;
    return (from ? query.startAfter(from) : query).limit(size).get();
  };
  let next = page();
  while (next) {
    const current: QuerySnapshot = await next;
    next = current.size < pageSize ? undefined : page(current.docs[current.size - 1]);
    yield* current.docs;
  }
}
