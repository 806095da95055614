import { systemClock, type Clock } from "./clock";

/**
 * Spaces request starts at least `60s / perMinute` apart, so no 60-second window ever holds more
 * than `perMinute` starts. `pause` honours a provider's Retry-After and halves the rate.
 */
export class RateLimiter {
  private intervalMs: number;
  private nextSlot = 0;
  private pausedUntil = 0;

  constructor(
    perMinute: number,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(perMinute > 0)) throw new Error(`The rate limit must be positive, got ${perMinute}`);
    this.intervalMs = 60_000 / perMinute;
  }

  /**
   * Waits for the next start. With a `deadline` (clock time), a start that could only come after
   * it is refused at once (false) instead of waited for: a long Retry-After never holds a run past
   * its time budget.
   */
  async acquire(deadline = Number.POSITIVE_INFINITY): Promise<boolean> {
    for (;;) {
      const now = this.clock.now();
      const at = Math.max(now, this.nextSlot, this.pausedUntil);
      if (at > deadline) return false;
      if (at <= now) {
        this.nextSlot = now + this.intervalMs;
        return true;
      }
      await this.clock.sleep(at - now);
    }
  }

  /** The provider said "too many": wait as told, then go on at half the rate. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
    this.intervalMs = Math.min(this.intervalMs * 2, 60_000);
  }
}
