import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import { orderSchema, type Order } from "../../src/domain/order";
import {
  adoptionReason,
  agingDue,
  attentionReason,
  lapSteps,
  nextPassAt,
  placedAt,
  queryablePlacedAt,
  watchUntil,
} from "../../src/domain/pollSchedule";

const now = new Date("2026-11-29T10:00:00.000Z");
const MIN = 60_000;
const HOUR = 60 * MIN;
const ago = (ms: number) => new Date(now.getTime() - ms);

const order = (fields: Record<string, unknown>): Order =>
  orderSchema.parse({
    status: "success",
    datamartTransactionId: "66a0f0c2b3e4d5f6a7b8c9d0",
    timestamp: ago(MIN).toISOString(),
    ...fields,
  });

describe("poll schedule", () => {
  it("reads when an order was placed from an ISO string, a Timestamp, epoch milliseconds or createdAt", () => {
    const at = ago(5 * MIN);
    expect(placedAt({ timestamp: at.toISOString() })).to.deep.equal(at);
    expect(placedAt({ timestamp: Timestamp.fromDate(at) })).to.deep.equal(at);
    expect(placedAt({ timestamp: at.getTime() })).to.deep.equal(at);
    expect(placedAt({ createdAt: at.toISOString() })).to.deep.equal(at);
    expect(placedAt({ timestamp: at.getTime() / 1000 })).to.equal(undefined);
    expect(placedAt({ timestamp: null })).to.equal(undefined);
  });

  it("knows which timestamps Firestore can range-query: canonical UTC ISO strings, Timestamps, epoch ms", () => {
    expect(queryablePlacedAt("2026-11-29T09:59:00.000Z")).to.deep.equal(ago(MIN));
    expect(queryablePlacedAt("2026-11-29T09:59:00Z")).to.deep.equal(ago(MIN));
    expect(queryablePlacedAt(Timestamp.fromDate(ago(MIN)))).to.deep.equal(ago(MIN));
    expect(queryablePlacedAt(ago(MIN).getTime())).to.deep.equal(ago(MIN));
    for (const unusable of [
      "2026-11-29T11:59:00+02:00",
      "29/11/2026",
      "",
      null,
      undefined,
      1_764_410_000,
    ])
      expect(queryablePlacedAt(unusable), String(unusable)).to.equal(undefined);
  });

  it("adopts an order made checkable where the young passes will not find it, and only then", () => {
    const fresh = 60 * MIN;
    const adopt = (before: Order | undefined, after: Order) =>
      adoptionReason(before, after, now, fresh);
    expect(adopt(undefined, order({}))).to.equal(undefined);
    expect(adopt(undefined, order({ timestamp: undefined }))).to.equal("no-usable-timestamp");
    expect(adopt(undefined, order({ timestamp: "2026-11-29T11:59:00+02:00" }))).to.equal(
      "no-usable-timestamp",
    );
    expect(adopt(undefined, order({ timestamp: ago(20 * MIN).getTime() }))).to.equal(undefined);
    expect(adopt(undefined, order({ timestamp: ago(40 * MIN).toISOString() }))).to.equal(
      "written-late",
    );
    // The app adds Datamart's ids in a second write; late, that write is what makes it checkable.
    const old = ago(2 * HOUR).toISOString();
    const placed = order({ timestamp: old, status: "processing", datamartTransactionId: null });
    expect(adopt(placed, order({ timestamp: old }))).to.equal("written-late");
    expect(
      adopt(order({ status: "delivered", timestamp: old }), order({ timestamp: old })),
    ).to.equal("reopened");
    // Already checkable, not checkable, or final: nothing to adopt.
    expect(adopt(order({ timestamp: old }), order({ timestamp: old, amount: 2 }))).to.equal(
      undefined,
    );
    expect(adopt(undefined, order({ timestamp: undefined, datamartTransactionId: null }))).to.equal(
      undefined,
    );
    expect(adopt(undefined, order({ timestamp: undefined, status: "delivered" }))).to.equal(
      undefined,
    );
  });

  it("spreads a round's lap over its period: every order once a period, whatever joins or leaves", () => {
    const lapStart = now;
    const at = (minutes: number) => new Date(now.getTime() + minutes * MIN);
    // 12 orders, a run every 5 minutes: one a run, the last when the period ends.
    let done = 0;
    const steps: number[] = [];
    for (let minutes = 0; minutes <= 60; minutes += 5) {
      const step = lapSteps(done, 12 - done, lapStart, at(minutes), HOUR);
      steps.push(step);
      done += step;
    }
    expect(steps).to.deep.equal([0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    // One order: visited once the hour is over, not before.
    expect(lapSteps(0, 1, lapStart, at(55), HOUR)).to.equal(0);
    expect(lapSteps(0, 1, lapStart, at(60), HOUR)).to.equal(1);
    // Orders that join catch up; a round with no lap begun does a whole lap; never backwards.
    expect(lapSteps(6, 12, lapStart, at(30), HOUR)).to.equal(3);
    expect(lapSteps(0, 600, undefined, now, HOUR)).to.equal(600);
    expect(lapSteps(10, 0, lapStart, at(30), HOUR)).to.equal(0);
  });

  it("flags an order with no Datamart reference after a grace period, and one open for a day", () => {
    expect(attentionReason(ago(MIN), false, now, 24 * HOUR)).to.equal(undefined);
    expect(attentionReason(ago(10 * MIN), false, now, 24 * HOUR)).to.contain(
      "no Datamart reference",
    );
    expect(attentionReason(undefined, false, now, 24 * HOUR)).to.contain("no Datamart reference");
    expect(attentionReason(ago(24 * HOUR - 1), true, now, 24 * HOUR)).to.equal(undefined);
    expect(attentionReason(ago(24 * HOUR), true, now, 24 * HOUR)).to.equal(
      "still open 24 h after it was placed",
    );
    expect(attentionReason(undefined, true, now, 24 * HOUR)).to.equal(undefined);
  });

  it("starts the next pass an interval after the last one started, at once if it ran long, never past the deadline", () => {
    expect(nextPassAt(0, 10_000, 90_000, 240_000)).to.equal(90_000);
    expect(nextPassAt(0, 100_000, 90_000, 240_000)).to.equal(100_000);
    expect(nextPassAt(180_000, 190_000, 90_000, 240_000)).to.equal(undefined);
  });

  it("watches a failed order for the configured time, or not at all", () => {
    expect(watchUntil(now, 24 * HOUR)).to.deep.equal(new Date(now.getTime() + 24 * HOUR));
    expect(watchUntil(now, 0)).to.equal(undefined);
  });

  describe("agingDue", () => {
    const MIN = 60_000;
    const now = new Date("2026-12-06T12:00:00Z");
    const placed = (minutes: number) => new Date(now.getTime() - minutes * MIN);
    const last = new Date(now.getTime() - 5 * MIN);
    const due = (minutes: number, lastPassAt: Date | undefined = last) =>
      agingDue(placed(minutes), now, lastPassAt, 60 * MIN);

    it("leaves young orders to the young passes and orders over a day (and a mark) to the sweep", () => {
      expect(due(59)).to.equal(false);
      expect(due(24 * 60 + 26)).to.equal(false);
    });

    it("is due on every run from the first hour to 6 hours", () => {
      for (const minutes of [60, 61, 119, 240, 360])
        expect(due(minutes), `${minutes}`).to.equal(true);
    });

    it("past 6 hours, is due on the first run after the age passes a mark, 6 h plus n x 25 min", () => {
      expect(due(362)).to.equal(true); // 360 passed since the last run (at 357)
      expect(due(637)).to.equal(true); // 635 passed since the last run (at 632)
      expect(due(620)).to.equal(false); // 615 to 620: no mark
      expect(due(635)).to.equal(true);
      // A run skipped: 20 minutes since the last pass still catches the mark once.
      expect(due(640, new Date(now.getTime() - 20 * MIN))).to.equal(true);
      // With no previous run, one schedule period is assumed.
      expect(due(637, undefined)).to.equal(true);
    });

    it("leaves at most 30 minutes between checks past 6 hours, and 5 (one run) before", () => {
      // Every 5-minute run between 6 h and a day: the gaps between the runs that check an order.
      let lastChecked = 361;
      let widest = 0;
      for (let age = 366; age <= 24 * 60; age += 5) {
        if (!agingDue(placed(age), now, last, 60 * MIN)) continue;
        widest = Math.max(widest, age - lastChecked);
        lastChecked = age;
      }
      expect(widest).to.be.at.most(30);
    });
  });
});
