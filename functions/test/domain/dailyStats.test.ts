import { expect } from "chai";
import {
  bucketOf,
  daysOfCover,
  histogramPercentile,
  lastDays,
  networkKey,
  OVER_A_DAY_MINUTES,
  statsDay,
  statusChangeCounts,
  summarize,
  summarizeByNetwork,
  type DailyStats,
} from "../../src/domain/dailyStats";

describe("daily figures (pure)", () => {
  it("dates by Ghana's day, which is UTC's all year", () => {
    expect(statsDay(new Date("2026-12-05T23:59:59Z"))).to.equal("2026-12-05");
    expect(statsDay(new Date("2026-12-06T00:00:00Z"))).to.equal("2026-12-06");
    expect(lastDays(new Date("2026-12-02T10:00:00Z"), 3)).to.deep.equal([
      "2026-11-30",
      "2026-12-01",
      "2026-12-02",
    ]);
  });

  it("files a network under the name customers know, safe for a document id", () => {
    expect(networkKey("YELLO")).to.equal("MTN");
    expect(networkKey("at_premium")).to.equal("AirtelTigo");
    expect(networkKey("GLO/4G")).to.equal("GLO-4G");
    expect(networkKey(undefined)).to.equal("unknown");
  });

  it("counts a change once, in its hour, with a delivery's minutes since placement", () => {
    const at = new Date("2026-12-05T13:20:00Z");
    expect(statusChangeCounts("delivered", at, new Date("2026-12-05T13:08:00Z"))).to.deep.equal({
      finals: { delivered: 1 },
      byHour: { "13": { delivered: 1 } },
      deliveryMinutes: { "15": 1 },
    });
    expect(statusChangeCounts("failed", at, new Date("2026-12-05T13:08:00Z"))).to.deep.equal({
      finals: { failed: 1 },
      byHour: { "13": { failed: 1 } },
    });
    // No placement time (or one after the change): no delivery time, never a negative one.
    expect(statusChangeCounts("delivered", at, undefined)).not.to.have.property("deliveryMinutes");
    expect(
      statusChangeCounts("delivered", at, new Date("2026-12-05T14:00:00Z")),
    ).not.to.have.property("deliveryMinutes");
  });

  it("puts a time in the first bucket that holds it, the bound included", () => {
    expect(bucketOf(0.2)).to.equal("1");
    expect(bucketOf(5)).to.equal("5");
    expect(bucketOf(5.01)).to.equal("10");
    expect(bucketOf(3000)).to.equal("over");
  });

  it("reads percentiles from the buckets as upper bounds, and says when there is no data", () => {
    expect(histogramPercentile({}, 0.5)).to.equal(null);
    const histogram = { "2": 50, "10": 45, "60": 4, over: 1 };
    expect(histogramPercentile(histogram, 0.5)).to.equal(2);
    expect(histogramPercentile(histogram, 0.95)).to.equal(10);
    expect(histogramPercentile(histogram, 0.99)).to.equal(60);
    expect(histogramPercentile(histogram, 1)).to.equal(OVER_A_DAY_MINUTES);
  });

  it("sums days into finals, delivered share, times and money, per network too", () => {
    const days: DailyStats[] = [
      {
        day: "2026-12-04",
        network: "MTN",
        finals: { delivered: 8, failed: 2 },
        deliveryMinutes: { "5": 8 },
        refunds: 1,
        refundedPesewas: 650,
      },
      {
        day: "2026-12-05",
        network: "MTN",
        finals: { delivered: 9, cancelled: 1 },
        deliveryMinutes: { "10": 9 },
      },
      { day: "2026-12-05", network: "Telecel", finals: { failed: 1 }, reversedPesewas: 300 },
    ];
    const all = summarize(days);
    expect(all.finals).to.deep.equal({ delivered: 17, failed: 3, cancelled: 1, refunded: 0 });
    expect(all.deliveredShare).to.be.closeTo(17 / 21, 1e-9);
    expect(all).to.include({
      p50Minutes: 10,
      p95Minutes: 10,
      timed: 17,
      refundedGhs: 6.5,
      reversedGhs: 3,
    });
    const byNetwork = summarizeByNetwork(days);
    expect(Object.keys(byNetwork)).to.deep.equal(["MTN", "Telecel"]);
    expect(byNetwork.Telecel).to.include({ deliveredShare: 0, p50Minutes: null });
    expect(summarize([]).deliveredShare).to.equal(null);
  });

  it("works out days of cover from the balance's falls, not its top-ups", () => {
    const day = 86_400_000;
    // 100 spent a day over two days; the top-up in between is not spend.
    const samples = [
      { atMs: 0, balance: 500 },
      { atMs: day, balance: 400 },
      { atMs: day + 1, balance: 900 },
      { atMs: 2 * day, balance: 800 },
    ];
    expect(daysOfCover(samples, 800)).to.equal(8);
    expect(daysOfCover(samples.slice(0, 1), 800)).to.equal(null);
    expect(
      daysOfCover(
        [
          { atMs: 0, balance: 5 },
          { atMs: day / 2, balance: 4 },
        ],
        4,
      ),
    ).to.equal(null);
    expect(
      daysOfCover(
        [
          { atMs: 0, balance: 5 },
          { atMs: day, balance: 5 },
        ],
        5,
      ),
    ).to.equal(null);
  });
});
