import { Timestamp } from "firebase-admin/firestore";
import { toDate } from "../domain/order";
import { lapSteps } from "../domain/pollSchedule";
import { countOf, paged } from "../orders/orderQueries";
import { cursorOf, type Cursor, type Item, type Round } from "./dueOrders";

/** Where the rounds stand between runs: the run's only bookkeeping, one document. */
export interface RoundState {
  cursor: Cursor | null;
  lapStartedAt: Timestamp;
}

/**
 * This run's slice of a round (see lapSteps), from where the last run stopped, handed to `drain`.
 * Orders in `skip`, checked already in this run, are stepped over. The cursor moves past the orders
 * dealt with, in order, and no further; past the last one, the next run begins a new lap.
 */
export async function goRound(
  round: Round,
  saved: RoundState | undefined,
  drain: (orders: AsyncGenerator<Item>) => Promise<void>,
  lap: {
    runNow: Date;
    periodMs: number;
    skip: ReadonlySet<string>;
    pageSize: number;
    onVisit?: () => void;
  },
): Promise<RoundState> {
  const { runNow, periodMs, skip, pageSize } = lap;
  const cursor = saved?.cursor ?? undefined;
  const ahead = cursor ? round.query.startAfter(...cursor) : round.query;
  const [done, remaining] = await Promise.all([
    cursor ? countOf(round.query.endAt(...cursor)) : 0,
    countOf(ahead),
  ]);
  const steps = lapSteps(done, remaining, toDate(saved?.lapStartedAt), runNow, periodMs);
  const visited: { cursor: Cursor; settled: boolean }[] = [];
  async function* orders(): AsyncGenerator<Item> {
    if (steps === 0) return;
    for await (const snapshot of paged(ahead, pageSize, steps)) {
      const step = { cursor: cursorOf(round, snapshot), settled: skip.has(snapshot.id) };
      visited.push(step);
      if (!step.settled) {
        lap.onVisit?.();
        yield { snapshot, settle: (settled) => void (step.settled = settled) };
      }
      if (visited.length >= steps) return;
    }
  }
  await drain(orders());
  const firstLeft = visited.findIndex((step) => !step.settled);
  if (firstLeft === -1 && visited.length >= remaining)
    return { cursor: null, lapStartedAt: Timestamp.fromDate(runNow) };
  const dealtWith = firstLeft === -1 ? visited : visited.slice(0, firstLeft);
  return {
    cursor: dealtWith.at(-1)?.cursor ?? cursor ?? null,
    // A first lap, begun with no state, goes on at full pace until it is done.
    lapStartedAt: saved?.lapStartedAt ?? Timestamp.fromMillis(runNow.getTime() - periodMs),
  };
}
