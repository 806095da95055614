import { expect } from "chai";
import { DatamartStandIn } from "../../dev/standins/datamartStandIn";
import { DatamartClient } from "../../src/providers/datamart";
import { checkSupplierHealth } from "../../src/supplier/supplierHealth";
import { placeOrder } from "../support/datamart";
import { clearFirestore, testDb } from "../support/firestore";
import { capturedLogs } from "../../dev/capturedLogs";
import { COLLECTIONS } from "../../src/contract";

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

  it("stores the balance's level and delivery times per network, and logs them for alerts", async () => {
    const placed = Date.now() - 20 * 60_000;
    await placeOrder(standIn, "quick", "completed", {
      timestamp: new Date(placed).toISOString(),
      status: "delivered",
      lastSyncedAt: new Date(placed + 4 * 60_000).toISOString(),
    });
    await placeOrder(standIn, "epoch", "processing", { timestamp: placed });
    const health = await check();
    // 60 GHS less two purchases of 5.98: under the 200 GHS low mark, over the 50 GHS critical one.
    expect(health).to.include({ balance: 48.04, level: "critical" });
    expect(health.delivery.last24h.MTN).to.include({ orders: 2, final: 1, p50Minutes: 4 });
    const stored = await testDb().collection(COLLECTIONS.supplierHealth).doc("current").get();
    expect(stored.get("level")).to.equal("critical");
    const logged = [...capturedLogs].reverse().find((e) => e.message === "Supplier health");
    expect(logged).to.deep.include({
      severity: "WARNING",
      alert: true,
      balance: 48.04,
      level: "critical",
    });
  });

  it("says the balance is unknown when Datamart does not answer, and still gives delivery times", async () => {
    standIn.setOutage({ httpStatus: 503, body: "down" });
    const health = await check();
    expect(health.level).to.equal("unknown");
    expect(health.balanceError).to.contain("server");
    expect(health).to.not.have.property("balance");
  });
});
