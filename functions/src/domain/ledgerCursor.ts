import type { Movement } from "./reconciliation";

/*
 * Reading Datamart's wallet ledger, newest first, page by page, while it grows. `GET /transactions`
 * has only page numbers: a movement that arrives while a report is being read pushes every older one
 * a place down, so a page number alone reads some movements twice. The cursor is the last movement
 * read (its time, and which movements of that same time were read); the page is moved on by what
 * arrived since. Together they read each movement once, however the list grows at its head.
 */

/** The last movement read: movements newer than it, or of its time and already seen, are skipped. */
export interface LedgerCursor {
  createdAt: string;
  /** The identities of the movements read whose time is `createdAt` (ties are common per second). */
  seenAt: string[];
}

/** Where a reading stands: the next page to ask, and the ledger's size when the last page came. */
export interface LedgerPosition {
  page: number;
  /** Unknown before the first page, or when Datamart does not say: then only the cursor skips. */
  totalItems?: number;
  cursor?: LedgerCursor;
}

/** A movement's identity: the ledger has no id, so what it says of itself. */
export const movementIdentity = (m: Movement): string =>
  [m.type, m.reference ?? "", m.purchaseId ?? "", m.amountPesewas, m.status ?? ""].join("|");

/**
 * The page that holds the next unread movement now that the ledger has `totalItems`: every movement
 * added since pushed the unread ones down. (A ledger never loses movements; if it did, going back
 * by as many reads some twice, which the cursor skips, rather than skipping any.)
 */
export function pageNow(
  position: LedgerPosition,
  totalItems: number | undefined,
  pageSize: number,
): number {
  if (position.totalItems === undefined || totalItems === undefined) return position.page;
  const grown = totalItems - position.totalItems;
  const moved = grown >= 0 ? Math.floor(grown / pageSize) : -Math.ceil(-grown / pageSize);
  return Math.max(1, position.page + moved);
}

/**
 * The movements of a page not read before, in the page's order (newest first). Two movements alike in
 * every field (a double charge in one second) are two: each seen one skips one.
 */
export function unread(movements: Movement[], cursor: LedgerCursor | undefined): Movement[] {
  if (!cursor) return movements;
  const seen = new Map<string, number>();
  for (const id of cursor.seenAt) seen.set(id, (seen.get(id) ?? 0) + 1);
  return movements.filter((m) => {
    if (m.createdAt !== cursor.createdAt) return m.createdAt < cursor.createdAt;
    const left = seen.get(movementIdentity(m)) ?? 0;
    seen.set(movementIdentity(m), left - 1);
    return left <= 0;
  });
}

/** The cursor after reading `movements` (unread, newest first), which followed `cursor`. */
export function advance(
  cursor: LedgerCursor | undefined,
  movements: Movement[],
): LedgerCursor | undefined {
  const last = movements.at(-1);
  if (!last) return cursor;
  const sameTime = movements.filter((m) => m.createdAt === last.createdAt).map(movementIdentity);
  const earlier = cursor?.createdAt === last.createdAt ? cursor.seenAt : [];
  return { createdAt: last.createdAt, seenAt: [...earlier, ...sameTime] };
}

/**
 * The window a new report covers: from where the last complete one ended, less an overlap for
 * movements Datamart lists late, to now; the first report reaches `firstWindowMs` back.
 */
export function reportWindow(
  coveredUntil: string | undefined,
  nowMs: number,
  firstWindowMs: number,
  overlapMs: number,
): { windowStart: string; windowEnd: string } {
  const startMs = coveredUntil ? Date.parse(coveredUntil) - overlapMs : nowMs - firstWindowMs;
  return {
    windowStart: new Date(Math.min(startMs, nowMs)).toISOString(),
    windowEnd: new Date(nowMs).toISOString(),
  };
}

/**
 * Whether a run with no report in progress starts one: an admin's always does; a scheduled one only
 * when no report has ended today (UTC, which is Ghana's time), so the nightly runs make one a day.
 */
export function startsReport(
  trigger: "schedule" | "admin",
  coveredUntil: string | undefined,
  nowMs: number,
): boolean {
  const today = new Date(nowMs).toISOString().slice(0, 10);
  return trigger === "admin" || !coveredUntil || coveredUntil.slice(0, 10) !== today;
}
