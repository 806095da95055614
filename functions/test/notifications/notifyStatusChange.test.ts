import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import { MnotifyStandIn } from "../../dev/standins/mnotifyStandIn";
import { orderSchema } from "../../src/domain/order";
import { getStatusMessage } from "../../src/domain/statusMessages";
import { COLLECTIONS } from "../../src/firestore";
import type { NotificationRecord } from "../../src/notifications/notificationRecord";
import { notifyStatusChange } from "../../src/notifications/notifyStatusChange";
import { retryPendingSms } from "../../src/notifications/retrySms";
import {
  deliverSms,
  SEND_LEASE_MS,
  type SmsDeliveryDeps,
} from "../../src/notifications/smsDelivery";
import { MnotifyClient } from "../../src/providers/mnotify";
import { capturedLogs } from "../../dev/capturedLogs";
import { anOrder, clearFirestore, testDb } from "../support/firestore";

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

  const deps = (maxAttempts = 3): SmsDeliveryDeps => ({
    db: testDb(),
    sms: new MnotifyClient({
      baseUrl: mnotify.baseUrl,
      apiKey: "mn-key",
      senderId: "DataSell",
      timeoutMs: 300,
    }),
    maxAttempts,
    now: () => new Date(clock),
  });
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

  it("sends two messages, in order, for two changes in succession", async () => {
    await notifyStatusChange(deps(), change("pending", "processing"));
    await notifyStatusChange(deps(), change("processing", "delivered"));
    expect(mnotify.messages.map((m) => m.message)).to.deep.equal([
      getStatusMessage("processing", orderSchema.parse(order)),
      getStatusMessage("delivered", orderSchema.parse(order)),
    ]);
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
    expect(failed.lastError).to.include({ code: "4004", transient: false });
    expect(failed.reason).to.contain("not enough SMS credit");

    clock += 3_600_000;
    await retryPendingSms(deps());
    expect(mnotify.requests).to.equal(1);
    expect(mnotify.messages).to.have.length(0);
  });

  it("keeps a message through an mNotify outage (5xx, then timeouts) and sends it once when mNotify is back", async () => {
    mnotify.setOutage({ httpStatus: 503, body: "Service Unavailable" });
    expect(await notifyStatusChange(deps(5), change("processing", "delivered"))).to.deep.equal({
      kind: "recorded",
      state: "PENDING",
    });
    const pending = (await record("delivered"))!;
    expect(pending).to.include({ state: "PENDING", attempts: 1 });
    expect(pending.nextAttemptAt!.toMillis()).to.equal(clock + 60_000);

    // Not due yet: nothing is tried.
    expect((await retryPendingSms(deps(5))).retried).to.equal(0);
    clock += 60_000;
    mnotify.setOutage({ httpStatus: 200, body: "{}", delayMs: 1_000 });
    expect(await retryPendingSms(deps(5))).to.include({ retried: 1, stillPending: 1 });
    expect((await record("delivered"))!.lastError).to.include({ kind: "timeout", transient: true });

    mnotify.setOutage(undefined);
    clock += 2 * 60_000;
    expect(await retryPendingSms(deps(5))).to.include({ retried: 1, sent: 1 });
    clock += 60 * 60_000;
    expect((await retryPendingSms(deps(5))).retried).to.equal(0);
    expect(mnotify.messages).to.have.length(1);
    expect((await record("delivered"))!).to.include({ state: "SENT", attempts: 3 });
  });

  it("gives up as FAILED after the maximum attempts, countable by admins", async () => {
    mnotify.setOutage({ httpStatus: 500, body: "oops" });
    await notifyStatusChange(deps(2), change("processing", "cancelled"));
    clock += 60 * 60_000;
    const summary = await retryPendingSms(deps(2));
    expect(summary).to.include({ retried: 1, failed: 1, failedTotal: 1 });
    expect((await record("cancelled"))!).to.include({
      state: "FAILED",
      reason: "gave up after 2 attempts",
    });
  });

  it("closes a claim whose sender died mid-send as FAILED without sending it again", async () => {
    const ref = testDb().collection(COLLECTIONS.orderNotifications).doc("order-1_delivered");
    await ref.set({
      state: "PROCESSING",
      recipient: "233241234567",
      message: "x",
      attempts: 1,
      leaseExpiresAt: Timestamp.fromMillis(clock + SEND_LEASE_MS),
    });
    expect((await retryPendingSms(deps())).stuck).to.equal(0);
    clock += SEND_LEASE_MS + 1;
    expect((await retryPendingSms(deps())).stuck).to.equal(1);
    expect((await ref.get()).get("state")).to.equal("FAILED");
    expect(mnotify.requests).to.equal(0);
  });

  it("sends only a PENDING record: SENT, PROCESSING, FAILED and SKIPPED ones are left alone", async () => {
    const records = testDb().collection(COLLECTIONS.orderNotifications);
    for (const state of ["SENT", "PROCESSING", "FAILED", "SKIPPED"]) {
      const ref = records.doc(`order-1_${state}`);
      await ref.set({
        transactionId: "order-1",
        status: "delivered",
        channel: "sms",
        recipient: "233241234567",
        message: "hello",
        state,
        attempts: 1,
      });
      expect(await deliverSms(deps(), ref), state).to.equal(undefined);
      expect((await ref.get()).get("state")).to.equal(state);
    }
    expect(mnotify.messages).to.have.length(0);
  });

  it("sends a PENDING record once when two sweeps claim it at the same time", async () => {
    const ref = testDb().collection(COLLECTIONS.orderNotifications).doc("order-1_delivered");
    await ref.set({
      transactionId: "order-1",
      status: "delivered",
      channel: "sms",
      recipient: "233241234567",
      message: "hello",
      state: "PENDING",
      attempts: 0,
    });
    const states = await Promise.all([deliverSms(deps(), ref), deliverSms(deps(), ref)]);
    expect(states.filter((s) => s === "SENT")).to.have.length(1);
    expect(mnotify.messages).to.have.length(1);
  });

  it("never logs a full phone number", async () => {
    mnotify.replyNext({ httpStatus: 503, body: "down" });
    await notifyStatusChange(deps(), change("processing", "delivered"));
    clock += 60_000;
    await retryPendingSms(deps());
    const logs = JSON.stringify(capturedLogs);
    expect(capturedLogs.length).to.be.greaterThan(1);
    expect(logs).to.contain("23324*****67");
    expect(logs).not.to.match(/233241234567|0241234567|024 123 4567/);
  });
});
