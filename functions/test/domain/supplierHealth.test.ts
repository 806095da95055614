import { expect } from "chai";
import {
  balanceLevel,
  deliveryRecord,
  deliveryStats,
  stalledNetworks,
  type DeliveryRecord,
} from "../../src/domain/supplierHealth";

const now = new Date("2026-11-29T12:00:00.000Z");
const MIN = 60_000;
const ago = (minutes: number) => new Date(now.getTime() - minutes * MIN);

describe("supplier health", () => {
  it("rates the Datamart balance against the low and critical thresholds", () => {
    expect(balanceLevel(500, 200, 50)).to.equal("ok");
    expect(balanceLevel(200, 200, 50)).to.equal("low");
    expect(balanceLevel(49.99, 200, 50)).to.equal("critical");
  });

  it("gives p50 and p95 minutes to the final status and the share open past an hour, per network and window", () => {
    const delivered = (
      network: string,
      placedMinutesAgo: number,
      took: number,
    ): DeliveryRecord => ({
      network,
      placedAt: ago(placedMinutesAgo),
      status: "delivered",
      finalAt: ago(placedMinutesAgo - took),
    });
    const records: DeliveryRecord[] = [
      ...[2, 3, 4, 5, 30].map((took) => delivered("YELLO", 120, took)),
      delivered("TELECEL", 60, 10),
      { network: "TELECEL", placedAt: ago(90), status: "processing" },
      { network: "TELECEL", placedAt: ago(20), status: "processing" },
      delivered("YELLO", 3 * 24 * 60, 1), // outside the 24 h window, inside 7 days
    ];
    const day = deliveryStats(records, now, 24 * 60 * MIN);
    expect(day.YELLO).to.deep.equal({
      orders: 5,
      final: 5,
      p50Minutes: 4,
      p95Minutes: 30,
      openPastHourShare: 0,
    });
    expect(day.TELECEL).to.include({ orders: 3, final: 1, p50Minutes: 10 });
    expect(day.TELECEL.openPastHourShare).to.be.closeTo(1 / 3, 1e-9);
    expect(deliveryStats(records, now, 7 * 24 * 60 * MIN).YELLO.orders).to.equal(6);
    // A third of TELECEL's orders are stuck: over the fifth that counts as stalled.
    expect(stalledNetworks(day)).to.deep.equal(["TELECEL"]);
  });

  it("reads an order's placement, network (by the name customers know) and final time, or skips an order without a placement", () => {
    expect(
      deliveryRecord({
        network: "AT_PREMIUM",
        status: "delivered",
        timestamp: ago(30).getTime(),
        lastSyncedAt: ago(25).toISOString(),
      }),
    ).to.deep.equal({
      network: "AirtelTigo",
      placedAt: ago(30),
      status: "delivered",
      finalAt: ago(25),
    });
    expect(deliveryRecord({ status: "processing" })).to.equal(undefined);
    expect(deliveryRecord({ status: "processing", timestamp: ago(5).toISOString() })).to.deep.equal(
      {
        network: "unknown",
        placedAt: ago(5),
        status: "processing",
      },
    );
  });
});
