import { expect } from "chai";
import { CUTOVER_REASON, silenceReason } from "../../src/domain/customerNotice";

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
