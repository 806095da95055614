import pLimit from "p-limit";
import type { DatamartClient, DatamartOrderStatus } from "../providers/datamart";
import { ProviderError } from "../providers/providerError";
import type { Clock } from "../platform/clock";
import { RateLimiter } from "../platform/rateLimiter";

/**
 * How a sync run asks Datamart: at most `concurrency` requests in flight, at most `ratePerMinute`
 * request starts a minute; a 429 pauses every request as told; after `maxConsecutiveFailures`
 * transient failures in a row Datamart counts as down and no new request starts.
 */
export class DatamartGate {
  private readonly limiter: RateLimiter;
  private readonly slots: ReturnType<typeof pLimit>;
  private consecutiveFailures = 0;
  /** Set once Datamart counts as down. */
  down = false;
  /** Set once a request could only start after the run's deadline (a long Retry-After). */
  outOfTime = false;
  /** Orders asked about, and HTTP requests made for them (an order may take several references). */
  asked = 0;
  requests = 0;

  constructor(
    private readonly datamart: Pick<DatamartClient, "getOrderStatusByAnyReference">,
    private readonly options: {
      concurrency: number;
      ratePerMinute: number;
      maxConsecutiveFailures: number;
      /** No request starts after this time (ms since the epoch): the run's time budget. */
      deadline: number;
    },
    clock: Clock,
  ) {
    this.limiter = new RateLimiter(options.ratePerMinute, clock);
    this.slots = pLimit(options.concurrency);
  }

  /**
   * Datamart's answer for the order, or undefined when Datamart went down or the run's time was up
   * before its turn (the order stays due for the next run).
   */
  ask(references: string[]): Promise<DatamartOrderStatus | undefined> {
    return this.slots(() => {
      // Datamart is down: orders already pulled wait for the next run instead.
      if (this.down || this.outOfTime) return undefined;
      const throttle = async () => {
        if (!(await this.limiter.acquire(this.options.deadline))) {
          this.outOfTime = true;
          throw new OutOfTime();
        }
        this.requests += 1;
      };
      return this.datamart.getOrderStatusByAnyReference(references, throttle).then(
        (reply) => {
          this.asked += 1;
          this.consecutiveFailures = 0;
          return reply;
        },
        (error: unknown) => {
          // Out of time before any request went out: the order was not asked about.
          if (error instanceof OutOfTime) return undefined;
          this.asked += 1;
          // Judged before the request slot is released, so the next request sees the pause.
          this.noteFailure(error);
          throw error;
        },
      );
    });
  }

  private noteFailure(error: unknown): void {
    if (!(error instanceof ProviderError)) return;
    if (!error.transient) {
      this.consecutiveFailures = 0;
      return;
    }
    this.consecutiveFailures += 1;
    if (error.kind === "rate-limited") this.limiter.pause(error.retryAfterMs ?? 60_000);
    if (this.consecutiveFailures >= this.options.maxConsecutiveFailures) this.down = true;
  }
}

/** A request that could not start before the run's deadline: the order waits for the next run. */
class OutOfTime extends Error {
  override name = "OutOfTime";
}
