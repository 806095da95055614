import { setTimeout as wait } from "node:timers/promises";

/**
 * The one notion of time: what every job reads as now, measures its time budget by and waits on.
 * Production runs on the system's; tests and benches give a shifted, faster or virtual one.
 */
export interface Clock {
  /** Now, in milliseconds since the epoch. */
  now(): number;
  /** Resolves once `ms` of this clock's time has passed, or at once when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => wait(ms, undefined, { signal }).catch(() => undefined),
};

/** The clock of a use case's deps: the system's unless a test or bench gives one. */
export const clockOf = (deps: { clock?: Clock }): Clock => deps.clock ?? systemClock;

/** The clock's now as a Date. */
export const dateNow = (clock: Clock): Date => new Date(clock.now());
