import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { AppError } from "../errors";
import { COLLECTIONS } from "../firestore";

const WINDOW_MS = 60_000;

/**
 * Counts a user's status refreshes in fixed one-minute windows (`rateLimits/refresh_{uid}`,
 * server-only), so the refresh path cannot be used to hammer Datamart. Throws `resource-exhausted`.
 */
export async function takeRefreshToken(
  db: Firestore,
  uid: string,
  perMinute: number,
  now: Date,
): Promise<void> {
  const ref = db.collection(COLLECTIONS.rateLimits).doc(`refresh_${uid}`);
  const retryAfterSeconds = await db.runTransaction(async (tx) => {
    const current = await tx.get(ref);
    const windowStart = (current.get("windowStart") as Timestamp | undefined)?.toMillis() ?? 0;
    const inWindow = now.getTime() - windowStart < WINDOW_MS;
    const count = inWindow ? Number(current.get("count") ?? 0) : 0;
    if (count >= perMinute) return Math.ceil((windowStart + WINDOW_MS - now.getTime()) / 1000);
    tx.set(ref, {
      windowStart: inWindow ? Timestamp.fromMillis(windowStart) : Timestamp.fromDate(now),
      count: count + 1,
    });
    return 0;
  });
  if (retryAfterSeconds > 0) {
    throw new AppError(
      "resource-exhausted",
      "Too many status refreshes; try again shortly",
      retryAfterSeconds,
    );
  }
}
