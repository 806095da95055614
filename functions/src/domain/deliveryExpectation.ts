import { networkKey, OVER_A_DAY_MINUTES, type StatsSummary } from "./dailyStats";

/*
 * What a customer with an open order may expect: how long its network's deliveries took over the
 * last 7 days (p50 and p95, from the daily figures supplier health summarises every 30 minutes), and
 * Datamart's delivery tracker's word when it has one for that network. Pure. Honest: too few
 * deliveries give no times, and figures older than a few hours give nothing.
 */

/** Below this many timed deliveries in 7 days, a network's percentiles say too little. */
export const MIN_TIMED_DELIVERIES = 20;
/** Supplier health runs every 30 minutes; figures older than this mean it has stopped. */
export const STALE_AFTER_MS = 2 * 3_600_000;
const TRACKER_MAX_CHARS = 200;

/** What supplier health stored (`supplierHealth/current`) that an expectation is made from. */
export interface ExpectationSource {
  checkedAt: Date;
  last7d: Record<string, StatsSummary>;
  /** Datamart's delivery tracker's message at that check; absent when it had none. */
  trackerMessage?: string | null;
}

export interface DeliveryExpectation {
  /** The network as customers know it. */
  network: string;
  /** Minutes within which half, and 95 %, of the network's last 7 days' deliveries arrived. */
  p50Minutes: number | null;
  p95Minutes: number | null;
  /** Deliveries the times are drawn from. */
  basedOnDeliveries: number;
  /** Datamart's tracker's message when it speaks of this network (or of none in particular). */
  trackerMessage: string | null;
  /** When supplier health read these figures (ISO). */
  asOf: string;
  /** One line for the customer. */
  summary: string;
}

/** The expectation for an open order on `network`, or null when the figures are missing or stale. */
export function deliveryExpectation(
  source: ExpectationSource | undefined,
  network: string | null | undefined,
  now: Date,
): DeliveryExpectation | null {
  if (!source || now.getTime() - source.checkedAt.getTime() > STALE_AFTER_MS) return null;
  const name = networkKey(network);
  const figures = source.last7d[name];
  const timed = figures?.timed ?? 0;
  const enough = timed >= MIN_TIMED_DELIVERIES;
  const trackerMessage = trackerMessageFor(source.trackerMessage, name);
  const p50Minutes = enough ? (figures?.p50Minutes ?? null) : null;
  const p95Minutes = enough ? (figures?.p95Minutes ?? null) : null;
  const times =
    p50Minutes !== null && p95Minutes !== null
      ? `Over the last 7 days half of ${name} orders arrived ${within(p50Minutes)} and 95% ${within(p95Minutes)}.`
      : `Too few recent ${name} deliveries to estimate a time.`;
  return {
    network: name,
    p50Minutes,
    p95Minutes,
    basedOnDeliveries: timed,
    trackerMessage,
    asOf: source.checkedAt.toISOString(),
    summary: [times, trackerMessage].filter(Boolean).join(" "),
  };
}

/**
 * The few words an SMS has room for: the tracker's estimate when it gives one (it speaks of now),
 * else the 7 days' times; undefined when there is nothing honest to say.
 */
export function expectationWords(expectation: DeliveryExpectation | null): string | undefined {
  if (!expectation) return undefined;
  const estimate = trackerEstimate(expectation.trackerMessage);
  if (estimate) return `Current estimate: ${estimate}.`;
  const { p50Minutes: p50, p95Minutes: p95 } = expectation;
  if (p50 === null || p95 === null) return undefined;
  return p50 === p95
    ? `Nearly all arrive ${within(p95)}.`
    : `Half arrive ${within(p50)}, 95% ${within(p95)}.`;
}

/** "1-2 hours" from "… Estimated delivery: 1-2 hours", kept short enough for an SMS. */
export function trackerEstimate(message: string | null): string | undefined {
  const estimate = /estimated delivery:?\s*([^.;\n]{1,30})/i.exec(message ?? "")?.[1]?.trim();
  return estimate || undefined;
}

/** "within 10 min", "within 2 hours", "in over a day": bucket bounds read as an upper estimate. */
function within(minutes: number): string {
  if (minutes >= OVER_A_DAY_MINUTES) return "in over a day";
  if (minutes < 60 || minutes % 60 !== 0) return `within ${minutes} min`;
  const hours = minutes / 60;
  return `within ${hours} hour${hours === 1 ? "" : "s"}`;
}

/** Names of the portals Datamart's tracker may speak of, by the network customers know. */
const PORTALS: ReadonlyArray<[string, RegExp]> = [
  ["MTN", /\b(yello|mtn)\b/i],
  ["Telecel", /\b(telecel|vodafone)\b/i],
  // "AT" in capitals only: "at" is an English word.
  ["AirtelTigo", /\bAT\b|\bAT_PREMIUM\b|\b[Aa]irtel ?[Tt]igo\b|\b[Ii][Ss]hare\b/],
];

/**
 * The tracker's message, tidied, when it concerns this network: one that names other portals only
 * is not this customer's news.
 */
function trackerMessageFor(message: string | null | undefined, network: string): string | null {
  const text = message?.replace(/\s+/g, " ").trim().slice(0, TRACKER_MAX_CHARS);
  if (!text) return null;
  const named = PORTALS.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
  return named.length === 0 || named.includes(network) ? text : null;
}
