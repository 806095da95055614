import { expect } from "chai";
import { deliveryVerdict, eventStillTimely, retryDelayMs } from "../../src/domain/deliveryVerdict";

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
