import { expect } from "chai";
import { CUTOVER_REASON, noticeOf, silenceReason } from "../../src/domain/customerNotice";

const HOUR = 3_600_000;
const at = new Date("2026-12-05T12:00:00Z");
const placed = (hoursAgo: number) => new Date(at.getTime() - hoursAgo * HOUR).toISOString();
const facts = (hoursAgo: number, extra: Partial<Parameters<typeof silenceReason>[0]> = {}) => ({
  after: { timestamp: placed(hoursAgo) },
  to: "delivered",
  at,
  maxOrderAgeMs: 48 * HOUR,
  ...extra,
});

describe("silenceReason", () => {
  it("tells a change to an order placed within the limit, up to its edge", () => {
    expect(silenceReason(facts(1))).to.equal(undefined);
    expect(silenceReason(facts(48))).to.equal(undefined);
  });

  it("silences a change to an older order, saying why", () => {
    expect(silenceReason(facts(48.01))).to.match(/too late to tell: placed more than 48 hours/);
  });

  it("tells an order whose placement time cannot be read", () => {
    expect(silenceReason({ ...facts(0), after: { timestamp: "garbage" } })).to.equal(undefined);
  });

  it("tells a failed order's late delivery within its watch, not after it", () => {
    const before = (watchEndsInHours: number) => ({
      status: "failed",
      watchUntil: new Date(at.getTime() + watchEndsInHours * HOUR),
    });
    expect(silenceReason(facts(72, { before: before(1) }))).to.equal(undefined);
    expect(silenceReason(facts(72, { before: before(-1) }))).to.match(/too late/);
    expect(silenceReason(facts(72, { before: { status: "failed" } }))).to.match(/too late/);
  });

  it("silences every change to an order the cutover marked", () => {
    expect(silenceReason({ ...facts(1), after: { cutover: { markedAt: "x" } } })).to.equal(
      CUTOVER_REASON,
    );
  });
});

describe("noticeOf", () => {
  const credited = { state: "credited", adminUid: "ops-1" };
  it("tells a change of status to processing or a final status, and nothing else", () => {
    expect(noticeOf({ status: "processing" }, { status: "delivered" })).to.equal("delivered");
    expect(noticeOf(undefined, { status: "failed" })).to.equal("failed");
    expect(noticeOf({ status: "pending" }, { status: "processing" })).to.equal("processing");
    expect(noticeOf({ status: "processing" }, { status: "success" })).to.equal(undefined);
    expect(noticeOf({ status: "processing" }, { status: "pending" })).to.equal(undefined);
    expect(noticeOf({ status: "failed" }, { status: "failed" })).to.equal(undefined);
  });

  it("tells an admin's credit of a settled order as refunded, once it is credited", () => {
    const before = { status: "failed", refund: { state: "manual" } };
    expect(noticeOf(before, { status: "failed", refund: credited })).to.equal("refunded");
    expect(
      noticeOf({ status: "failed", refund: credited }, { status: "failed", refund: credited }),
    ).to.equal(undefined);
  });

  it("leaves the automatic credit to the status change it comes with", () => {
    const automatic = { state: "credited" };
    expect(noticeOf({ status: "failed" }, { status: "failed", refund: automatic })).to.equal(
      undefined,
    );
    expect(noticeOf({ status: "processing" }, { status: "failed", refund: credited })).to.equal(
      "failed",
    );
  });

  it("tells an admin's credit however old the order, even one the cutover marked", () => {
    expect(
      silenceReason({
        ...facts(24 * 30),
        to: "refunded",
        before: { status: "failed", refund: { state: "manual" } },
        after: { timestamp: placed(24 * 30), cutover: { markedAt: "x" }, refund: credited },
      }),
    ).to.equal(undefined);
  });
});
