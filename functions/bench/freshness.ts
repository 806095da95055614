import { agingDue, nextPassAt } from "../src/domain/pollSchedule";
import { CLOUD_PRICES } from "../dev/cloudPrices";
import { seededRandom } from "../dev/seededRandom";
import { fmt } from "./format";

/**
 * Poll-path freshness with webhooks off, on a simulated clock: the time from Datamart's final status
 * to the sync run that applies it (the SMS follows from the status trigger within about a second),
 * on the production schedule, for orders Datamart finishes within minutes and, as its delivery
 * tracker warns of slow portals ("Estimated delivery: 1-2 hours"), some within hours.
 *
 * - "backoff (before #14)": a run every 5 minutes checks the orders whose next check is due; an
 *   unchanged order's next check is 1, 2, 5, 10, 15, 30, then 60 minutes after the last.
 * - "passes + hourly sweep (before #25)": a run every 5 minutes makes a pass over young orders every
 *   90 s while its 240 s budget lasts (nextPassAt); older orders are visited by the hourly sweep.
 * - "passes + aging (now)": the same, and the first pass of each run also checks the orders past
 *   their young hour that agingDue says are due: every run up to 6 hours, then at each 25-minute mark
 *   of their age up to a day.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
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
  /** The worst delay among orders Datamart finished within 6 hours, and within a day. */
  maxUpTo6h: number;
  maxUpTo24h: number;
  /** Datamart requests per order over its life. */
  checksPerOrder: number;
  /** The slowest simulated delivery, minutes from placement. */
  maxDeliveryMinutes: number;
}

interface SimOrder {
  placedAt: number;
  finalAt: number;
}

/** Shares of orders by how long Datamart takes to finish them, minutes from placement. */
const DELIVERY_BANDS: readonly [share: number, from: number, to: number][] = [
  [0.55, 1, 5],
  [0.27, 5, 20],
  [0.1, 20, 60],
  [0.07, 60, 360],
  [0.01, 360, 1440],
];

/**
 * Orders placed at random over `hours`; Datamart finishes each within its band's minutes: most in
 * minutes, 8 % in 1 to 24 hours (slow portals).
 */
export function simulatedOrders(count: number, hours: number, seed = 14): SimOrder[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const placedAt = RUN_EVERY_MS + random() * hours * 60 * MIN;
    let band = random();
    const [, from, to] =
      DELIVERY_BANDS.find(([share]) => (band -= share) < 0) ?? DELIVERY_BANDS.at(-1)!;
    return { placedAt, finalAt: placedAt + (from + random() * (to - from)) * MIN };
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

function result(design: string, orders: SimOrder[], appliedAt: number[], checks: number) {
  const delays = orders.map((o, i) => (appliedAt[i] - o.finalAt) / 1000);
  const sorted = [...delays].sort((a, b) => a - b);
  const worstUpTo = (hours: number) =>
    Math.max(0, ...delays.filter((_, i) => orders[i].finalAt - orders[i].placedAt <= hours * HOUR));
  return {
    design,
    delaysSeconds: sorted,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    max: sorted.at(-1) ?? 0,
    maxUpTo6h: worstUpTo(6),
    maxUpTo24h: worstUpTo(24),
    checksPerOrder: checks / orders.length,
    maxDeliveryMinutes: Math.max(...orders.map((o) => (o.finalAt - o.placedAt) / MIN)),
  } satisfies FreshnessResult;
}

/** The engine before #14: per-order backoff, checked only when a run finds it due. */
export function backoffDesign(orders: SimOrder[]): FreshnessResult {
  const applied: number[] = [];
  let checks = 0;
  for (const order of orders) {
    let run = Math.ceil(order.placedAt / RUN_EVERY_MS) * RUN_EVERY_MS;
    for (let attempt = 1; ; attempt++) {
      checks += 1;
      if (run >= order.finalAt) {
        applied.push(run);
        break;
      }
      const step = OLD_BACKOFF_MINUTES[Math.min(attempt, OLD_BACKOFF_MINUTES.length) - 1] * MIN;
      run = Math.ceil((run + step) / RUN_EVERY_MS) * RUN_EVERY_MS;
    }
  }
  return result("backoff (before #14)", orders, applied, checks);
}

/**
 * Passes over young orders within each run and the hourly sweep for the rest; with `aging`, the first
 * pass of each run also checks the older orders agingDue names.
 */
export function passesDesign(orders: SimOrder[], hours: number, aging: boolean): FreshnessResult {
  const end = (hours + 25) * HOUR;
  const passes: number[] = [];
  for (let run = 0; run < end; run += RUN_EVERY_MS) {
    for (let at: number | undefined = run; at !== undefined;) {
      passes.push(at);
      at = nextPassAt(at, at, PASS_INTERVAL_MS, run + BUDGET_MS);
    }
  }
  // The sweep laps the open orders once an hour; an order's place in the lap is its id's, at random.
  const random = seededRandom(7);
  const applied: number[] = [];
  let checks = 0;
  for (const order of orders) {
    const place = random();
    let appliedAt = end;
    for (const pass of passes) {
      if (pass < order.placedAt) continue;
      const firstOfRun = pass % RUN_EVERY_MS === 0;
      const young = pass - order.placedAt < FRESH_FOR_MS;
      const aged =
        aging &&
        firstOfRun &&
        agingDue(
          new Date(order.placedAt),
          new Date(pass),
          new Date(pass - RUN_EVERY_MS),
          FRESH_FOR_MS,
        );
      // The sweep reaches it `place` of the way through each hourly lap, on the run at or after then.
      const lap = Math.floor(pass / SWEEP_PERIOD_MS) * SWEEP_PERIOD_MS;
      const swept =
        firstOfRun &&
        [lap, lap - SWEEP_PERIOD_MS].some((start) => {
          const due = start + place * SWEEP_PERIOD_MS;
          return due <= pass && due > pass - RUN_EVERY_MS;
        });
      if (!young && !aged && !swept) continue;
      checks += 1;
      if (pass >= order.finalAt) {
        appliedAt = pass;
        break;
      }
    }
    applied.push(appliedAt);
  }
  return result(
    aging ? "passes + aging (now)" : "passes + hourly sweep (before #25)",
    orders,
    applied,
    checks,
  );
}

/** Datamart's general limit, requests a minute, of which the poll path may use this much. */
const DATAMART_PER_MINUTE = 200;

/** A task that asks Datamart about one order and applies the answer: ~0.2 s of Datamart, reads, a write. */
const TASK_SECONDS = 0.4;

export interface PollPathCost {
  /** Orders a day the poll path alone carries within Datamart's ~200 requests a minute. */
  capacityOrdersPerDay: number;
  /** At the given orders a day: seconds the scheduled sync stays alive, and what that costs. */
  aliveSecondsPerDay: number;
  aliveUsdPerDay: number;
  /** The same checks as one Cloud Tasks task each (onTaskDispatched), woken per order. */
  taskInvocationsPerDay: number;
  taskUsdPerDay: number;
}

/**
 * What a design's checks cost at `ordersPerDay`: the scheduled run stays alive its whole budget
 * (240 s of every 300 s) while young orders exist, which at these volumes is all day; a task-queue
 * design pays per check instead (an invocation and TASK_SECONDS of instance), for the same checks at
 * the same times, so the same freshness.
 */
export function pollPathCost(result: FreshnessResult, ordersPerDay: number): PollPathCost {
  const aliveSecondsPerDay = (BUDGET_MS / RUN_EVERY_MS) * 86_400;
  const tasks = ordersPerDay * result.checksPerOrder;
  return {
    capacityOrdersPerDay: Math.floor((DATAMART_PER_MINUTE * 1440) / result.checksPerOrder),
    aliveSecondsPerDay,
    aliveUsdPerDay: aliveSecondsPerDay * CLOUD_PRICES.instanceSecond,
    taskInvocationsPerDay: Math.round(tasks),
    taskUsdPerDay:
      tasks *
      (CLOUD_PRICES.invocationPerMillion / 1e6 + TASK_SECONDS * CLOUD_PRICES.instanceSecond),
  };
}

/** The designs on the same simulated orders, as the bench reports them. */
export function freshnessDesigns(orders: SimOrder[], hours: number): FreshnessResult[] {
  return [
    backoffDesign(orders),
    passesDesign(orders, hours, false),
    passesDesign(orders, hours, true),
  ];
}

/** The freshness table and, for the current design, what the poll path costs and carries. */
export function freshnessReport(results: FreshnessResult[], orders: number): string {
  const now = results[results.length - 1];
  const costs = [1_000, 5_000, 20_000].map((perDay) => ({ perDay, ...pollPathCost(now, perDay) }));
  return `
Poll-path freshness with webhooks off, production schedule (simulated clock, bench/freshness.ts),
${fmt(orders)} orders, the slowest delivered after ${fmt(now.maxDeliveryMinutes)} minutes: seconds from
Datamart's final status to the check that applies it
| design | p50 s | p95 s | max s, delivered within 6 h | max s, within 24 h | Datamart checks per order |
|---|---|---|---|---|---|
${results.map((r) => `| ${r.design} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.maxUpTo6h)} | ${fmt(r.maxUpTo24h)} | ${fmt(r.checksPerOrder, 1)} |`).join("\n")}

The poll path alone at ${DATAMART_PER_MINUTE} Datamart requests a minute carries ${fmt(costs[0].capacityOrdersPerDay)} orders a day (${now.design}).
| orders a day | sync alive s/day | alive USD/day | as tasks: invocations/day | tasks USD/day |
|---|---|---|---|---|
${costs.map((c) => `| ${fmt(c.perDay)} | ${fmt(c.aliveSecondsPerDay)} | ${fmt(c.aliveUsdPerDay, 2)} | ${fmt(c.taskInvocationsPerDay)} | ${fmt(c.taskUsdPerDay, 2)} |`).join("\n")}`;
}
