import {
  Timestamp,
  type Firestore,
  type Query,
  type QueryDocumentSnapshot,
  type QuerySnapshot,
} from "firebase-admin/firestore";
import { OPEN_STATUSES } from "../domain/orderStatus";
import type { PollLane } from "../domain/pollSchedule";
import { SYNC_FIELDS } from "../domain/syncFields";
import { COLLECTIONS } from "../firestore";

/** Orders placed this long before the last discovery are looked at again, for clock skew and late writes. */
const DISCOVERY_OVERLAP_MS = 15 * 60_000;
const LANES: readonly PollLane[] = ["fresh", "slow", "watch"];

/**
 * The orders a run must check, a page at a time: open orders placed since the last discovery and
 * never scheduled yet (newest first), then scheduled orders whose check is due, fresh lane first.
 * Every query is indexed; final orders are never read.
 */
export async function* dueOrders(
  db: Firestore,
  discoveredUntil: Date | undefined,
  now: Date,
  pageSize: number,
): AsyncGenerator<QueryDocumentSnapshot> {
  const open = db.collection(COLLECTIONS.transactions).where("status", "in", OPEN_STATUSES);
  const discovery: Query[] = [];
  if (!discoveredUntil) {
    discovery.push(open.orderBy("timestamp", "desc"));
  } else {
    // The app stores ISO strings; newer writers may store Timestamps. Firestore compares within a type.
    const since = new Date(discoveredUntil.getTime() - DISCOVERY_OVERLAP_MS);
    discovery.push(open.where("timestamp", ">=", since.toISOString()).orderBy("timestamp", "desc"));
    discovery.push(
      open.where("timestamp", ">=", Timestamp.fromDate(since)).orderBy("timestamp", "desc"),
    );
  }
  for (const query of discovery) {
    for await (const snapshot of paged(query, pageSize)) {
      if (snapshot.get(SYNC_FIELDS.nextCheckAt) === undefined) yield snapshot;
    }
  }
  for (const lane of LANES) yield* paged(dueInLane(db, lane, now), pageSize);
}

function dueInLane(db: Firestore, lane: PollLane, now: Date): Query {
  return db
    .collection(COLLECTIONS.transactions)
    .where(SYNC_FIELDS.lane, "==", lane)
    .where(SYNC_FIELDS.nextCheckAt, "<=", Timestamp.fromDate(now))
    .orderBy(SYNC_FIELDS.nextCheckAt);
}

/** Scheduled orders due now, counted without reading them. */
export async function countDue(db: Firestore, now: Date): Promise<number> {
  const counts = await Promise.all(LANES.map((lane) => dueInLane(db, lane, now).count().get()));
  return counts.reduce((sum, c) => sum + c.data().count, 0);
}

/** Open orders flagged needsAttention, counted without reading them. */
export async function countNeedsAttention(db: Firestore): Promise<number> {
  const count = await db
    .collection(COLLECTIONS.transactions)
    .where(SYNC_FIELDS.needsAttention, "==", true)
    .count()
    .get();
  return count.data().count;
}

/**
 * Pages through a query with cursors (never offsets: skipped documents are billed), fetching the next
 * page while the current one is being worked on.
 */
async function* paged(query: Query, pageSize: number): AsyncGenerator<QueryDocumentSnapshot> {
  let next: Promise<QuerySnapshot> | undefined = query.limit(pageSize).get();
  while (next) {
    const page: QuerySnapshot = await next;
    next =
      page.size < pageSize
        ? undefined
        : query
            .startAfter(page.docs[page.size - 1])
            .limit(pageSize)
            .get();
    yield* page.docs;
  }
}
