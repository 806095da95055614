import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import { DatamartStandIn } from "../../dev/standins/datamartStandIn";
import { COLLECTIONS } from "../../src/firestore";
import { DatamartClient } from "../../src/providers/datamart";
import { runSync, SYNC_LEASE, type SyncOptions } from "../../src/sync/syncEngine";
import { placeOrder } from "../support/datamart";
import { clearFirestore, testDb } from "../support/firestore";

const HOUR = 3_600_000;

describe("sync engine (Firestore emulator, stand-in Datamart)", () => {
  let standIn: DatamartStandIn;

  before(async () => {
    standIn = await DatamartStandIn.start();
  });
  after(() => standIn.close());
  beforeEach(async () => {
    standIn.reset();
    standIn.options.latencyMs = 0;
    standIn.setRatePerMinute(undefined);
    await clearFirestore();
  });

  function sync(options: Partial<SyncOptions> = {}, now?: () => Date) {
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
          backoffMinutes: [1, 2, 5, 10, 15, 30, 60],
          attentionAfterMs: 24 * HOUR,
          pageSize: 5,
          ...options,
        },
        now,
      },
      "schedule",
    );
  }

  const order = async (id: string) =>
    (await testDb().collection(COLLECTIONS.transactions).doc(id).get()).data()!;
  const requested = () => standIn.requests.map((r) => r.reference);

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
    expect(summary).to.include({ stoppedEarly: "time-budget", discoveryComplete: false });
    expect(standIn.requests).to.have.length(1);
    const runs = await testDb().collection(COLLECTIONS.syncRuns).get();
    expect(runs.docs.map((d) => d.get("stoppedEarly") as string)).to.deep.equal(["time-budget"]);
    // The lease is free and the next run picks up the two orders never asked (the 429'd one waits
    // for its own next check, a minute later).
    const next = await sync({ concurrency: 1 });
    expect(next.skipped).to.equal(false);
    expect(next.checked).to.equal(2);
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
      discoveryComplete: false,
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
    const later = new Date(Date.now() + 2 * 60_000);
    const next = await sync({ concurrency: 1 }, () => later);
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
    expect((await order("b")).sync).to.include({
      lastError: 'unknown Datamart status "on_hold"',
      lastDatamartStatus: "on_hold",
    });
  });

  it("checks an unchanged order later and later", async () => {
    const t0 = Date.parse("2026-11-26T10:00:00.000Z");
    await placeOrder(standIn, "slow", "processing", { timestamp: new Date(t0).toISOString() });
    const at = (minutes: number) => () => new Date(t0 + minutes * 60_000);
    const checksAt = async (minutes: number) => {
      const before = standIn.requests.length;
      await sync({}, at(minutes));
      return standIn.requests.length - before;
    };
    expect(await checksAt(0)).to.equal(1);
    expect((await order("slow")).sync).to.include({ attempts: 1, lane: "fresh" });
    expect(await checksAt(0.5)).to.equal(0);
    expect(await checksAt(1)).to.equal(1); // next after 2 min
    expect(await checksAt(2)).to.equal(0);
    expect(await checksAt(3)).to.equal(1); // next after 5 min
    expect(await checksAt(7)).to.equal(0);
    expect(await checksAt(8)).to.equal(1);
    const sync3 = (await order("slow")).sync as { nextCheckAt: Timestamp; attempts: number };
    expect(sync3.attempts).to.equal(4);
    expect(sync3.nextCheckAt.toMillis()).to.equal(t0 + 18 * 60_000);
  });

  it("does not advance an order's backoff when Datamart fails for a passing reason (5xx, 429)", async () => {
    const t0 = Date.parse("2026-11-26T10:00:00.000Z");
    await placeOrder(standIn, "flaky", "processing", { timestamp: new Date(t0).toISOString() });
    await sync({}, () => new Date(t0)); // attempts 1: next check after 1 minute
    const failures = [
      { httpStatus: 503, body: "down" },
      { httpStatus: 429, body: "{}", headers: { "Retry-After": "0" } },
    ];
    for (const [i, reply] of failures.entries()) {
      standIn.setOutage(reply);
      await sync({ maxConsecutiveFailures: 10 }, () => new Date(t0 + (i + 1) * 60_000));
      standIn.setOutage(undefined);
      const state = (await order("flaky")).sync as { attempts: number; nextCheckAt: Timestamp };
      expect(state.attempts, `after ${reply.httpStatus}`).to.equal(1);
      expect(state.nextCheckAt.toMillis()).to.equal(t0 + (i + 2) * 60_000);
    }
  });

  it("keeps asking hourly about an order Datamart called failed, and delivers it when Datamart does", async () => {
    const t0 = Date.parse("2026-11-26T10:00:00.000Z");
    await testDb().collection(COLLECTIONS.users).doc("user-1").set({ walletBalance: 10 });
    const placed = await placeOrder(standIn, "late", "failed", { amount: 5 });
    await sync({}, () => new Date(t0));
    expect(await order("late")).to.deep.include({ status: "failed" });
    expect((await order("late")).sync).to.include({ lane: "watch" });
    expect((await order("late")).refund).to.include({ state: "credited" });

    // Within the hour nothing is asked; an hour later Datamart still says failed.
    standIn.resetCounters();
    await sync({}, () => new Date(t0 + 30 * 60_000));
    expect(standIn.requests).to.have.length(0);
    const stillFailed = await sync({}, () => new Date(t0 + HOUR));
    expect(stillFailed.watched).to.equal(1);
    expect((await order("late")).status).to.equal("failed");

    // Two hours in, Datamart has delivered it after all.
    standIn.setStatus(String(placed.datamartTransactionId), "completed");
    const delivered = await sync({}, () => new Date(t0 + 2 * HOUR));
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
    await sync({}, () => new Date(t0));
    expect(await order("cancelled")).to.not.have.property("sync");
    standIn.resetCounters();
    for (let hour = 1; hour <= 25; hour++) await sync({}, () => new Date(t0 + hour * HOUR));
    expect(standIn.requests.length).to.be.within(23, 24);
    expect(await order("gone")).to.not.have.property("sync");
  });

  it("moves an order to the slow lane at the last backoff step", async () => {
    const t0 = Date.now();
    await placeOrder(standIn, "s", "processing");
    for (const minutes of [0, 1, 3])
      await sync({ backoffMinutes: [1, 2, 60] }, () => new Date(t0 + minutes * 60_000));
    expect((await order("s")).sync).to.include({ attempts: 3, lane: "slow" });
  });

  it("flags an order open for a day as needing attention, once, and polls it hourly", async () => {
    const now = Date.now();
    await placeOrder(standIn, "stuck", "processing", {
      timestamp: new Date(now - 25 * HOUR).toISOString(),
    });
    const first = await sync({}, () => new Date(now));
    expect(first).to.include({ newlyNeedsAttention: 1, needsAttention: 1 });
    const flagged = (await order("stuck")).sync as Record<string, unknown>;
    expect(flagged).to.include({ needsAttention: true, lane: "slow" });
    expect(flagged.needsAttentionReason).to.contain("24 h");
    expect((flagged.nextCheckAt as Timestamp).toMillis()).to.equal(now + 60 * 60_000);

    const second = await sync({}, () => new Date(now + 61 * 60_000));
    expect(second).to.include({ checked: 1, newlyNeedsAttention: 0, needsAttention: 1 });
    const admins = await testDb()
      .collection(COLLECTIONS.transactions)
      .where("sync.needsAttention", "==", true)
      .get();
    expect(admins.docs.map((d) => d.id)).to.deep.equal(["stuck"]);

    standIn.setStatus(String((await order("stuck")).datamartTransactionId), "completed");
    const third = await sync({}, () => new Date(now + 122 * 60_000));
    expect(third).to.include({ updated: 1, needsAttention: 0 });
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
    expect((await sync({}, () => new Date(now))).skipped).to.be.true;
    const after = await sync({}, () => new Date(now + 5 * 60_000 + 1));
    expect(after).to.include({ skipped: false, updated: 1 });
    expect((await testDb().collection(COLLECTIONS.leases).doc(SYNC_LEASE).get()).exists).to.be
      .false;
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

  it("finds orders placed after the last run through the discovery window", async () => {
    await placeOrder(standIn, "early", "completed");
    await sync();
    await placeOrder(standIn, "later", "completed");
    await placeOrder(standIn, "later-ts", "completed", { timestamp: Timestamp.now() });
    const summary = await sync();
    expect(summary).to.include({ updated: 2, due: 2 });
  });
});
