import { expect } from "chai";
import { balanceLevel, openByNetwork, stalledNetworks } from "../../src/domain/supplierHealth";

const now = new Date("2026-11-29T12:00:00.000Z");
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

describe("supplier health", () => {
  it("rates the Datamart balance against the low and critical thresholds", () => {
    expect(balanceLevel(500, 200, 50)).to.equal("ok");
    expect(balanceLevel(200, 200, 50)).to.equal("low");
    expect(balanceLevel(49.99, 200, 50)).to.equal("critical");
  });

  it("counts open orders per network by the name customers know, and those open past an hour", () => {
    const open = openByNetwork(
      [
        { network: "YELLO", timestamp: ago(90).toISOString() },
        { network: "MTN", timestamp: ago(20).getTime() },
        { network: "AT_PREMIUM", timestamp: ago(61).toISOString() },
        { network: "TELECEL" },
        { timestamp: ago(5).toISOString() },
      ],
      now,
    );
    expect(open).to.deep.equal({
      MTN: { open: 2, pastHour: 1 },
      AirtelTigo: { open: 1, pastHour: 1 },
      unknown: { open: 1, pastHour: 0 },
    });
  });

  it("calls a network stalled when over a fifth of its recent orders are open past an hour", () => {
    const open = { MTN: { open: 3, pastHour: 2 }, Telecel: { open: 1, pastHour: 1 } };
    // MTN: 2 of 3 + 20 = 23 recent orders is under a fifth; Telecel: 1 of 1 + 2 is over.
    expect(stalledNetworks(open, { MTN: 20, Telecel: 2 })).to.deep.equal(["Telecel"]);
    expect(stalledNetworks(open, {})).to.deep.equal(["MTN", "Telecel"]);
    expect(stalledNetworks({ MTN: { open: 5, pastHour: 0 } }, {})).to.deep.equal([]);
  });
});
