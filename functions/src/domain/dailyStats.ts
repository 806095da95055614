import { networkName } from "./networks";
import { FINAL_STATUSES, type FinalStatus } from "./orderStatus";

/*
 * The business's figures, kept as they happen: one document per day and network
 * (`dailyStats/{day}_{network}`), counted once per status change and once per money movement, so
 * the overview and supplier health read a handful of documents instead of scanning orders. Pure:
 * what to add for one event, and what a set of days says. Days are Ghana's (GMT, all year).
 */

export type StatusCounts = Partial<Record<FinalStatus, number>>;

/** `dailyStats/{day}_{network}`. */
export interface DailyStats {
  /** YYYY-MM-DD, Ghana time. */
  day: string;
  /** MTN, Telecel, AirtelTigo, or what the order said. */
  network: string;
  /** Orders that became final that day, by the status they reached. */
  finals?: StatusCounts;
  /** The same by hour of the day ("00" to "23"). */
  byHour?: Record<string, StatusCounts>;
  /** Minutes from placement to delivery of the day's deliveries, by bucket (DELIVERY_BUCKETS). */
  deliveryMinutes?: Record<string, number>;
  /** Credits to customers' wallets for failed orders, and their reversals on a later delivery. */
  refunds?: number;
  refundedPesewas?: number;
  reversals?: number;
  reversedPesewas?: number;
}

/** A balance reading of Datamart's wallet: `supplierBalances/{day}.samples`. */
export interface BalanceSample {
  atMs: number;
  balance: number;
}

/** Upper bounds (minutes) of the delivery-time buckets; beyond the last is "over". */
export const DELIVERY_BUCKETS = [
  1, 2, 3, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 360, 720, 1440,
];
const OVER = "over";
/** What a percentile beyond the last bucket reads as: more than a day. */
export const OVER_A_DAY_MINUTES = 1441;

export const statsDay = (at: Date): string => at.toISOString().slice(0, 10);
/** The network an order names (MTN for YELLO), as a document id can hold it. */
export const networkKey = (network: unknown): string =>
  (typeof network === "string" ? networkName(network) : "").replace(/[^\w-]/g, "-") || "unknown";

export const statsDocId = (day: string, network: string): string => `${day}_${network}`;

/** The days (newest last) of the `days` days up to and including `at`'s. */
export function lastDays(at: Date, days: number): string[] {
  return Array.from({ length: days }, (_, i) =>
    statsDay(new Date(at.getTime() - (days - 1 - i) * 86_400_000)),
  );
}

export const bucketOf = (minutes: number): string =>
  String(DELIVERY_BUCKETS.find((bound) => minutes <= bound) ?? OVER);

/**
 * What one status change adds to its day's document: nested maps of +1 (the caller turns the numbers
 * into increments). A delivery also adds its time since placement, when that is known.
 */
export function statusChangeCounts(
  to: FinalStatus,
  at: Date,
  placedAt: Date | undefined,
): Record<string, unknown> {
  const hour = at.toISOString().slice(11, 13);
  const minutes =
    to === "delivered" && placedAt && at >= placedAt
      ? (at.getTime() - placedAt.getTime()) / 60_000
      : undefined;
  return {
    finals: { [to]: 1 },
    byHour: { [hour]: { [to]: 1 } },
    ...(minutes !== undefined ? { deliveryMinutes: { [bucketOf(minutes)]: 1 } } : {}),
  };
}

/** The figures of several days' documents (of one network or all). */
export interface StatsSummary {
  finals: Required<StatusCounts>;
  /** Delivered over all that became final; null with none. */
  deliveredShare: number | null;
  p50Minutes: number | null;
  p95Minutes: number | null;
  /** Deliveries with a known time. */
  timed: number;
  refundedGhs: number;
  reversedGhs: number;
}

/** How many orders a summary says finished, whatever their final status. */
export const finishedCount = (s: StatsSummary): number =>
  FINAL_STATUSES.reduce((sum, status) => sum + s.finals[status], 0);

export function summarize(days: readonly DailyStats[]): StatsSummary {
  const finals = Object.fromEntries(FINAL_STATUSES.map((s) => [s, 0])) as Required<StatusCounts>;
  const histogram: Record<string, number> = {};
  let refunded = 0;
  let reversed = 0;
  for (const day of days) {
    for (const status of FINAL_STATUSES) finals[status] += day.finals?.[status] ?? 0;
    for (const [bucket, n] of Object.entries(day.deliveryMinutes ?? {}))
      histogram[bucket] = (histogram[bucket] ?? 0) + n;
    refunded += day.refundedPesewas ?? 0;
    reversed += day.reversedPesewas ?? 0;
  }
  const total = FINAL_STATUSES.reduce((sum, s) => sum + finals[s], 0);
  const timed = Object.values(histogram).reduce((sum, n) => sum + n, 0);
  return {
    finals,
    deliveredShare: total ? finals.delivered / total : null,
    p50Minutes: histogramPercentile(histogram, 0.5),
    p95Minutes: histogramPercentile(histogram, 0.95),
    timed,
    refundedGhs: refunded / 100,
    reversedGhs: reversed / 100,
  };
}

/**
 * The bucket bound (minutes) under which a share `p` of the histogram's deliveries fell: an upper
 * estimate, as precise as the buckets. Null with no deliveries; beyond the last bucket,
 * OVER_A_DAY_MINUTES.
 */
export function histogramPercentile(histogram: Record<string, number>, p: number): number | null {
  const total = Object.values(histogram).reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const bound of DELIVERY_BUCKETS) {
    seen += histogram[String(bound)] ?? 0;
    if (seen >= p * total) return bound;
  }
  return OVER_A_DAY_MINUTES;
}

/** Per network, the summary of the given days' documents. */
export function summarizeByNetwork(days: readonly DailyStats[]): Record<string, StatsSummary> {
  const networks = [...new Set(days.map((d) => d.network))].sort();
  return Object.fromEntries(
    networks.map((network) => [network, summarize(days.filter((d) => d.network === network))]),
  );
}

/**
 * Days the balance lasts at the spend of the samples' period: spend is what the balance went down
 * by between readings (a rise is a top-up, not negative spend). Null when nothing was spent or the
 * samples span under a day.
 */
export function daysOfCover(samples: readonly BalanceSample[], balance: number): number | null {
  const sorted = [...samples].sort((a, b) => a.atMs - b.atMs);
  if (sorted.length < 2) return null;
  const spanDays = (sorted[sorted.length - 1].atMs - sorted[0].atMs) / 86_400_000;
  if (spanDays < 1) return null;
  let spent = 0;
  for (let i = 1; i < sorted.length; i++)
    spent += Math.max(0, sorted[i - 1].balance - sorted[i].balance);
  return spent > 0 ? balance / (spent / spanDays) : null;
}
