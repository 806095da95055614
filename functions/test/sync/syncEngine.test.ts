import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import { DatamartStandIn } from "../../dev/standins/datamartStandIn";
import { DatamartClient } from "../../src/providers/datamart";
import { adoptIfUnreachable } from "../../src/sync/adoptions";
import { runSync, SYNC_LEASE, type SyncOptions } from "../../src/sync/syncEngine";
import { placeOrder } from "../support/datamart";
import { clearFirestore, testDb } from "../support/firestore";
import { COLLECTIONS } from "../../src/contract";
import { clockAt, heldClock } from "../../dev/clocks";
import type { Clock } from "../../src/platform/clock";

const HOUR = 3_600_000;

describe("sync engine (Firestore emulator, stand-in Datamart)", () => {
  let standIn: DatamartStandIn;

  before(async () => {
    standIn = await DatamartStandIn.start();
  });
  after(() => standIn.close());
  beforeEach(async () => {
    standIn.reset();
    await clearFirestore();
  });

  function sync(
    options: Partial<SyncOptions> = {},
    clock?: Clock,
    trigger: "schedule" | "admin" = "schedule",
  ) {
    return runSync(
      {
        db: testDb(),
        walletRefunds: true,
        failedWatchMs: 24 * HOUR,
        datamart: new DatamartClient({
          baseUrl: standIn.baseUrl,
          apiKey: "test-key",
          timeoutMs: 2_000,
        }),
        options: {
          concurrency: 4,
          ratePerMinute: 60_000,
          timeBudgetMs: 60_000,
          maxConsecutiveFailures: 3,
          freshForMs: HOUR,
          freshIntervalMs: 90_000,
          sweepPeriodMs: HOUR,
          attentionAfterMs: 24 * HOUR,
          pageSize: 5,
          ...options,
        },
        clock,
      },
      trigger,
    );
  }

  const order = async (id: string) =>
    (await testDb().collection(COLLECTIONS.transactions).doc(id).get()).data()!;
  const requested = () => standIn.requests.map((r) => r.reference);
  const sweepLapBegunAt = (at: number) =>
    testDb()
      .collection(COLLECTIONS.syncState)
      .doc("datamartSync")
      .set({ sweep: { cursor: null, lapStartedAt: Timestamp.fromMillis(at) } });

  it("applies what Datamart says and never asks about final orders or orders without a reference", async () => {
    await placeOrder(standIn, "done", "completed");
    await placeOrder(standIn, "broken", "failed");
    await placeOrder(standIn, "waiting", "waiting");
    const final = await placeOrder(standIn, "final", "completed", { status: "delivered" });
    await placeOrder(standIn, "no-ref", "completed", {
      datamartTransactionId: "",
      datamartResponse: null,
    });

    const summary = await sync();

    expect(summary).to.include({
      due: 4,
      checked: 3,
      updated: 2,
      unchanged: 1,
      noReference: 1,
      errors: 0,
    });
    expect((await order("done")).status).to.equal("delivered");
    expect((await order("broken")).status).to.equal("failed");
    expect((await order("waiting")).status).to.equal("processing");
    expect((await order("no-ref")).status).to.equal("processing");
    expect(requested()).to.have.length(3);
    expect(requested()).not.to.include(final.datamartTransactionId);
    const run = await testDb().collection(COLLECTIONS.syncRuns).doc(summary.runId).get();
    expect(run.data()).to.include({
      trigger: "schedule",
      skipped: false,
      updated: 2,
      unchanged: 1,
    });
  });

  it("syncs every due order when there are more than one page", async () => {
    for (let i = 0; i < 12; i++) await placeOrder(standIn, `o${i}`, "completed");
    const summary = await sync({ pageSize: 5 });
    expect(summary).to.include({ due: 12, updated: 12 });
  });

  it("never has more requests in flight than the concurrency limit", async () => {
    standIn.options.latencyMs = 40;
    for (let i = 0; i < 16; i++) await placeOrder(standIn, `o${i}`);
    await sync({ concurrency: 3 });
    expect(standIn.maxInFlight).to.equal(3);
  });

  it("keeps to the rate limit", async () => {
    for (let i = 0; i < 12; i++) await placeOrder(standIn, `o${i}`);
    const perMinute = 1_200; // one request start every 50 ms
    await sync({ concurrency: 8, ratePerMinute: perMinute });
    const starts = standIn.requests.map((r) => r.at).sort((a, b) => a - b);
    expect(starts).to.have.length(12);
    // 12 starts at most one per 50 ms span at least 550 ms; unthrottled, 8 workers take ~20 ms.
    // (The exact spacing is asserted on the limiter itself, where times are not skewed by the network.)
    expect(starts[11] - starts[0]).to.be.at.least(11 * (60_000 / perMinute) - 50);
  });

  it("waits as Datamart's 429 Retry-After says", async () => {
    for (let i = 0; i < 3; i++) await placeOrder(standIn, `o${i}`);
    standIn.replyNext({
      httpStatus: 429,
      body: '{"status":"error"}',
      headers: { "Retry-After": "1" },
    });
    const summary = await sync({ concurrency: 1 });
    expect(summary.errorsByKind).to.deep.equal({ "rate-limited": 1 });
    const [limited, next] = standIn.requests;
    expect(limited.status).to.equal(429);
    expect(next.at - limited.at).to.be.at.least(950);
  });

  it("stops in time when a 429's Retry-After outlives the budget: summary written, lease released, orders left due", async () => {
    for (let i = 0; i < 3; i++) await placeOrder(standIn, `o${i}`);
    standIn.replyNext({
      httpStatus: 429,
      body: '{"status":"error"}',
      headers: { "Retry-After": "3600" },
    });
    const started = Date.now();
    const summary = await sync({ concurrency: 1, timeBudgetMs: 2_000 });
    expect(Date.now() - started).to.be.below(5_000);
    expect(summary).to.include({ stoppedEarly: "time-budget", leftForNextRun: true });
    expect(standIn.requests).to.have.length(1);
    const runs = await testDb().collection(COLLECTIONS.syncRuns).get();
    expect(runs.docs.map((d) => d.get("stoppedEarly") as string)).to.deep.equal(["time-budget"]);
    // The lease is free and the next run checks all three young orders.
    const next = await sync({ concurrency: 1 });
    expect(next.skipped).to.equal(false);
    expect(next.checked).to.equal(3);
  });

  it("ends the run early when Datamart is down, counting the errors and changing no status", async () => {
    for (let i = 0; i < 10; i++) await placeOrder(standIn, `o${i}`, "completed");
    standIn.setOutage({ httpStatus: 503, body: "Service Unavailable" });
    const summary = await sync({ concurrency: 1, maxConsecutiveFailures: 3 });
    expect(summary).to.include({
      stoppedEarly: "provider-down",
      checked: 3,
      errors: 3,
      updated: 0,
      leftForNextRun: true,
    });
    expect(summary.errorsByKind).to.deep.equal({ server: 3 });
    expect(standIn.requests).to.have.length(3);
    const statuses = await testDb()
      .collection(COLLECTIONS.transactions)
      .where("status", "==", "processing")
      .count()
      .get();
    expect(statuses.data().count).to.equal(10);

    standIn.setOutage(undefined);
    const later = Date.now() + 2 * 60_000;
    const next = await sync({ concurrency: 1 }, heldClock(later));
    expect(next).to.include({ updated: 10, errors: 0 });
  });

  it("goes on past a bad answer, an unknown status and an unknown reference", async () => {
    await placeOrder(standIn, "a", "completed");
    await placeOrder(standIn, "b", "on_hold");
    await placeOrder(standIn, "c", "completed");
    await testDb()
      .collection(COLLECTIONS.transactions)
      .doc("ghost")
      .set({
        status: "processing",
        datamartTransactionId: "nope",
        timestamp: new Date(Date.now() - 60_000).toISOString(),
      });
    // Newest first: "c" gets the garbage, the older "ghost" comes last.
    standIn.replyNext({ httpStatus: 200, body: "<html>garbage</html>" });
    const summary = await sync({ concurrency: 1 });
    expect(summary).to.include({ due: 4, checked: 4, unknownStatuses: 1, errors: 2 });
    expect(summary.errorsByKind).to.deep.equal({ "bad-response": 1, "not-found": 1 });
    expect(summary.updated).to.equal(1);
    expect((await order("a")).status).to.equal("delivered");
    expect((await order("b")).sync).to.deep.equal({
      needsAttention: true,
      needsAttentionReason: 'Datamart answers a status this system does not know: "on_hold"',
    });
  });

  it("keeps asking hourly about an order Datamart called failed, and delivers it when Datamart does", async () => {
    const t0 = Date.parse("2026-11-26T10:00:00.000Z");
    await testDb().collection(COLLECTIONS.users).doc("user-1").set({ walletBalance: 10 });
    const placed = await placeOrder(standIn, "late", "failed", { amount: 5 });
    await sync({}, heldClock(t0));
    expect(await order("late")).to.deep.include({ status: "failed" });
    expect((await order("late")).sync).to.have.property("watchUntil");
    expect((await order("late")).refund).to.include({ state: "credited" });

    // Within the hour nothing is asked; an hour later Datamart still says failed.
    standIn.resetCounters();
    await sync({}, heldClock(t0 + 30 * 60_000));
    expect(standIn.requests).to.have.length(0);
    const stillFailed = await sync({}, heldClock(t0 + HOUR));
    expect(stillFailed.watched).to.equal(1);
    expect((await order("late")).status).to.equal("failed");

    // Two hours in, Datamart has delivered it after all.
    standIn.setStatus(String(placed.datamartTransactionId), "completed");
    const delivered = await sync({}, heldClock(t0 + 2 * HOUR));
    expect(delivered).to.include({ watched: 1, updated: 1 });
    const after = await order("late");
    expect(after.status).to.equal("delivered");
    expect(after).to.not.have.property("sync");
    expect(after.refund).to.include({ state: "reversed" });
  });

  it("stops watching a failed order after the watch, and never watches cancelled or refunded ones", async () => {
    const t0 = Date.parse("2026-11-26T10:00:00.000Z");
    await placeOrder(standIn, "gone", "failed");
    await placeOrder(standIn, "cancelled", "cancelled");
    await sync({}, heldClock(t0));
    expect(await order("cancelled")).to.not.have.property("sync");
    standIn.resetCounters();
    for (let hour = 1; hour <= 25; hour++) await sync({}, heldClock(t0 + hour * HOUR));
    expect(standIn.requests).to.have.length(23);
  });

  it("flags an order open for a day as needing attention, once, and polls it hourly", async () => {
    const now = Date.now();
    await placeOrder(standIn, "stuck", "processing", {
      timestamp: new Date(now - 25 * HOUR).toISOString(),
    });
    const first = await sync({}, heldClock(now));
    expect(first).to.include({ newlyNeedsAttention: 1, needsAttention: 1 });
    expect((await order("stuck")).sync).to.deep.equal({
      needsAttention: true,
      needsAttentionReason: "still open 24 h after it was placed",
    });
    // Within the hour it is not asked again.
    expect(await sync({}, heldClock(now + 30 * 60_000))).to.include({ checked: 0 });

    const second = await sync({}, heldClock(now + 61 * 60_000));
    expect(second.swept).to.equal(1);
    expect(second).to.include({ checked: 1, newlyNeedsAttention: 0, needsAttention: 1 });
    const admins = await testDb()
      .collection(COLLECTIONS.transactions)
      .where("sync.needsAttention", "==", true)
      .get();
    expect(admins.docs.map((d) => d.id)).to.deep.equal(["stuck"]);

    standIn.setStatus(String((await order("stuck")).datamartTransactionId), "completed");
    const third = await sync({}, heldClock(now + 122 * 60_000));
    expect(third).to.include({ updated: 1, needsAttention: 0 });
  });

  it("counts an open order with no Datamart reference, and flags it once ten minutes after it was placed", async () => {
    const now = Date.now();
    const noReference = { datamartTransactionId: "", datamartResponse: null };
    await placeOrder(standIn, "just-placed", "processing", {
      ...noReference,
      timestamp: new Date(now - 60_000).toISOString(),
    });
    await placeOrder(standIn, "never-sent", "processing", {
      ...noReference,
      timestamp: new Date(now - 11 * 60_000).toISOString(),
    });
    const first = await sync({}, heldClock(now));
    expect(first).to.include({ noReference: 2, newlyNeedsAttention: 1, needsAttention: 1 });
    expect((await order("never-sent")).sync).to.deep.equal({
      needsAttention: true,
      needsAttentionReason: "open with no Datamart reference to ask about",
    });
    expect(await order("just-placed")).to.not.have.property("sync");
    expect(standIn.requests).to.have.length(0);
    const second = await sync({}, heldClock(now + 60_000));
    expect(second).to.include({ noReference: 2, newlyNeedsAttention: 0, needsAttention: 1 });
  });

  it("lets only one of two simultaneous runs sync; the other is skipped at once", async () => {
    standIn.options.latencyMs = 30;
    for (let i = 0; i < 4; i++) await placeOrder(standIn, `o${i}`, "completed");
    const [a, b] = await Promise.all([sync(), sync()]);
    const skipped = [a, b].filter((s) => s.skipped);
    expect(skipped).to.have.length(1);
    expect(skipped[0].message).to.equal("skipped: another run holds the lease");
    expect(a.updated + b.updated).to.equal(4);
    expect(standIn.requests).to.have.length(4);
    const runs = await testDb().collection(COLLECTIONS.syncRuns).where("skipped", "==", true).get();
    expect(runs.size).to.equal(1);
  });

  it("lets the next run finish the work once a crashed run's lease expires", async () => {
    await placeOrder(standIn, "o1", "completed");
    const now = Date.now();
    await testDb()
      .collection(COLLECTIONS.leases)
      .doc(SYNC_LEASE)
      .set({ holder: "crashed-run", expiresAt: Timestamp.fromMillis(now + 5 * 60_000) });
    // The crashed run's summary, open since it started.
    const crashed = testDb().collection(COLLECTIONS.syncRuns).doc("crashed-run");
    await crashed.set({ runId: "crashed-run", running: true, finishedAt: "" });
    // An admin's sync now, which the crashed run had taken.
    const request = testDb().collection(COLLECTIONS.syncRequests).doc("asked");
    await request.set({ uid: "admin-1", state: "taken", runId: "crashed-run" });
    expect((await sync({}, heldClock(now))).skipped).to.be.true;
    const after = await sync({}, heldClock(now + 5 * 60_000 + 1));
    expect(after).to.include({ skipped: false, updated: 1, adminRequests: 1 });
    expect((await request.get()).data()).to.include({ state: "done", runId: after.runId });
    expect((await testDb().collection(COLLECTIONS.leases).doc(SYNC_LEASE).get()).exists).to.be
      .false;
    // The run that took the expired lease closed the crashed run's summary.
    expect((await crashed.get()).data()).to.include({
      running: false,
      crashed: true,
      finishedAt: new Date(now + 5 * 60_000).toISOString(),
    });
  });

  it("stops taking work when its time budget is spent and leaves the rest for the next run", async () => {
    standIn.options.latencyMs = 60;
    for (let i = 0; i < 10; i++) await placeOrder(standIn, `o${i}`, "completed");
    const first = await sync({ concurrency: 1, timeBudgetMs: 150 });
    expect(first.stoppedEarly).to.equal("time-budget");
    expect(first.updated).to.be.within(1, 5);
    const second = await sync({ concurrency: 4 });
    expect(first.updated + second.updated).to.equal(10);
  });

  it("checks every open order with a Datamart identity in one run, whatever its timestamp", async () => {
    const now = Date.now();
    const young = {
      iso: new Date(now - 60_000).toISOString(),
      timestamp: Timestamp.fromMillis(now - 60_000),
      "epoch-ms": now - 60_000,
      "written-20-min-late": new Date(now - 20 * 60_000).toISOString(),
    };
    const adopted = {
      missing: undefined,
      null: null,
      "not-utc": "2026-11-29T12:00:00+02:00",
      "written-2-h-late": new Date(now - 2 * HOUR).toISOString(),
    };
    for (const [id, timestamp] of Object.entries({ ...young, ...adopted })) {
      await placeOrder(standIn, id, "completed", { timestamp });
      // What the status trigger does on each write (tested through the functions emulator in
      // test/triggers/adoptNewOrder.test.ts).
      await adoptIfUnreachable(
        { db: testDb(), freshForMs: HOUR },
        {
          orderId: id,
          after: await order(id),
          writtenAt: new Date(now),
        },
      );
    }
    const reopenedFrom = await placeOrder(standIn, "reopened", "completed", {
      status: "delivered",
      timestamp: new Date(now - 3 * HOUR).toISOString(),
    });
    const reopened = { ...reopenedFrom, status: "success" };
    await testDb().collection(COLLECTIONS.transactions).doc("reopened").set(reopened);
    await adoptIfUnreachable(
      { db: testDb(), freshForMs: HOUR },
      {
        orderId: "reopened",
        before: reopenedFrom,
        after: reopened,
        writtenAt: new Date(now),
      },
    );
    const adoptions = await testDb().collection(COLLECTIONS.syncAdoptions).get();
    expect(adoptions.docs.map((d) => [d.id, d.get("reason") as string]).sort()).to.deep.equal([
      ["missing", "no-usable-timestamp"],
      ["not-utc", "no-usable-timestamp"],
      ["null", "no-usable-timestamp"],
      ["reopened", "reopened"],
      ["written-2-h-late", "written-late"],
    ]);

    // With the sweep's lap just begun (so it visits nothing), one run finds all nine.
    await sweepLapBegunAt(now);
    const summary = await sync({}, heldClock(now));
    expect(summary).to.include({ updated: 9, adopted: 5, errors: 0 });
    expect((await testDb().collection(COLLECTIONS.syncAdoptions).get()).size).to.equal(0);
  });

  it("finds an open order whose trigger never ran through the sweep, within the sweep period", async () => {
    const now = Date.now();
    for (let i = 0; i < 12; i++)
      await placeOrder(standIn, `lost${i}`, "completed", { timestamp: undefined });
    await sweepLapBegunAt(now);
    const swept: number[] = [];
    for (let run = 1; run <= 12; run++)
      swept.push((await sync({}, heldClock(now + run * 5 * 60_000))).swept);
    // All within the hour, a slice a run (orders it delivered leave the set, so it runs ahead).
    expect(swept.reduce((a, b) => a + b)).to.equal(12);
    expect(Math.max(...swept)).to.equal(2);
    const open = await testDb()
      .collection(COLLECTIONS.transactions)
      .where("status", "==", "processing")
      .get();
    expect(open.size).to.equal(0);
  });

  it("checks orders past their young hour on every run up to 6 hours, then as their age passes each 25-minute mark, up to a day", async () => {
    const now = Date.now();
    const MIN = 60_000;
    const runAt = now + 5 * MIN;
    const placedAgo = (minutes: number) => new Date(runAt - minutes * MIN).toISOString();
    const ages = { threeHours: 180, crossesMark: 637, betweenMarks: 620, twoDays: 2880 };
    const references = new Map<string, string[]>();
    for (const [id, minutes] of Object.entries(ages)) {
      const placed = await placeOrder(standIn, id, "processing", { timestamp: placedAgo(minutes) });
      const response = placed.datamartResponse as Record<string, string>;
      references.set(id, [
        String(placed.datamartTransactionId),
        response.orderReference,
        response.transactionReference,
      ]);
    }
    // The last run's first pass was 5 minutes ago, and its sweep lap has only begun.
    await testDb()
      .collection(COLLECTIONS.syncState)
      .doc("datamartSync")
      .set({
        sweep: { cursor: null, lapStartedAt: Timestamp.fromMillis(now) },
        agingPassAt: Timestamp.fromMillis(now),
      });
    const summary = await sync({}, heldClock(runAt));
    const asked = (id: string) => references.get(id)!.some((r) => requested().includes(r));
    expect(summary).to.include({ aging: 2, swept: 0 });
    expect(Object.keys(ages).filter(asked)).to.deep.equal(["threeHours", "crossesMark"]);
    const state = await testDb().collection(COLLECTIONS.syncState).doc("datamartSync").get();
    expect((state.get("agingPassAt") as Timestamp).toMillis()).to.equal(runAt);
  });

  it("dates its run summary for Firestore's TTL, and keeps it when no retention is set", async () => {
    const at = new Date("2026-12-05T12:00:00Z");
    const held = heldClock(at.getTime());
    const dated = await sync({ runRetentionMs: 30 * 24 * HOUR }, held);
    const kept = await sync({}, held);
    const expiry = async (runId: string) =>
      (await testDb().collection(COLLECTIONS.syncRuns).doc(runId).get()).get("expireAt") as
        Timestamp | undefined;
    expect((await expiry(dated.runId))?.toMillis()).to.equal(at.getTime() + 30 * 24 * HOUR);
    expect(await expiry(kept.runId)).to.equal(undefined);
  });

  it("writes nothing when nothing changed: no bookkeeping on the order, so no trigger wakes", async () => {
    for (let i = 0; i < 6; i++) await placeOrder(standIn, `o${i}`, "processing");
    const updateTimes = async () =>
      (await testDb().collection(COLLECTIONS.transactions).get()).docs.map((d) =>
        d.updateTime.toMillis(),
      );
    const before = await updateTimes();
    const summary = await sync();
    expect(summary).to.include({ checked: 6, unchanged: 6, updated: 0 });
    expect(await updateTimes()).to.deep.equal(before);
  });

  it("re-checks young orders on every pass of a scheduled run while its budget lasts; an admin run makes one pass", async () => {
    await placeOrder(standIn, "young", "processing");
    const placed = await order("young");
    // Production's schedule (a pass every 90 s within a 240 s budget) on a clock 120 times as fast.
    const production = { freshIntervalMs: 90_000, timeBudgetMs: 240_000 };
    const run = sync(production, clockAt(Date.now(), 120));
    // Datamart delivers it 2 minutes into the run, between the second and the third pass.
    setTimeout(() => standIn.setStatus(String(placed.datamartTransactionId), "completed"), 1_000);
    const summary = await run;
    expect(summary.passes).to.equal(3);
    expect(summary).to.include({ updated: 1 });
    expect((await order("young")).status).to.equal("delivered");

    await placeOrder(standIn, "young2", "processing");
    const admin = await sync(production, clockAt(Date.now(), 120), "admin");
    expect(admin).to.include({ passes: 1, checked: 1 });
  });

  it("stopped early, resumes the sweep where it stopped: every old order once, none twice", async () => {
    standIn.options.latencyMs = 60;
    const now = Date.now();
    // Over a day old: only the sweep visits them.
    for (let i = 0; i < 10; i++)
      await placeOrder(standIn, `old${i}`, "processing", {
        timestamp: new Date(now - 30 * HOUR).toISOString(),
      });
    const first = await sync({ concurrency: 1, timeBudgetMs: 200 }, clockAt(now));
    expect(first).to.include({ stoppedEarly: "time-budget", leftForNextRun: true });
    expect(first.swept).to.be.within(1, 6);
    await sync({ concurrency: 2 }, clockAt(now + 60_000));
    expect(requested()).to.have.length(10);
    expect(new Set(requested()).size).to.equal(10);
  });
});
