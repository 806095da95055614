import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import { DatamartStandIn } from "../../dev/standins/datamartStandIn";
import { syncForAdmin } from "../../src/sync/adminSync";
import { runSync, SYNC_LEASE, type SyncOptions } from "../../src/sync/syncEngine";
import { placeOrder, syncDepsFor } from "../support/datamart";
import { eventually } from "../support/eventually";
import { clearFirestore, testDb } from "../support/firestore";
import { COLLECTIONS } from "../../src/contract";

describe("an admin's sync now beside a scheduled run (Firestore emulator, stand-in Datamart)", () => {
  let standIn: DatamartStandIn;

  before(async () => {
    standIn = await DatamartStandIn.start();
  });
  after(() => standIn.close());
  beforeEach(async () => {
    standIn.reset();
    standIn.options.latencyMs = 0;
    await clearFirestore();
  });

  const deps = (options: Partial<SyncOptions> = {}) => syncDepsFor(standIn, options);
  const asks = (reference: string) => standIn.requests.filter((r) => r.reference === reference);
  const trx = (order: Record<string, unknown>) =>
    (order.datamartResponse as { orderReference: string }).orderReference;
  const status = async (id: string) =>
    (await testDb().collection(COLLECTIONS.transactions).doc(id).get()).get("status") as string;

  it("hands the request to the scheduled run alive: it wakes from its pause and asks every due order at once", async () => {
    const young = await placeOrder(standIn, "young-1", "processing");
    // A scheduled run whose next pass is 8 s away, with a budget to match.
    const scheduled = runSync(deps({ timeBudgetMs: 10_000, freshIntervalMs: 8_000 }), "schedule");
    await eventually("the scheduled run's first pass", () =>
      asks(trx(young)).length === 1 ? true : undefined,
    );
    standIn.setStatus(trx(young), "completed");

    const asked = Date.now();
    const answer = await syncForAdmin(deps(), "admin-1");
    expect(answer).to.include({ success: true, outcome: "taken" });
    const run = (await testDb().collection(COLLECTIONS.syncRuns).doc(answer.runId).get()).data();
    expect(run, "the running run, visible while it runs").to.include({
      trigger: "schedule",
      running: true,
    });
    await eventually("the order delivered", async () =>
      (await status("young-1")) === "delivered" ? true : undefined,
    );
    const firstAsk = asks(trx(young))[1].at - asked;
    expect(firstAsk, "ms from the request to the first order asked").to.be.below(15_000);
    console.log(`      admin request -> first order asked, scheduled run alive: ${firstAsk} ms`);

    const summary = await scheduled;
    expect(summary).to.include({ runId: answer.runId, adminRequests: 1 });
    expect(summary).to.not.have.property("running");
    // Asked once by the first pass and once for the admin; the delivered order never again.
    expect(asks(trx(young))).to.have.length(2);
    const [request] = (await testDb().collection(COLLECTIONS.syncRequests).get()).docs;
    expect(request.data()).to.include({
      uid: "admin-1",
      state: "done",
      runId: answer.runId,
      checked: 1,
      updated: 1,
    });
  });

  it("runs the admin's own sync when no run is alive, and answers what it checked", async () => {
    const young = await placeOrder(standIn, "young-2", "completed");
    const asked = Date.now();
    const answer = await syncForAdmin(deps(), "admin-1");
    expect(answer).to.deep.include({ outcome: "ran" });
    if (answer.outcome !== "ran") throw new Error("expected the admin's own run");
    expect(answer.summary).to.include({ trigger: "admin", checked: 1, updated: 1 });
    console.log(
      `      admin request -> first order asked, no run alive: ${asks(trx(young))[0].at - asked} ms`,
    );
  });

  it("runs the admin's own sync when the run holding the lease ends without taking the request", async () => {
    await placeOrder(standIn, "young-3", "completed");
    // A lease whose holder never listens (a crashed run), expiring in a second.
    await testDb()
      .collection(COLLECTIONS.leases)
      .doc(SYNC_LEASE)
      .set({ holder: "gone", expiresAt: Timestamp.fromMillis(Date.now() + 1_000) });
    const answer = await syncForAdmin(deps(), "admin-1");
    expect(answer).to.include({ outcome: "ran" });
    expect(await status("young-3")).to.equal("delivered");
    expect((await testDb().collection(COLLECTIONS.syncRequests).get()).size).to.equal(0);
  });
});
