import {
  Timestamp,
  type Firestore,
  type Query,
  type QueryDocumentSnapshot,
  type QuerySnapshot,
} from "firebase-admin/firestore";
import { OPEN_STATUSES } from "../domain/orderStatus";
import { COLLECTIONS } from "../contract";

/*
 * The order queries every job shares (the sync, supplier health, the notification sweep): indexed,
 * paged with cursors, reading only what they return.
 */

export const transactions = (db: Firestore) => db.collection(COLLECTIONS.transactions);
export const openOrders = (db: Firestore) => transactions(db).where("status", "in", OPEN_STATUSES);

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
): AsyncGenerator<QueryDocumentSnapshot> => placedSince(openOrders(db), since, pageSize);

/** The documents a round's query would return, counted without reading them. */
export async function countOf(query: Query): Promise<number> {
  return (await query.count().get()).data().count;
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
