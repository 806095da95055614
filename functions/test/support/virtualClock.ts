import type { Clock } from "../../src/platform/rateLimiter";

/**
 * Time that moves only when every waiter sleeps: `run` lets the work go on until it waits, then jumps
 * to the earliest wake-up. No wall-clock time passes and no timing is flaky.
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
