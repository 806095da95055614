import { expect } from "chai";
import { parseBackoffMinutes, planNextCheck } from "../../src/domain/pollSchedule";

const policy = { backoffMinutes: [1, 2, 5, 60], attentionAfterMs: 24 * 3_600_000 };
const now = new Date("2026-11-29T10:00:00.000Z");
const minutesLater = (plan: { nextCheckAt: Date }) =>
  (plan.nextCheckAt.getTime() - now.getTime()) / 60_000;

describe("poll schedule", () => {
  it("checks an unchanged order later and later, the last step for good, in the slow lane", () => {
    const placed = new Date(now.getTime() - 60_000);
    expect(
      [0, 1, 2, 3, 4, 9].map((n) => minutesLater(planNextCheck(policy, n, placed, now))),
    ).to.deep.equal([1, 1, 2, 5, 60, 60]);
    expect(planNextCheck(policy, 3, placed, now).lane).to.equal("fresh");
    expect(planNextCheck(policy, 4, placed, now).lane).to.equal("slow");
  });

  it("flags an order open past the attention age and checks it at the slowest step", () => {
    const old = new Date(now.getTime() - 24 * 3_600_000);
    const plan = planNextCheck(policy, 1, old, now);
    expect(plan).to.deep.include({ needsAttention: true, lane: "slow" });
    expect(minutesLater(plan)).to.equal(60);
    expect(planNextCheck(policy, 1, new Date(old.getTime() + 1), now).needsAttention).to.be.false;
    expect(planNextCheck(policy, 1, undefined, now).needsAttention).to.be.false;
  });

  it("reads the backoff setting, and refuses one that is not positive minutes", () => {
    expect(parseBackoffMinutes(" 1, 2 ,5")).to.deep.equal([1, 2, 5]);
    for (const bad of ["", "1,,2", "0", "-1", "a"])
      expect(() => parseBackoffMinutes(bad), bad).to.throw("SYNC_BACKOFF_MINUTES");
  });
});
