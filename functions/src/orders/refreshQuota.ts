import { Timestamp, type DocumentReference, type Firestore } from "firebase-admin/firestore";
import { AppError } from "../errors";
import { COLLECTIONS } from "../contract";

const WINDOW_MS = 60_000;

export interface RefreshLimits {
  /** Refreshes one user may ask for a minute (beyond: `resource-exhausted`). */
  perUser: number;
  /** Datamart requests all users' refreshes may make a minute: their share of Datamart's limit. */
  allUsers: number;
}

/** Whether a refresh asks Datamart now, or answers the stored status (and why). */
export type RefreshVerdict = "ask" | "order-asked-this-minute" | "refreshes-busy";

/**
 * Counts status refreshes in fixed one-minute windows (`rateLimits/*`, server-only), in one
 * transaction: the user's own quota (over it: `resource-exhausted` with Retry-After), then one
 * Datamart request per order a minute, then the share of Datamart's limit all refreshes together may
 * use, so that a few accounts cannot push Datamart into 429 for the sync. Only a refresh that asks
 * Datamart takes from the order's and the shared windows.
 */
export async function takeRefreshToken(
  db: Firestore,
  ids: { uid: string; orderId: string },
  limits: RefreshLimits,
  now: Date,
): Promise<RefreshVerdict> {
  const limitsRef = db.collection(COLLECTIONS.rateLimits);
  const user = limitsRef.doc(`refresh_${ids.uid}`);
  const order = limitsRef.doc(`refreshOrder_${ids.orderId}`);
  const all = limitsRef.doc("refreshAll");
  const outcome = await db.runTransaction(async (tx) => {
    const [userWindow, orderWindow, allWindow] = (await tx.getAll(user, order, all)).map((doc) =>
      windowOf(doc.get("windowStart"), doc.get("count"), now),
    );
    if (userWindow.count >= limits.perUser)
      return {
        retryAfterSeconds: Math.ceil((userWindow.start + WINDOW_MS - now.getTime()) / 1000),
      };
    const count = (ref: DocumentReference, window: Window) =>
      tx.set(ref, { windowStart: Timestamp.fromMillis(window.start), count: window.count + 1 });
    count(user, userWindow);
    if (orderWindow.count >= 1) return { verdict: "order-asked-this-minute" as const };
    if (allWindow.count >= limits.allUsers) return { verdict: "refreshes-busy" as const };
    count(order, orderWindow);
    count(all, allWindow);
    return { verdict: "ask" as const };
  });
  if ("retryAfterSeconds" in outcome)
    throw new AppError(
      "resource-exhausted",
      "Too many status refreshes; try again shortly",
      outcome.retryAfterSeconds,
    );
  return outcome.verdict;
}

interface Window {
  start: number;
  count: number;
}

/** The current one-minute window from a stored one: the same window, or a new one from now. */
function windowOf(storedStart: unknown, storedCount: unknown, now: Date): Window {
  const start = (storedStart as Timestamp | undefined)?.toMillis() ?? 0;
  return now.getTime() - start < WINDOW_MS
    ? { start, count: Number(storedCount ?? 0) }
    : { start: now.getTime(), count: 0 };
}
