import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import { MnotifyStandIn } from "../../dev/standins/mnotifyStandIn";
import { orderSchema } from "../../src/domain/order";
import { getStatusMessage } from "../../src/domain/statusMessages";
import type { NotificationRecord } from "../../src/notifications/notificationRecord";
import { notifyStatusChange, type NotifyDeps } from "../../src/notifications/notifyStatusChange";
import { CLAIM_LEASE_MS, deliver } from "../../src/notifications/delivery";
import { smsChannel } from "../../src/notifications/smsChannel";
import { runNotificationSweep, SWEEP_LEASE } from "../../src/notifications/sweep";
import { tryAcquireLease } from "../../src/platform/lease";
import { MnotifyClient } from "../../src/providers/mnotify";
import { capturedLogs } from "../../dev/capturedLogs";
import { anOrder, clearFirestore, dailyFigures, testDb } from "../support/firestore";
import { COLLECTIONS } from "../../src/contract";
import { summarize } from "../../src/domain/dailyStats";
import { heldClock } from "../../dev/clocks";

describe("SMS on status change (Firestore emulator, stand-in mNotify)", () => {
  let mnotify: MnotifyStandIn;
  let clock: number;

  before(async () => {
    mnotify = await MnotifyStandIn.start({ apiKey: "mn-key" });
  });
  after(() => mnotify.close());
  beforeEach(async () => {
    mnotify.reset();
    capturedLogs.length = 0;
    clock = Date.now();
    await clearFirestore();
  });

  const deps = (retryHours = 6): NotifyDeps => ({
    db: testDb(),
    channels: {
      sms: smsChannel(
        new MnotifyClient({
          baseUrl: mnotify.baseUrl,
          apiKey: "mn-key",
          senderId: "DataSell",
          timeoutMs: 300,
        }),
        300,
      ),
    },
    retryWindowMs: retryHours * 3_600_000,
    maxOrderAgeMs: 48 * 3_600_000,
    retention: { messagesMs: 90 * 86_400_000, runsMs: 30 * 86_400_000 },
    clock: heldClock(() => clock),
  });
  /** A stored SMS record for order-1's delivered message, as the trigger writes it. */
  const aRecord = (fields: Record<string, unknown>) => ({
    transactionId: "order-1",
    status: "delivered",
    channel: "sms",
    recipient: "233241234567",
    recipientMasked: "23324*****67",
    message: "hello",
    attempts: 0,
    createdAt: Timestamp.fromMillis(clock),
    ...fields,
  });
  const sweep = (d = deps()) => runNotificationSweep(d, { timeBudgetMs: 60_000, concurrency: 2 });
  const order = anOrder({ phoneNumber: "024 123 4567" });
  const change = (from: string, to: string, extra: Record<string, unknown> = {}) => ({
    transactionId: "order-1",
    before: { ...order, status: from },
    after: { ...order, status: to, ...extra },
  });
  const record = async (status: string) =>
    (
      await testDb().collection(COLLECTIONS.orderNotifications).doc(`order-1_${status}`).get()
    ).data() as NotificationRecord | undefined;

  it("dates every record, the in-app notification and the sweep's summary for Firestore's TTL", async () => {
    await testDb().collection(COLLECTIONS.users).doc(String(order.userId)).set({});
    await notifyStatusChange(deps(), change("processing", "delivered"));
    await sweep();
    const DAY = 86_400_000;
    const expiry = (doc: { get(field: string): unknown }) =>
      (doc.get("expireAt") as Timestamp).toMillis();
    const records = await testDb().collection(COLLECTIONS.orderNotifications).get();
    expect(records.size).to.equal(3);
    for (const r of records.docs) expect(expiry(r)).to.equal(clock + 90 * DAY);
    const inApp = await testDb()
      .collection(COLLECTIONS.users)
      .doc(String(order.userId))
      .collection(COLLECTIONS.inAppNotifications)
      .get();
    expect(inApp.docs.map(expiry)).to.deep.equal([clock + 90 * DAY]);
    const [summary] = (await testDb().collection(COLLECTIONS.notificationSweeps).get()).docs;
    expect(expiry(summary)).to.be.closeTo(Date.now() + 30 * DAY, 60_000);
  });

  it("sends one SMS with the number and text for the new status, and records it SENT", async () => {
    const outcome = await notifyStatusChange(deps(), change("processing", "delivered"));
    expect(outcome).to.deep.equal({ kind: "recorded", state: "SENT" });
    expect(mnotify.messages).to.have.length(1);
    const [sms] = mnotify.messages;
    expect(sms).to.include({ recipient: "233241234567", sender: "DataSell" });
    expect(sms.message).to.equal(getStatusMessage("delivered", orderSchema.parse(order)));

    const sent = (await record("delivered"))!;
    expect(sent).to.include({
      state: "SENT",
      channel: "sms",
      attempts: 1,
      recipientMasked: "23324*****67",
      status: "delivered",
    });
    expect(sent.providerIds?.campaignId).to.equal(sms.campaignId);
    expect(sent.sentAt).to.be.instanceOf(Timestamp);
  });

  it("writes the in-app notification for the order's user once", async () => {
    await notifyStatusChange(deps(), change("processing", "refunded"));
    await notifyStatusChange(deps(), change("processing", "refunded"));
    const inbox = await testDb()
      .collection(COLLECTIONS.users)
      .doc("user-1")
      .collection(COLLECTIONS.inAppNotifications)
      .get();
    expect(inbox.size).to.equal(1);
    expect(inbox.docs[0].data()).to.include({
      title: "Payment refunded",
      status: "refunded",
      transactionId: "order-1",
      read: false,
    });
    expect(inbox.docs[0].get("body")).to.contain("your payment has been refunded");
  });

  it("does nothing and writes nothing when only bookkeeping changed", async () => {
    const outcome = await notifyStatusChange(
      deps(),
      change("processing", "processing", { sync: { attempts: 3 } }),
    );
    expect(outcome.kind).to.equal("no-status-change");
    expect(await notifyStatusChange(deps(), change("success", "processing"))).to.deep.equal({
      kind: "no-status-change",
    });
    expect((await testDb().collection(COLLECTIONS.orderNotifications).get()).size).to.equal(0);
    expect(mnotify.requests).to.equal(0);
  });

  it("sends one SMS when the same event is delivered three times, even at once", async () => {
    const outcomes = await Promise.all(
      [1, 2, 3].map(() => notifyStatusChange(deps(), change("processing", "failed"))),
    );
    await notifyStatusChange(deps(), change("processing", "failed"));
    expect(mnotify.messages).to.have.length(1);
    expect(outcomes.filter((o) => o.kind === "already-claimed")).to.have.length(2);
  });

  it("counts a final change in the day's figures once, however often its event comes; not a processing one, nor an old order's correction", async () => {
    const placed = new Date(clock - 7 * 60_000).toISOString();
    const synced = { timestamp: placed, lastSyncedAt: Timestamp.fromMillis(clock) };
    await notifyStatusChange(deps(), change("pending", "processing", synced));
    await Promise.all(
      [1, 2, 3].map(() => notifyStatusChange(deps(), change("processing", "delivered", synced))),
    );
    const old = { timestamp: new Date(clock - 72 * 3_600_000).toISOString() };
    await notifyStatusChange(deps(), { ...change("success", "failed", old), transactionId: "old" });

    const at = new Date(clock).toISOString();
    expect(await dailyFigures()).to.deep.equal({
      [`${at.slice(0, 10)}_MTN`]: {
        finals: { delivered: 1 },
        byHour: { [at.slice(11, 13)]: { delivered: 1 } },
        deliveryMinutes: { "10": 1 },
      },
    });
  });

  it("sends two messages, in order, for two changes in succession", async () => {
    await notifyStatusChange(deps(), change("pending", "processing"));
    await notifyStatusChange(deps(), change("processing", "delivered"));
    expect(mnotify.messages.map((m) => m.message)).to.deep.equal([
      getStatusMessage("processing", orderSchema.parse(order)),
      getStatusMessage("delivered", orderSchema.parse(order)),
    ]);
  });

  it("tells nothing of a change to an order placed more than 48 hours ago, recording why on every channel", async () => {
    const old = { timestamp: new Date(clock - 72 * 3_600_000).toISOString() };
    const outcome = await notifyStatusChange(deps(), change("success", "delivered", old));
    expect(outcome).to.deep.equal({ kind: "recorded", state: "SKIPPED" });
    expect((await record("delivered"))?.reason).to.match(/too late to tell/);
    expect(mnotify.messages).to.have.length(0);
    const inbox = await testDb()
      .collection(COLLECTIONS.users)
      .doc("user-1")
      .collection(COLLECTIONS.inAppNotifications)
      .get();
    expect(inbox.size).to.equal(0);
  });

  it("still tells a late delivery of a failed order within its watch, however old the order", async () => {
    const old = { timestamp: new Date(clock - 72 * 3_600_000).toISOString() };
    const watched = {
      ...order,
      ...old,
      status: "failed",
      sync: { watchUntil: Timestamp.fromMillis(clock + 3_600_000) },
    };
    await notifyStatusChange(deps(), {
      transactionId: "order-1",
      before: watched,
      after: { ...order, ...old, status: "delivered" },
    });
    expect(mnotify.messages).to.have.length(1);
    // Past its watch, the same late delivery is not told.
    await clearFirestore();
    await notifyStatusChange(deps(), {
      transactionId: "order-1",
      before: { ...watched, sync: { watchUntil: Timestamp.fromMillis(clock - 1) } },
      after: { ...order, ...old, status: "delivered" },
    });
    expect(mnotify.messages).to.have.length(1);
    expect((await record("delivered"))?.reason).to.match(/too late to tell/);
  });

  it("tells nothing of an order the cutover marked, whatever its age", async () => {
    await notifyStatusChange(
      deps(),
      change("success", "failed", { cutover: { markedAt: Timestamp.fromMillis(clock) } }),
    );
    expect(mnotify.messages).to.have.length(0);
    expect((await record("failed"))?.reason).to.equal(
      "open at switch-on: its status is corrected without a message",
    );
  });

  it("tells a processing customer what to expect from supplier health's figures, within one SMS", async () => {
    const checkedAt = Timestamp.fromMillis(clock - 60_000);
    const last7d = {
      MTN: summarize([{ day: "d", network: "MTN", deliveryMinutes: { "10": 40 } }]),
    };
    await testDb()
      .collection(COLLECTIONS.supplierHealth)
      .doc("current")
      .set({ checkedAt, delivery: { last7d }, trackerMessage: null });
    await notifyStatusChange(deps(), change("failed", "processing"));
    const [sms] = mnotify.messages;
    expect(sms.message).to.contain("is being processed. Nearly all arrive within 10 min.");
    expect(sms.message).to.have.length.at.most(160);
    expect((await record("processing"))?.message).to.equal(sms.message);
  });

  it("does not send an out-of-date processing message after a final status", async () => {
    await notifyStatusChange(deps(), change("processing", "delivered"));
    const late = await notifyStatusChange(deps(), change("pending", "processing"));
    expect(late).to.deep.equal({ kind: "recorded", state: "SKIPPED" });
    expect((await record("processing"))?.reason).to.equal(
      "out of date: the order is already delivered",
    );
    expect(mnotify.messages).to.have.length(1);
  });

  it("skips an invalid phone number with a reason and sends nothing", async () => {
    const outcome = await notifyStatusChange(
      deps(),
      change("processing", "delivered", { phoneNumber: "12345" }),
    );
    expect(outcome).to.deep.equal({ kind: "recorded", state: "SKIPPED" });
    expect((await record("delivered"))!).to.include({
      state: "SKIPPED",
      reason: "invalid phone number",
      recipient: null,
    });
    expect(mnotify.requests).to.equal(0);
  });

  it("records a permanent failure FAILED with mNotify's code and never retries it", async () => {
    mnotify.replyNext({
      httpStatus: 200,
      body: JSON.stringify({ status: "error", code: "4004", message: "Insufficient credit" }),
    });
    expect(await notifyStatusChange(deps(), change("processing", "delivered"))).to.deep.equal({
      kind: "recorded",
      state: "FAILED",
    });
    const failed = (await record("delivered"))!;
    expect(failed.lastError).to.include({ code: "4004" });
    expect(failed.reason).to.contain("not enough SMS credit");

    clock += 3_600_000;
    await sweep();
    expect(mnotify.requests).to.equal(1);
    expect(mnotify.messages).to.have.length(0);
  });

  it("keeps a message through an mNotify outage (503, then refused connections) and sends it once when mNotify is back", async () => {
    mnotify.setOutage({ httpStatus: 503, body: "Service Unavailable" });
    expect(await notifyStatusChange(deps(), change("processing", "delivered"))).to.deep.equal({
      kind: "recorded",
      state: "PENDING",
    });
    const pending = (await record("delivered"))!;
    expect(pending).to.include({ state: "PENDING", attempts: 1 });
    expect(pending.nextAttemptAt!.toMillis()).to.equal(clock + 60_000);

    // Not due yet: nothing is tried.
    expect((await sweep()).tried).to.equal(0);
    clock += 60_000;
    mnotify.setOutage({ httpStatus: 429, body: "{}" });
    expect(await sweep()).to.deep.include({ tried: 1, outcomes: { PENDING: 1 } });
    expect((await record("delivered"))!.lastError).to.include({
      kind: "rate-limited",
      status: 429,
    });

    mnotify.setOutage(undefined);
    clock += 2 * 60_000;
    expect(await sweep()).to.deep.include({ tried: 1, outcomes: { SENT: 1 } });
    clock += 60 * 60_000;
    expect((await sweep()).tried).to.equal(0);
    expect(mnotify.messages).to.have.length(1);
    expect((await record("delivered"))!).to.include({ state: "SENT", attempts: 3 });
  });

  it("keeps trying through a 5-hour outage with capped backoff, and gives up only after the retry window", async () => {
    mnotify.setOutage({ httpStatus: 503, body: "down" });
    await notifyStatusChange(deps(), change("processing", "cancelled"));
    const start = clock;
    let tries = 1;
    while (clock - start < 5 * 3_600_000) {
      clock += 5 * 60_000; // the sweep's schedule
      tries += (await sweep()).tried;
    }
    const during = (await record("cancelled"))!;
    expect(during.state).to.equal("PENDING");
    expect(tries).to.be.within(10, 15); // 1, 2, 4, 8, 15, then every 30 minutes
    mnotify.setOutage(undefined);
    clock += 30 * 60_000;
    await sweep();
    expect((await record("cancelled"))!.state).to.equal("SENT");
    expect(mnotify.messages).to.have.length(1);
  });

  it("records FAILED once the retry window is over, with the reason, countable by admins", async () => {
    mnotify.setOutage({ httpStatus: 503, body: "down" });
    await notifyStatusChange(deps(1), change("processing", "cancelled"));
    for (let i = 0; i < 14; i++) {
      clock += 5 * 60_000;
      await sweep(deps(1));
    }
    const failed = (await record("cancelled"))!;
    expect(failed.state).to.equal("FAILED");
    expect(failed.reason).to.match(/^gave up after \d+ attempts over \d+ minutes$/);
    const count = await testDb()
      .collection(COLLECTIONS.orderNotifications)
      .where("state", "==", "FAILED")
      .count()
      .get();
    expect(count.data().count).to.equal(1);
  });

  it("records UNKNOWN, never resends, when mNotify may have taken the message (late answer, reset, 500, 502, 504)", async () => {
    const faults = [
      () => mnotify.acceptThen({ kind: "late", delayMs: 600 }),
      () => mnotify.acceptThen({ kind: "reset" }),
      () => mnotify.replyNext({ httpStatus: 500, body: "oops" }),
      () => mnotify.replyNext({ httpStatus: 502, body: "bad gateway" }),
      () => mnotify.replyNext({ httpStatus: 504, body: "gateway timeout" }),
    ];
    for (const [i, inject] of faults.entries()) {
      inject();
      const outcome = await notifyStatusChange(deps(), {
        ...change("processing", "delivered"),
        transactionId: `u-${i}`,
      });
      expect(outcome, `fault ${i}`).to.deep.equal({ kind: "recorded", state: "UNKNOWN" });
    }
    clock += 24 * 3_600_000;
    expect((await sweep()).tried).to.equal(0);
    const unknown = await testDb()
      .collection(COLLECTIONS.orderNotifications)
      .where("state", "==", "UNKNOWN")
      .get();
    expect(unknown.size).to.equal(faults.length);
    for (const doc of unknown.docs) expect(doc.get("reason")).to.match(/^outcome unknown: /);
  });

  it("finishes every state a crash leaves within one sweep: created, claimed, sending", async () => {
    const records = testDb().collection(COLLECTIONS.orderNotifications);

    // Created, never claimed (the trigger died after its transaction).
    await records.doc("c-created").set(
      aRecord({
        transactionId: "c-created",
        state: "PENDING",
        nextAttemptAt: Timestamp.fromMillis(clock),
      }),
    );
    // Claimed, died before the request: nothing went out.
    await records.doc("c-claimed").set(
      aRecord({
        transactionId: "c-claimed",
        state: "PROCESSING",
        attempts: 1,
        leaseExpiresAt: Timestamp.fromMillis(clock + CLAIM_LEASE_MS),
      }),
    );
    // Died while sending: the request may have gone out.
    await records.doc("c-sending").set(
      aRecord({
        transactionId: "c-sending",
        state: "PROCESSING",
        attempts: 1,
        sendStartedAt: Timestamp.fromMillis(clock),
        leaseExpiresAt: Timestamp.fromMillis(clock + CLAIM_LEASE_MS),
      }),
    );
    clock += 5 * 60_000; // one sweep interval later
    const summary = await sweep();
    expect(summary).to.include({ recoveredToPending: 1, recoveredAsUnknown: 1 });
    // The claimed one is due at once, so the next sweep sends it.
    clock += 5 * 60_000;
    await sweep();
    const state = async (id: string) => (await records.doc(id).get()).get("state") as string;
    expect(await state("c-created")).to.equal("SENT");
    expect(await state("c-claimed")).to.equal("SENT");
    expect(await state("c-sending")).to.equal("UNKNOWN");
    expect(mnotify.messages).to.have.length(2);
  });

  it("skips a processing message that is still waiting when the order has gone final", async () => {
    await testDb()
      .collection(COLLECTIONS.transactions)
      .doc("order-1")
      .set({ ...order, status: "processing" });
    mnotify.setOutage({ httpStatus: 503, body: "down" });
    await notifyStatusChange(deps(), change("pending", "processing"));
    await testDb()
      .collection(COLLECTIONS.transactions)
      .doc("order-1")
      .update({ status: "delivered" });
    mnotify.setOutage(undefined);
    clock += 5 * 60_000;
    expect(await sweep()).to.deep.include({ outcomes: { SKIPPED: 1 } });
    expect((await record("processing"))!.reason).to.equal(
      "out of date: the order is already delivered",
    );
    expect(mnotify.messages).to.have.length(0);
  });

  it("records what mNotify's delivery report says of a sent message", async () => {
    await notifyStatusChange(deps(), change("processing", "delivered"));
    mnotify.reportStatus = "UNDELIVERED";
    clock += 6 * 60_000;
    expect(await sweep()).to.deep.include({ reportsChecked: 1, reports: { undelivered: 1 } });
    expect((await record("delivered"))!.report?.state).to.equal("undelivered");
    clock += 60 * 60_000;
    expect((await sweep()).reportsChecked).to.equal(0);
  });

  it("tells a status change whose trigger never ran, once, from its history entry; a moved-on one as out of date", async () => {
    const orders = testDb().collection(COLLECTIONS.transactions);
    const history = (id: string, from: string, to: string, ago: number) =>
      orders
        .doc(id)
        .collection(COLLECTIONS.statusHistory)
        .add({ from, to, source: "webhook", at: Timestamp.fromMillis(clock - ago) });
    // Delivered 5 minutes ago; its trigger never ran.
    await orders.doc("lost-1").set({ ...order, status: "delivered" });
    await history("lost-1", "success", "delivered", 5 * 60_000);
    // Failed, then delivered since: its failure is no longer news.
    await orders.doc("lost-2").set({ ...order, status: "delivered" });
    await history("lost-2", "success", "failed", 6 * 60_000);
    // A change a second old is left to its own trigger.
    await orders.doc("fresh-1").set({ ...order, status: "failed" });
    await history("fresh-1", "success", "failed", 1_000);

    const first = await sweep();
    await sweep();
    expect(first.recoveredUntold).to.equal(2);
    expect(mnotify.messages.map((m) => m.message)).to.deep.equal([
      getStatusMessage("delivered", orderSchema.parse(order)),
    ]);
    const ids = (await testDb().collection(COLLECTIONS.orderNotifications).get()).docs.map(
      (d) => d.id,
    );
    expect(ids.filter((id) => !id.includes("_push") && !id.includes("_email"))).to.deep.equal([
      "lost-1_delivered",
      "lost-2_failed",
    ]);
    const moved = await testDb()
      .collection(COLLECTIONS.orderNotifications)
      .doc("lost-2_failed")
      .get();
    expect(moved.data()).to.include({
      state: "SKIPPED",
      reason: "out of date: the order is already delivered",
    });
  });

  it("reaches a lost change behind more told ones than one sweep reads, as a busy half hour has", async () => {
    const orders = testDb().collection(COLLECTIONS.transactions);
    const change = async (id: string, ago: number, told: boolean) => {
      await orders.doc(id).set({ ...order, status: "delivered" });
      await orders
        .doc(id)
        .collection(COLLECTIONS.statusHistory)
        .add({
          from: "success",
          to: "delivered",
          source: "poll",
          at: Timestamp.fromMillis(clock - ago),
        });
      if (told)
        await testDb()
          .collection(COLLECTIONS.orderNotifications)
          .doc(`${id}_delivered`)
          .set(aRecord({ transactionId: id, state: "SENT" }));
    };
    for (let i = 0; i < 6; i++) await change(`told-${i}`, (20 - i) * 60_000, true);
    await change("lost-late", 10 * 60_000, false);
    // Each sweep looks at 4 history entries (twice its batch of 2).
    const small = () =>
      runNotificationSweep(deps(), { timeBudgetMs: 60_000, concurrency: 2, batchSize: 2 });
    for (let i = 0; i < 3; i++) await small();
    expect(mnotify.messages).to.have.length(1);
    const lost = await testDb()
      .collection(COLLECTIONS.orderNotifications)
      .doc("lost-late_delivered")
      .get();
    expect(lost.get("state")).to.equal("SENT");
  });

  it("tells the app's own failed purchase whose trigger never ran, once, though it has no history entry", async () => {
    const orders = testDb().collection(COLLECTIONS.transactions);
    const refused = (minutesAgo: number) => ({
      ...order,
      status: "failed",
      reason: "Insufficient wallet balance",
      datamartTransactionId: null,
      datamartResponse: { status: "error", message: "Insufficient wallet balance" },
      timestamp: new Date(clock - minutesAgo * 60_000).toISOString(),
    });
    await orders.doc("refused-lost").set(refused(5));
    // Placed a moment ago: its own trigger may still be at work.
    await orders.doc("refused-fresh").set(refused(0.5));
    // Placed before the window: long told, or the cutover's business.
    await orders.doc("refused-old").set(refused(45));

    const first = await sweep();
    await sweep();
    expect(first.recoveredUntold).to.equal(1);
    expect(mnotify.messages.map((m) => m.message)).to.deep.equal([
      getStatusMessage("failed", orderSchema.parse(refused(5))),
    ]);
    const ids = (await testDb().collection(COLLECTIONS.orderNotifications).get()).docs.map(
      (d) => d.id,
    );
    expect(ids).to.have.members([
      "refused-lost_failed",
      "refused-lost_failed_push",
      "refused-lost_failed_email",
    ]);
  });

  it("writes a summary of every sweep", async () => {
    await sweep();
    const sweeps = await testDb().collection(COLLECTIONS.notificationSweeps).get();
    expect(sweeps.size).to.equal(1);
    expect(sweeps.docs[0].data()).to.include({ tried: 0, leftForNextSweep: false });
  });

  it("sweeps one at a time: a sweep started while another runs sends nothing and says it was skipped", async () => {
    const ref = testDb().collection(COLLECTIONS.orderNotifications).doc("order-1_delivered");
    await ref.set(aRecord({ state: "PENDING", nextAttemptAt: Timestamp.fromMillis(clock) }));
    const other = await tryAcquireLease(
      testDb(),
      SWEEP_LEASE,
      "other-sweep",
      60_000,
      heldClock(() => clock),
    );
    expect(await sweep()).to.deep.include({ skipped: true, tried: 0 });
    expect(mnotify.messages).to.have.length(0);
    expect((await ref.get()).get("state")).to.equal("PENDING");

    await other!.release();
    expect(await sweep()).to.deep.include({ tried: 1, outcomes: { SENT: 1 } });
    expect(mnotify.messages).to.have.length(1);
  });

  it("sends only a PENDING record: SENT, PROCESSING, FAILED and SKIPPED ones are left alone", async () => {
    const records = testDb().collection(COLLECTIONS.orderNotifications);
    for (const state of ["SENT", "PROCESSING", "FAILED", "SKIPPED"]) {
      const ref = records.doc(`order-1_${state}`);
      await ref.set(aRecord({ state, attempts: 1 }));
      expect(await deliver(deps(), ref), state).to.equal(undefined);
      expect((await ref.get()).get("state")).to.equal(state);
    }
    expect(mnotify.messages).to.have.length(0);
  });

  it("sends a PENDING record once when two sweeps claim it at the same time", async () => {
    const ref = testDb().collection(COLLECTIONS.orderNotifications).doc("order-1_delivered");
    await ref.set(aRecord({ state: "PENDING" }));
    const states = await Promise.all([deliver(deps(), ref), deliver(deps(), ref)]);
    expect(states.filter((s) => s === "SENT")).to.have.length(1);
    expect(mnotify.messages).to.have.length(1);
  });

  it("never logs a full phone number", async () => {
    mnotify.replyNext({ httpStatus: 503, body: "down" });
    await notifyStatusChange(deps(), change("processing", "delivered"));
    clock += 60_000;
    await sweep();
    const logs = JSON.stringify(capturedLogs);
    expect(capturedLogs.length).to.be.greaterThan(1);
    expect(logs).to.contain("23324*****67");
    expect(logs).not.to.match(/233241234567|0241234567|024 123 4567/);
  });
});
