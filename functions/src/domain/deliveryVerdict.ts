/*
 * What a failed send means for a customer message. Pure: the channel adapters describe a failure,
 * this decides. A message is sent again only when it provably never reached the provider, or the
 * provider said it did not take it; anything after which it may have gone out is an unknown outcome,
 * resent only by an admin: a customer must never get the same message twice because of our retry.
 */

/** A failed send as the adapter saw it (ProviderError's fields). */
export interface SendFailure {
  kind: string;
  /** The provider's HTTP status, when it answered. */
  status?: number;
  /** A socket error code (ECONNREFUSED, ...) or the provider's own code. */
  code?: string;
  /** The provider refused for good (credit, key, sender, number): only an operator can fix it. */
  permanent?: boolean;
  /** There was nobody to send to (no registered device, no address): nothing went out. */
  noRecipient?: boolean;
  /** The send is idempotent (a create-once queue document), so trying again can never send twice. */
  retrySafe?: boolean;
}

export type Verdict = "retry" | "failed" | "unknown" | "skipped";

/** Socket errors raised before a request is written: the provider never saw it. */
const NEVER_SENT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
]);

/** HTTP answers that say the provider did not take the message: busy (429) or unavailable (503). */
const NOT_TAKEN_STATUSES: ReadonlySet<number> = new Set([429, 503]);

export function deliveryVerdict(failure: SendFailure | undefined): Verdict {
  if (!failure) return "unknown";
  if (failure.noRecipient) return "skipped";
  if (failure.permanent) return "failed";
  if (failure.retrySafe) return "retry";
  if (failure.kind === "network" && failure.code && NEVER_SENT_CODES.has(failure.code))
    return "retry";
  if (failure.status !== undefined && NOT_TAKEN_STATUSES.has(failure.status)) return "retry";
  // A 4xx other than 429 is a refusal: the provider did not take the message.
  if (failure.status !== undefined && failure.status >= 400 && failure.status < 500)
    return "failed";
  // Timeouts, resets, 500/502/504, and a 2xx we could not read: it may have gone out.
  return "unknown";
}

/** Minutes before the next try after `attempts` refused or unsent tries: 1, 2, 4, 8, 15, then 30. */
export function retryDelayMs(attempts: number): number {
  const minutes = [1, 2, 4, 8, 15, 30];
  return minutes[Math.min(Math.max(attempts, 1), minutes.length) - 1] * 60_000;
}

/** Where a failed send leaves its message: due again at a time, or final with the reason. */
export type FailureOutcome =
  | { state: "PENDING"; nextAttemptAtMs: number }
  | { state: "UNKNOWN" | "SKIPPED" | "FAILED"; reason: string };

/**
 * The transition of a message whose send just failed: retried (PENDING, after `retryDelayMs`) while
 * the verdict allows it and the next try falls within the retry window, counted from the message's
 * creation; else UNKNOWN (it may have gone out), SKIPPED (nobody to send to) or FAILED (refused,
 * or retries given up), each with its reason.
 */
export function failureOutcome(facts: {
  verdict: Verdict;
  /** Tries made so far, this one included. */
  attempts: number;
  createdAtMs: number;
  nowMs: number;
  retryWindowMs: number;
  errorMessage: string;
}): FailureOutcome {
  const { verdict, attempts, createdAtMs, nowMs, errorMessage } = facts;
  const nextAttemptAtMs = nowMs + retryDelayMs(attempts);
  switch (verdict) {
    case "retry":
      return nextAttemptAtMs - createdAtMs <= facts.retryWindowMs
        ? { state: "PENDING", nextAttemptAtMs }
        : {
            state: "FAILED",
            reason: `gave up after ${attempts} attempts over ${Math.round((nowMs - createdAtMs) / 60_000)} minutes`,
          };
    case "unknown":
      return {
        state: "UNKNOWN",
        reason: `outcome unknown: ${errorMessage}; it may have been sent, so it is not resent`,
      };
    case "skipped":
      return { state: "SKIPPED", reason: errorMessage };
    case "failed":
      return { state: "FAILED", reason: errorMessage };
  }
}

/**
 * Whether a status-change event, delivered again by the platform's retry, is still worth telling
 * the customer about: within the same window a message itself is retried. Older, it is dropped (and
 * logged) so that a handler failing for good is not retried for the platform's 7 days.
 */
export const eventStillTimely = (eventTime: Date, now: Date, retryWindowMs: number): boolean =>
  // An event with no readable time is handled, never dropped.
  !(now.getTime() - eventTime.getTime() > retryWindowMs);
