import { nextPassAt } from "../src/domain/pollSchedule";
import { seededRandom } from "../dev/seededRandom";

/**
 * Poll-path freshness with webhooks off, on a simulated clock: the time from Datamart's final status
 * to the sync run that applies it (the SMS follows from the status trigger within about a second),
 * for orders that reach their final status in their first hour, on the production schedule.
 *
 * - "backoff (before #14)": what the engine did until this change: a run every 5 minutes checks the
 *   orders whose next check is due; an unchanged order's next check is 1, 2, 5, 10, 15, 30, then 60
 *   minutes after the last (SYNC_BACKOFF_MINUTES), newly placed orders on the next run.
 * - "passes (now)": a run every 5 minutes makes a pass over young orders every 90 s while its
 *   240 s budget lasts (nextPassAt); older orders are visited by the hourly sweep.
 */

const MIN = 60_000;
const RUN_EVERY_MS = 5 * MIN;
const BUDGET_MS = 240_000;
const PASS_INTERVAL_MS = 90_000;
const FRESH_FOR_MS = 60 * MIN;
const SWEEP_PERIOD_MS = 60 * MIN;
const OLD_BACKOFF_MINUTES = [1, 2, 5, 10, 15, 30, 60];

export interface FreshnessResult {
  design: string;
  /** Seconds from Datamart's final status to the check that applied it, one per order. */
  delaysSeconds: number[];
  p50: number;
  p95: number;
  max: number;
  /** Datamart requests per order over its life. */
  checksPerOrder: number;
}

interface SimOrder {
  placedAt: number;
  finalAt: number;
}

/**
 * Orders placed at random over `hours`; Datamart finishes 60 % of them within 1-5 minutes, 30 % within
 * 5-20 and 10 % within 20-60 (its tracker speaks of slow portals taking longer).
 */
export function simulatedOrders(count: number, hours: number, seed = 14): SimOrder[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const placedAt = RUN_EVERY_MS + random() * hours * 60 * MIN;
    const band = random();
    const [from, to] = band < 0.6 ? [1, 5] : band < 0.9 ? [5, 20] : [20, 60];
    return { placedAt, finalAt: placedAt + (from + random() * (to - from)) * MIN };
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

function result(design: string, delays: number[], checks: number, orders: number): FreshnessResult {
  const sorted = [...delays].sort((a, b) => a - b);
  return {
    design,
    delaysSeconds: sorted,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    max: sorted.at(-1) ?? 0,
    checksPerOrder: checks / orders,
  };
}

/** The engine before this change: per-order backoff, checked only when a run finds it due. */
export function backoffDesign(orders: SimOrder[]): FreshnessResult {
  const delays: number[] = [];
  let checks = 0;
  for (const order of orders) {
    let run = Math.ceil(order.placedAt / RUN_EVERY_MS) * RUN_EVERY_MS;
    for (let attempt = 1; ; attempt++) {
      checks += 1;
      if (run >= order.finalAt) {
        delays.push((run - order.finalAt) / 1000);
        break;
      }
      const step = OLD_BACKOFF_MINUTES[Math.min(attempt, OLD_BACKOFF_MINUTES.length) - 1] * MIN;
      run = Math.ceil((run + step) / RUN_EVERY_MS) * RUN_EVERY_MS;
    }
  }
  return result("backoff (before #14)", delays, checks, orders.length);
}

/** The engine now: passes over young orders within each run, the hourly sweep for the rest. */
export function passesDesign(orders: SimOrder[], hours: number): FreshnessResult {
  const end = (hours + 3) * 60 * MIN;
  const passes: number[] = [];
  for (let run = 0; run < end; run += RUN_EVERY_MS) {
    for (let at: number | undefined = run; at !== undefined;) {
      passes.push(at);
      at = nextPassAt(at, at, PASS_INTERVAL_MS, run + BUDGET_MS);
    }
  }
  // The sweep laps the open orders once an hour; an order's place in the lap is its id's, at random.
  const random = seededRandom(7);
  const delays: number[] = [];
  let checks = 0;
  for (const order of orders) {
    const place = random();
    let appliedAt: number | undefined;
    for (const pass of passes) {
      if (pass < order.placedAt) continue;
      const young = pass - order.placedAt < FRESH_FOR_MS;
      // The sweep reaches it `place` of the way through each hourly lap, on the run at or after then.
      const lap = Math.floor(pass / SWEEP_PERIOD_MS) * SWEEP_PERIOD_MS;
      const swept =
        pass % RUN_EVERY_MS === 0 &&
        [lap, lap - SWEEP_PERIOD_MS].some((start) => {
          const due = start + place * SWEEP_PERIOD_MS;
          return due <= pass && due > pass - RUN_EVERY_MS;
        });
      if (!young && !swept) continue;
      checks += 1;
      if (pass >= order.finalAt) {
        appliedAt = pass;
        break;
      }
    }
    if (appliedAt !== undefined) delays.push((appliedAt - order.finalAt) / 1000);
  }
  return result("passes (now)", delays, checks, orders.length);
}
