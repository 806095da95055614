import { expect } from "chai";
import {
  deliveryVerdict,
  eventStillTimely,
  failureOutcome,
  retryDelayMs,
  type Verdict,
} from "../../src/domain/deliveryVerdict";

describe("delivery verdict", () => {
  it("retries only what never reached the provider or what it said it did not take", () => {
    for (const code of ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"])
      expect(deliveryVerdict({ kind: "network", code }), code).to.equal("retry");
    expect(deliveryVerdict({ kind: "rate-limited", status: 429 })).to.equal("retry");
    expect(deliveryVerdict({ kind: "server", status: 503 })).to.equal("retry");
    expect(deliveryVerdict({ kind: "queue-write", retrySafe: true })).to.equal("retry");
  });

  it("calls unknown whatever may have gone out", () => {
    expect(deliveryVerdict({ kind: "timeout", code: "ECONNABORTED" })).to.equal("unknown");
    expect(deliveryVerdict({ kind: "network", code: "ECONNRESET" })).to.equal("unknown");
    for (const status of [500, 502, 504])
      expect(deliveryVerdict({ kind: "server", status }), String(status)).to.equal("unknown");
    expect(deliveryVerdict({ kind: "bad-response", status: 200 })).to.equal("unknown");
    expect(deliveryVerdict(undefined)).to.equal("unknown");
  });

  it("fails what the provider refused for good, and skips a message with nobody to send to", () => {
    expect(deliveryVerdict({ kind: "rejected", code: "4004", permanent: true })).to.equal("failed");
    expect(deliveryVerdict({ kind: "bad-response", status: 400 })).to.equal("failed");
    expect(deliveryVerdict({ kind: "no-recipient", noRecipient: true })).to.equal("skipped");
  });

  it("waits 1, 2, 4, 8, 15, then 30 minutes between tries", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => retryDelayMs(n) / 60_000)).to.deep.equal([
      1, 2, 4, 8, 15, 30, 30, 30,
    ]);
  });
});

describe("eventStillTimely", () => {
  const now = new Date("2026-12-05T12:00:00Z");
  const hours = (h: number) => new Date(now.getTime() - h * 3_600_000);
  it("handles an event retried within the window, up to its edge, and drops an older one", () => {
    expect(eventStillTimely(hours(1), now, 6 * 3_600_000)).to.equal(true);
    expect(eventStillTimely(hours(6), now, 6 * 3_600_000)).to.equal(true);
    expect(eventStillTimely(new Date(hours(6).getTime() - 1), now, 6 * 3_600_000)).to.equal(false);
  });
  it("handles an event whose time cannot be read", () => {
    expect(eventStillTimely(new Date("garbage"), now, 6 * 3_600_000)).to.equal(true);
  });
});

describe("failureOutcome: where a failed send leaves its message", () => {
  const MIN = 60_000;
  const created = Date.parse("2026-12-05T10:00:00Z");
  const facts = (verdict: Verdict, minutesOld: number, attempts = 1) => ({
    verdict,
    attempts,
    createdAtMs: created,
    nowMs: created + minutesOld * MIN,
    retryWindowMs: 6 * 60 * MIN,
    errorMessage: "mNotify said 503",
  });

  it("retries a send that provably never went out, after the backoff", () => {
    expect(failureOutcome(facts("retry", 0, 1))).to.deep.equal({
      state: "PENDING",
      nextAttemptAtMs: created + 1 * MIN,
    });
    expect(failureOutcome(facts("retry", 30, 4))).to.deep.equal({
      state: "PENDING",
      nextAttemptAtMs: created + 38 * MIN,
    });
  });

  it("retries up to the edge of the window, and gives up past it, saying after how long", () => {
    expect(failureOutcome(facts("retry", 330, 6))).to.deep.equal({
      state: "PENDING",
      nextAttemptAtMs: created + 360 * MIN,
    });
    expect(failureOutcome(facts("retry", 331, 6))).to.deep.equal({
      state: "FAILED",
      reason: "gave up after 6 attempts over 331 minutes",
    });
  });

  it("never retries what may have gone out, nor what was refused or had nobody to go to", () => {
    expect(failureOutcome(facts("unknown", 0))).to.deep.equal({
      state: "UNKNOWN",
      reason: "outcome unknown: mNotify said 503; it may have been sent, so it is not resent",
    });
    expect(failureOutcome(facts("failed", 0))).to.deep.equal({
      state: "FAILED",
      reason: "mNotify said 503",
    });
    expect(failureOutcome(facts("skipped", 0))).to.deep.equal({
      state: "SKIPPED",
      reason: "mNotify said 503",
    });
  });
});
