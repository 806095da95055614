import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import { DatamartStandIn } from "../../dev/standins/datamartStandIn";
import { serveSyncRequest, syncForAdmin, TAKE_TIMEOUT_MS } from "../../src/sync/adminSync";
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
    if (answer.outcome !== "taken") throw new Error("expected the running run to take it");
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

  /** What the request's trigger does on the functions emulator: serve each request filed. */
  const serveRequests = (d = deps()) => {
    const serving: Promise<void>[] = [];
    const stop = testDb()
      .collection(COLLECTIONS.syncRequests)
      .onSnapshot((snapshot) => {
        for (const change of snapshot.docChanges())
          if (change.type === "added") serving.push(serveSyncRequest(d, change.doc.ref));
      });
    return async () => {
      stop();
      await Promise.all(serving);
    };
  };
  const requestOf = async (id: string) =>
    (await testDb().collection(COLLECTIONS.syncRequests).doc(id).get()).data();

  it("answers at once with the run its trigger started when no run is alive; the run records what it checked", async () => {
    const young = await placeOrder(standIn, "young-2", "completed");
    const served = serveRequests();
    const asked = Date.now();
    const answer = await syncForAdmin(deps(), "admin-1");
    const answeredMs = Date.now() - asked;
    expect(answer).to.include({ outcome: "taken" });
    if (answer.outcome !== "taken") throw new Error("expected a run to take it");
    expect(answeredMs, "ms to the admin's answer").to.be.below(TAKE_TIMEOUT_MS);
    await served();
    const run = (await testDb().collection(COLLECTIONS.syncRuns).doc(answer.runId).get()).data();
    expect(run).to.include({ trigger: "admin", checked: 1, updated: 1, adminRequests: 1 });
    expect(await requestOf(answer.requestId)).to.include({ state: "done", checked: 1, updated: 1 });
    console.log(
      `      admin request -> answer ${answeredMs} ms, first order asked ${asks(trx(young))[0].at - asked} ms`,
    );
  });

  it("leaves the request to the run holding the lease, never waiting on it; the next run takes it", async () => {
    await placeOrder(standIn, "young-3", "completed");
    // A lease whose holder never listens (a run that crashed a moment ago).
    await testDb()
      .collection(COLLECTIONS.leases)
      .doc(SYNC_LEASE)
      .set({ holder: "gone", expiresAt: Timestamp.fromMillis(Date.now() + 60_000) });
    const served = serveRequests();
    const answer = await syncForAdmin(deps(), "admin-1", 1_500);
    await served();
    expect(answer).to.include({ outcome: "queued" });
    expect((await testDb().collection(COLLECTIONS.syncRuns).get()).size).to.equal(0);
    await testDb().collection(COLLECTIONS.leases).doc(SYNC_LEASE).delete();
    const next = await runSync(deps(), "schedule");
    expect(await requestOf(answer.requestId)).to.include({ state: "done", runId: next.runId });
    expect(await status("young-3")).to.equal("delivered");
  });

  it("answers queued when no run takes the request in time, and the next run takes it", async () => {
    await placeOrder(standIn, "young-4", "completed");
    const answer = await syncForAdmin(deps(), "admin-1", 500);
    expect(answer).to.include({ outcome: "queued" });
    expect(await requestOf(answer.requestId)).to.include({ state: "waiting" });
    const summary = await runSync(deps(), "schedule");
    expect(summary).to.include({ adminRequests: 1 });
    expect(await requestOf(answer.requestId)).to.include({
      state: "done",
      runId: summary.runId,
      checked: 1,
      updated: 1,
    });
  });
});
