import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import { CLAIM_LEASE_MS } from "../../src/notifications/delivery";
import type { NotifyDeps } from "../../src/notifications/notifyStatusChange";
import { emailChannel } from "../../src/notifications/emailChannel";
import { runNotificationSweep } from "../../src/notifications/sweep";
import { clearFirestore, testDb } from "../support/firestore";
import { COLLECTIONS } from "../../src/contract";
import { heldClock } from "../../dev/clocks";

describe("email through the Trigger Email queue (Firestore emulator)", () => {
  let clock: number;
  beforeEach(async () => {
    clock = Date.now();
    await clearFirestore();
    await testDb().collection(COLLECTIONS.users).doc("u-1").set({ email: "ama@datasell.test" });
  });

  const deps = (): NotifyDeps => ({
    db: testDb(),
    channels: {
      email: emailChannel({
        db: testDb(),
        collection: "mail",
        authEmail: () => Promise.resolve(undefined),
        retentionMs: 90 * 86_400_000,
      }),
    },
    retryWindowMs: 6 * 3_600_000,
    maxOrderAgeMs: 48 * 3_600_000,
    retention: { messagesMs: 90 * 86_400_000, runsMs: 30 * 86_400_000 },
    clock: heldClock(() => clock),
  });

  /** An email record of customer u-1, as the trigger writes it. */
  const storeRecord = async (orderId: string, status: string, fields: Record<string, unknown>) => {
    const record = testDb()
      .collection(COLLECTIONS.orderNotifications)
      .doc(`${orderId}_${status}_email`);
    await record.set({
      transactionId: orderId,
      userId: "u-1",
      status,
      channel: "email",
      recipient: "u-1",
      recipientMasked: "",
      message: `Your order ${orderId} is ${status}.`,
      createdAt: Timestamp.fromMillis(clock),
      ...fields,
    });
    return record;
  };

  it("queues the message once even when its sender died after queueing it: the send is idempotent", async () => {
    const record = await storeRecord("o-1", "delivered", {
      state: "PROCESSING",
      attempts: 1,
      sendStartedAt: Timestamp.fromMillis(clock),
      leaseExpiresAt: Timestamp.fromMillis(clock + CLAIM_LEASE_MS),
    });
    // The dead sender had queued it already.
    await testDb().collection("mail").doc("o-1_delivered").set({ to: "ama@datasell.test" });
    clock += 5 * 60_000;
    expect(await runNotificationSweep(deps(), { timeBudgetMs: 60_000, concurrency: 2 })).to.include(
      {
        recoveredToPending: 1,
        recoveredAsUnknown: 0,
      },
    );
    clock += 5 * 60_000;
    await runNotificationSweep(deps(), { timeBudgetMs: 60_000, concurrency: 2 });
    expect((await record.get()).get("state")).to.equal("SENT");
    expect((await testDb().collection("mail").get()).size).to.equal(1);
  });

  it("queues a pending message as the Trigger Email extension's document, dated for Firestore's TTL", async () => {
    const record = await storeRecord("o-3", "delivered", {
      state: "PENDING",
      attempts: 0,
      nextAttemptAt: Timestamp.fromMillis(clock),
    });
    await runNotificationSweep(deps(), { timeBudgetMs: 60_000, concurrency: 2 });
    expect((await record.get()).get("state")).to.equal("SENT");
    const mail = await testDb().collection("mail").doc("o-3_delivered").get();
    expect(mail.get("to")).to.equal("ama@datasell.test");
    expect((mail.get("expireAt") as Timestamp).toMillis()).to.be.closeTo(
      Date.now() + 90 * 86_400_000,
      60_000,
    );
  });

  it("reads the extension's delivery state back as the delivery report", async () => {
    const record = await storeRecord("o-2", "failed", {
      state: "PENDING",
      attempts: 0,
      nextAttemptAt: Timestamp.fromMillis(clock),
    });
    await runNotificationSweep(deps(), { timeBudgetMs: 60_000, concurrency: 2 });
    const mail = testDb().collection("mail").doc("o-2_failed");
    expect((await mail.get()).get("to")).to.equal("ama@datasell.test");
    await mail.update({ delivery: { state: "ERROR", error: "550 mailbox unavailable" } });
    clock += 6 * 60_000;
    await runNotificationSweep(deps(), { timeBudgetMs: 60_000, concurrency: 2 });
    expect((await record.get()).get("report.state")).to.equal("undelivered");
  });
});
