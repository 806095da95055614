import { expect } from "chai";
import {
  deliveryExpectation,
  expectationWords,
  MIN_TIMED_DELIVERIES,
  STALE_AFTER_MS,
  trackerEstimate,
  type ExpectationSource,
} from "../../src/domain/deliveryExpectation";
import { summarize, type DailyStats } from "../../src/domain/dailyStats";

const NOW = new Date("2026-12-06T10:00:00Z");

/** A week of one network's figures: `n` deliveries in each of the given minute buckets. */
const week = (network: string, histogram: Record<string, number>): DailyStats => ({
  day: "2026-12-05",
  network,
  finals: { delivered: Object.values(histogram).reduce((a, b) => a + b, 0) },
  deliveryMinutes: histogram,
});

const source = (overrides: Partial<ExpectationSource> = {}): ExpectationSource => ({
  checkedAt: new Date(NOW.getTime() - 10 * 60_000),
  last7d: {
    MTN: summarize([week("MTN", { "5": 60, "10": 30, "45": 10 })]),
    Telecel: summarize([week("Telecel", { "5": MIN_TIMED_DELIVERIES - 1 })]),
  },
  ...overrides,
});

describe("delivery expectation", () => {
  it("gives the network's p50 and p95 of the last 7 days for Datamart's code", () => {
    const e = deliveryExpectation(source(), "YELLO", NOW);
    expect(e).to.include({ network: "MTN", p50Minutes: 5, p95Minutes: 45, basedOnDeliveries: 100 });
    expect(e?.summary).to.equal(
      "Over the last 7 days half of MTN orders arrived within 5 min and 95% within 45 min.",
    );
    expect(expectationWords(e)).to.equal("Half arrive within 5 min, 95% within 45 min.");
  });

  it("gives no times with too few deliveries, and says so", () => {
    const e = deliveryExpectation(source(), "TELECEL", NOW);
    expect(e).to.include({ p50Minutes: null, p95Minutes: null, basedOnDeliveries: 19 });
    expect(e?.summary).to.equal("Too few recent Telecel deliveries to estimate a time.");
    expect(expectationWords(e)).to.equal(undefined);
    expect(deliveryExpectation(source(), "AT_PREMIUM", NOW)?.basedOnDeliveries).to.equal(0);
  });

  it("gives nothing when supplier health has not run for hours", () => {
    const stale = source({ checkedAt: new Date(NOW.getTime() - STALE_AFTER_MS - 1) });
    expect(deliveryExpectation(stale, "YELLO", NOW)).to.equal(null);
    expect(deliveryExpectation(undefined, "YELLO", NOW)).to.equal(null);
    expect(expectationWords(null)).to.equal(undefined);
  });

  it("prefers the tracker's estimate, which speaks of now, in the SMS's few words", () => {
    const said = "Yello portal is processing orders steadily. Estimated delivery: 1-2 hours";
    const e = deliveryExpectation(source({ trackerMessage: said }), "YELLO", NOW);
    expect(e?.trackerMessage).to.equal(said);
    expect(e?.summary).to.match(/95% within 45 min\. Yello portal is processing/);
    expect(expectationWords(e)).to.equal("Current estimate: 1-2 hours.");
  });

  it("gives the tracker's message only to the network it names, or to all when it names none", () => {
    const yello = source({ trackerMessage: "Yello portal is slow. Estimated delivery: 3 hours" });
    expect(deliveryExpectation(yello, "TELECEL", NOW)?.trackerMessage).to.equal(null);
    const at = source({ trackerMessage: "AT portal is down at the moment" });
    expect(deliveryExpectation(at, "AT_PREMIUM", NOW)?.trackerMessage).to.contain("AT portal");
    // "at" in a sentence is not AirtelTigo.
    const general = source({ trackerMessage: "All portals are delivering at normal speed" });
    expect(deliveryExpectation(general, "YELLO", NOW)?.trackerMessage).to.contain("All portals");
  });

  it("reads hours, and more than a day, as customers would say them", () => {
    const slow = source({
      last7d: { MTN: summarize([week("MTN", { "120": 50, over: 50 })]) },
    });
    expect(expectationWords(deliveryExpectation(slow, "MTN", NOW))).to.equal(
      "Half arrive within 2 hours, 95% in over a day.",
    );
    const even = source({ last7d: { MTN: summarize([week("MTN", { "90": 40 })]) } });
    expect(expectationWords(deliveryExpectation(even, "MTN", NOW))).to.equal(
      "Nearly all arrive within 90 min.",
    );
  });

  it("finds the estimate in the tracker's words, or none", () => {
    expect(trackerEstimate("Estimated delivery: 30 minutes. Thanks")).to.equal("30 minutes");
    expect(trackerEstimate("Scanner idle")).to.equal(undefined);
    expect(trackerEstimate(null)).to.equal(undefined);
  });
});
