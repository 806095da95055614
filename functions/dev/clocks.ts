import { systemClock, type Clock } from "../src/platform/clock";

/*
 * Clocks for tests, benches and the fault runs (src/platform/clock.ts is the one the product reads).
 */

/** The system's clock shifted to read `startMs` now, running `speed` times as fast (sleeps too). */
export function clockAt(startMs: number, speed = 1): Clock {
  const realStart = Date.now();
  return {
    now: () => startMs + (Date.now() - realStart) * speed,
    sleep: (ms, signal) => systemClock.sleep(ms / speed, signal),
  };
}

/**
 * A clock that reads what the test says (a time, or `read()` for one the test moves by hand) plus
 * the time it has slept: it stands still while the work runs, so a test can say exactly when things
 * happened.
 */
export function heldClock(at: number | (() => number)): Clock {
  const read = typeof at === "number" ? () => at : at;
  let slept = 0;
  return {
    now: () => read() + slept,
    sleep: async (ms, signal) => {
      await systemClock.sleep(ms, signal);
      if (!signal?.aborted) slept += ms;
    },
  };
}

/**
 * Time that moves only when every waiter sleeps: `run` lets the work go on until it waits, then jumps
 * to the earliest wake-up. No wall-clock time passes and no timing is flaky. For work without I/O:
 * time would jump while a request is in flight.
 */
export class VirtualClock implements Clock {
  private time = 0;
  private sleepers: { at: number; wake: () => void }[] = [];

  now = (): number => this.time;

  sleep = (ms: number): Promise<void> =>
    new Promise((wake) => this.sleepers.push({ at: this.time + ms, wake }));

  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const watched = work.finally(() => {
      settled = true;
    });
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) return watched;
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers.shift();
      if (!next) throw new Error("Deadlock: the work waits, but nobody sleeps");
      this.time = Math.max(this.time, next.at);
      next.wake();
    }
  }
}
