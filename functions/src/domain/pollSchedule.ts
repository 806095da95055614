/**
 * When to ask Datamart again about an order whose status did not change: later and later, then at
 * the slowest step for good. Orders past the attention age go straight to the slowest step.
 */
export interface PollPolicy {
  /** Minutes between checks; the last step repeats. */
  backoffMinutes: readonly number[];
  /** An order still open this long after it was placed needs a human. */
  attentionAfterMs: number;
}

/**
 * `fresh` orders are synced before `slow` ones, so old stuck orders cannot starve new ones; `watch`
 * holds failed orders, asked about hourly in case Datamart delivers them after all.
 */
export type PollLane = "fresh" | "slow" | "watch";

/** How often a failed order under watch is asked about. */
export const WATCH_INTERVAL_MS = 60 * 60_000;

/**
 * The watch of a failed order: asked hourly until `watchMs` after it failed. Undefined when there
 * is no watch (watchMs 0), or when the next check would fall after the watch ends.
 */
export function planWatch(
  failedAt: Date,
  watchMs: number,
  now: Date,
): { lane: "watch"; nextCheckAt: Date; watchUntil: Date } | undefined {
  const watchUntil = new Date(failedAt.getTime() + watchMs);
  const nextCheckAt = new Date(now.getTime() + WATCH_INTERVAL_MS);
  if (nextCheckAt > watchUntil) return undefined;
  return { lane: "watch", nextCheckAt, watchUntil };
}

export interface PollPlan {
  nextCheckAt: Date;
  lane: PollLane;
  needsAttention: boolean;
}

/** Parses the `SYNC_BACKOFF_MINUTES` setting, e.g. `1,2,5,10,15,30,60`. */
export function parseBackoffMinutes(text: string): number[] {
  const steps = text.split(",").map((s) => Number(s.trim()));
  if (steps.length === 0 || steps.some((s) => !Number.isFinite(s) || s <= 0)) {
    throw new Error(
      `SYNC_BACKOFF_MINUTES must be positive minutes separated by commas, got "${text}"`,
    );
  }
  return steps;
}

/** @param attempts checks of this order so far that found it unchanged, including this one. */
export function planNextCheck(
  policy: PollPolicy,
  attempts: number,
  placedAt: Date | undefined,
  now: Date,
): PollPlan {
  const steps = policy.backoffMinutes;
  const last = steps.length - 1;
  const needsAttention =
    placedAt !== undefined && now.getTime() - placedAt.getTime() >= policy.attentionAfterMs;
  const index = needsAttention ? last : Math.min(Math.max(attempts, 1) - 1, last);
  return {
    nextCheckAt: new Date(now.getTime() + steps[index] * 60_000),
    lane: index === last ? "slow" : "fresh",
    needsAttention,
  };
}
