import { datamartReferences, toDate, type Order } from "./order";
import { isFinalStatus, OPEN_STATUSES } from "./orderStatus";

/**
 * When Datamart is asked about an order. Nothing here is stored per order: what is due follows from
 * the order's age, its status and the run's own clock, so a check that finds nothing new writes nothing.
 *
 * - Young orders (placed less than `freshForMs` ago) are checked on every pass of a run; a scheduled
 *   run makes a pass every `freshIntervalMs` while its time budget lasts.
 * - Older orders up to a day old are checked on the first pass of each run while they are at most
 *   6 hours old (Datamart's tracker speaks of 1-2 hours on slow portals), then once their age passes
 *   each 25-minute mark after that (agingDue): the customers who waited longest are told soon.
 * - Every open order, whatever its age or `timestamp`, is visited once per `sweepPeriodMs` by a
 *   sweep that laps the open orders, a slice per run.
 * - Failed orders under watch are visited hourly the same way until their watch ends.
 * - An order that becomes checkable where neither finds it soon (no usable `timestamp`, written long
 *   after its `timestamp`, reopened after being final) is adopted when written and checked next run.
 */
export interface PollPolicy {
  freshForMs: number;
  freshIntervalMs: number;
  sweepPeriodMs: number;
  /** An order still open this long after it was placed needs a human. */
  attentionAfterMs: number;
}

/** How often a failed order under watch is asked about. */
export const WATCH_INTERVAL_MS = 60 * 60_000;

/** The app writes Datamart's ids seconds after it creates an order; only later is a missing one a problem. */
export const NO_REFERENCE_GRACE_MS = 10 * 60_000;

/** Until when an order that failed at `failedAt` is watched; undefined when watching is off. */
export function watchUntil(failedAt: Date, watchMs: number): Date | undefined {
  return watchMs > 0 ? new Date(failedAt.getTime() + watchMs) : undefined;
}

/** Epoch milliseconds from 2001 on; smaller numbers are more likely seconds than milliseconds. */
const EPOCH_MS_FLOOR = 1e12;
/** The form `Date.toISOString()` writes, which sorts as text in time order. */
const CANONICAL_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/;

/**
 * When the order was placed, read from whatever its writer stored: a Timestamp, an ISO string, epoch
 * milliseconds, or only `createdAt`.
 */
export function placedAt(order: { timestamp?: unknown; createdAt?: unknown }): Date | undefined {
  const { timestamp } = order;
  if (typeof timestamp === "number") return epochMs(timestamp);
  return toDate(timestamp) ?? toDate(order.createdAt);
}

/**
 * The placement time if Firestore can range-query it on `timestamp` (a Timestamp, epoch
 * milliseconds, or an ISO string in the canonical UTC form); undefined otherwise.
 */
export function queryablePlacedAt(timestamp: unknown): Date | undefined {
  if (typeof timestamp === "number") return epochMs(timestamp);
  if (typeof timestamp === "string")
    return CANONICAL_ISO.test(timestamp) ? toDate(timestamp) : undefined;
  return timestamp instanceof Date ? undefined : toDate(timestamp);
}

function epochMs(value: number): Date | undefined {
  return Number.isFinite(value) && value >= EPOCH_MS_FLOOR ? new Date(value) : undefined;
}

/** Open, and Datamart knows it: the sync can ask about it. */
export function isCheckable(order: Order): boolean {
  return (
    (OPEN_STATUSES as readonly string[]).includes(order.status) &&
    datamartReferences(order).length > 0
  );
}

export type AdoptionReason = "no-usable-timestamp" | "written-late" | "reopened";

/**
 * Why a write that made an order checkable needs the next run to look at it explicitly: the young
 * passes find only orders whose `timestamp` is queryable and recent. Undefined when they will find
 * it, or when the order was checkable before this write already.
 */
export function adoptionReason(
  before: Order | undefined,
  after: Order,
  writtenAt: Date,
  freshForMs: number,
): AdoptionReason | undefined {
  if (!isCheckable(after) || (before && isCheckable(before))) return undefined;
  if (before && isFinalStatus(before.status)) return "reopened";
  const placed = queryablePlacedAt(after.timestamp);
  if (!placed) return "no-usable-timestamp";
  // Young passes find it only while it is young; leave a pass interval's margin.
  return writtenAt.getTime() - placed.getTime() > freshForMs / 2 ? "written-late" : undefined;
}

/**
 * How many orders a round (the sweep of open orders, the watch of failed ones) steps through in this
 * run: a lap over the whole set takes one period, so after `elapsed` of it, `elapsed / period` of the
 * lap is done, rounded down, and all of it once the period is over. Orders that join or leave the
 * set move the target with them. A round with no lap begun yet does a whole lap at once.
 */
export function lapSteps(
  done: number,
  remaining: number,
  lapStartedAt: Date | undefined,
  now: Date,
  periodMs: number,
): number {
  const elapsed = lapStartedAt
    ? Math.min(1, (now.getTime() - lapStartedAt.getTime()) / periodMs)
    : 1;
  return Math.max(0, Math.floor((done + remaining) * elapsed + 1e-9) - done);
}

/** Why an open order needs a human, if it does. */
export function attentionReason(
  placed: Date | undefined,
  hasReference: boolean,
  now: Date,
  attentionAfterMs: number,
): string | undefined {
  const age = placed ? now.getTime() - placed.getTime() : undefined;
  if (!hasReference && (age === undefined || age >= NO_REFERENCE_GRACE_MS))
    return "open with no Datamart reference to ask about";
  if (age !== undefined && age >= attentionAfterMs)
    return `still open ${Math.round(attentionAfterMs / 3_600_000)} h after it was placed`;
  return undefined;
}

/**
 * When a scheduled run starts its next pass over young orders: an interval after the last one
 * started, or as soon as it ended if it ran longer. Undefined when that would be past the deadline.
 */
export function nextPassAt(
  lastStartedAt: number,
  lastEndedAt: number,
  intervalMs: number,
  deadline: number,
): number | undefined {
  const at = Math.max(lastStartedAt + intervalMs, lastEndedAt);
  return at < deadline ? at : undefined;
}

/** Orders older than young ones are checked on every run up to this age... */
export const AGING_EVERY_RUN_UNTIL_MS = 6 * 3_600_000;
/** ...then each time their age passes 6 hours plus a multiple of this... */
export const AGING_INTERVAL_MS = 25 * 60_000;
/** ...until a day old and one interval more, so that a final word at 24 hours is seen too. */
export const AGING_UNTIL_MS = 24 * 3_600_000 + AGING_INTERVAL_MS;
/** The schedule's period, assumed for the first run that has no previous one to go by. */
const RUN_PERIOD_MS = 5 * 60_000;

/**
 * Whether an order past its young hour, placed at `placed`, is due on the run starting `now`, when
 * the previous run's first pass was at `lastPassAt`: every run while it is at most 6 hours old; then
 * on the first run after its age passes each 25-minute mark from 6 hours on; never past a day and
 * one mark (the sweep has it).
 * With runs every 5 minutes, Datamart's final word reaches DataSell within 5 minutes up to 6 hours and
 * within 30 up to a day.
 */
export function agingDue(
  placed: Date,
  now: Date,
  lastPassAt: Date | undefined,
  freshForMs: number,
): boolean {
  const age = now.getTime() - placed.getTime();
  if (age < freshForMs || age > AGING_UNTIL_MS) return false;
  if (age <= AGING_EVERY_RUN_UNTIL_MS) return true;
  const since = lastPassAt ? now.getTime() - lastPassAt.getTime() : RUN_PERIOD_MS;
  const marks = (ms: number) => Math.floor((ms - AGING_EVERY_RUN_UNTIL_MS) / AGING_INTERVAL_MS);
  return marks(age) > marks(age - since);
}
