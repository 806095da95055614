import { expect } from "chai";
import { DatamartStandIn } from "../../dev/standins/datamartStandIn";
import { DatamartClient } from "../../src/providers/datamart";
import { checkSupplierHealth } from "../../src/supplier/supplierHealth";
import { placeOrder } from "../support/datamart";
import { clearFirestore, testDb } from "../support/firestore";
import { capturedLogs } from "../../dev/capturedLogs";
import { COLLECTIONS } from "../../src/contract";
import { statsDay } from "../../src/domain/dailyStats";

describe("supplier health (Firestore emulator, stand-in Datamart)", () => {
  let standIn: DatamartStandIn;
  before(async () => {
    standIn = await DatamartStandIn.start({ startingBalance: 60 });
  });
  after(() => standIn.close());
  beforeEach(async () => {
    standIn.reset();
    await clearFirestore();
  });

  const check = () =>
    checkSupplierHealth({
      db: testDb(),
      datamart: new DatamartClient({ baseUrl: standIn.baseUrl, apiKey: "k", timeoutMs: 2_000 }),
      thresholds: { lowGhs: 200, criticalGhs: 50 },
    });

  it("stores the balance's level, days of cover, delivery times from the daily figures and stalls, and logs them for alerts", async () => {
    const now = new Date();
    const today = statsDay(now);
    await testDb()
      .collection(COLLECTIONS.dailyStats)
      .doc(`${today}_MTN`)
      .set({ day: today, network: "MTN", finals: { delivered: 1 }, deliveryMinutes: { "5": 1 } });
    // Yesterday the balance fell from 80 to 70: at that spend, the balance lasts about 4.8 days.
    const yesterday = now.getTime() - 86_400_000;
    await testDb()
      .collection(COLLECTIONS.supplierBalances)
      .doc(statsDay(new Date(yesterday)))
      .set({
        day: statsDay(new Date(yesterday)),
        samples: [
          { atMs: yesterday, balance: 80 },
          { atMs: yesterday + 60_000, balance: 70 },
        ],
      });
    await placeOrder(standIn, "stuck", "processing", {
      timestamp: new Date(Date.now() - 90 * 60_000).toISOString(),
    });
    await placeOrder(standIn, "young", "processing", { network: "TELECEL" });
    standIn.setTrackerMessage(
      "Yello portal is processing orders steadily. Estimated delivery: 1-2 hours",
    );
    const health = await check();
    // 60 GHS less two purchases of 5.98: under the 200 GHS low mark, over the 50 GHS critical one.
    expect(health).to.include({ balance: 48.04, level: "critical" });
    expect(health.daysOfCover).to.be.closeTo(48.04 / (31.96 / 1), 0.1);
    expect(health.delivery.today.MTN).to.include({ p50Minutes: 5, timed: 1 });
    expect(health.open).to.deep.equal({
      MTN: { open: 1, pastHour: 1 },
      Telecel: { open: 1, pastHour: 0 },
    });
    expect(health.stalledNetworks).to.deep.equal(["MTN"]);
    expect(health.trackerMessage).to.equal(
      "Yello portal is processing orders steadily. Estimated delivery: 1-2 hours",
    );
    const stored = await testDb().collection(COLLECTIONS.supplierHealth).doc("current").get();
    expect(stored.get("level")).to.equal("critical");
    const samples = await testDb().collection(COLLECTIONS.supplierBalances).doc(today).get();
    expect(samples.get("samples")).to.have.length(1);
    const logged = [...capturedLogs].reverse().find((e) => e.message === "Supplier health");
    expect(logged).to.deep.include({
      severity: "WARNING",
      alert: true,
      balance: 48.04,
      level: "critical",
      stalledNetworks: ["MTN"],
    });
  });

  it("says the balance is unknown when Datamart does not answer, and still gives delivery times", async () => {
    standIn.setOutage({ httpStatus: 503, body: "down" });
    const health = await check();
    expect(health.level).to.equal("unknown");
    expect(health.balanceError).to.contain("server");
    expect(health).to.include({ trackerMessage: null });
    expect(health.trackerError).to.contain("server");
    expect(health).to.not.have.property("balance");
  });
});
