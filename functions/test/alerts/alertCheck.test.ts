import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import { MnotifyStandIn } from "../../dev/standins/mnotifyStandIn";
import { acknowledgeAlert } from "../../src/alerts/acknowledge";
import { checkAlerts, type AlertDeps } from "../../src/alerts/alertCheck";
import { emailChannel } from "../../src/notifications/emailChannel";
import { smsChannel } from "../../src/notifications/smsChannel";
import { runNotificationSweep } from "../../src/notifications/sweep";
import { MnotifyClient } from "../../src/providers/mnotify";
import { handleDatamartWebhook } from "../../src/webhooks/datamartWebhook";
import { clearFirestore, testDb } from "../support/firestore";
import { COLLECTIONS } from "../../src/contract";
import { heldClock } from "../../dev/clocks";

describe("operators' alerts (Firestore emulator, stand-in mNotify)", () => {
  let mnotify: MnotifyStandIn;
  let clock: number;

  before(async () => {
    mnotify = await MnotifyStandIn.start({ apiKey: "mn-key" });
  });
  after(() => mnotify.close());
  beforeEach(async () => {
    mnotify.reset();
    clock = Date.parse("2026-12-06T10:00:00Z");
    await clearFirestore();
    await goodRun(clock - 60_000);
  });

  const deps = (): AlertDeps => ({
    delivery: {
      db: testDb(),
      channels: {
        sms: smsChannel(
          new MnotifyClient({
            baseUrl: mnotify.baseUrl,
            apiKey: "mn-key",
            senderId: "DataSell",
            timeoutMs: 500,
          }),
          500,
        ),
        email: emailChannel({
          db: testDb(),
          collection: "mail",
          authEmail: () => Promise.resolve(undefined),
          retentionMs: 86_400_000,
        }),
      },
      retryWindowMs: 6 * 3_600_000,
      clock: heldClock(() => clock),
    },
    recipients: { sms: ["233241234567", "233201234567"], email: ["ops@datasell.example"] },
    throttleMs: 6 * 3_600_000,
    messageRetentionMs: 90 * 86_400_000,
    clock: heldClock(() => clock),
  });
  const health = (fields: Record<string, unknown>) =>
    testDb().collection(COLLECTIONS.supplierHealth).doc("current").set(fields);
  const goodRun = (finishedAtMs: number) =>
    testDb()
      .collection(COLLECTIONS.syncRuns)
      .doc(`run-${finishedAtMs}`)
      .set({
        runId: `run-${finishedAtMs}`,
        skipped: false,
        startedAt: new Date(finishedAtMs - 1000).toISOString(),
        finishedAt: new Date(finishedAtMs).toISOString(),
        checked: 3,
        errors: 0,
      });
  const alert = async (id: string) =>
    (await testDb().collection(COLLECTIONS.alerts).doc(id).get()).data();
  const mails = async () =>
    (await testDb().collection("mail").get()).docs.map((d) => d.data() as Record<string, unknown>);

  it("tells every operator once by SMS and email when the balance goes low, and once when it is back", async () => {
    await health({ level: "low", balance: 420, stalledNetworks: [] });
    const first = await checkAlerts(deps());
    expect(first).to.deep.include({ started: ["balance-low"], messages: 3 });
    // A second check while it holds tells nothing more.
    clock += 5 * 60_000;
    await goodRun(clock - 1000);
    expect(await checkAlerts(deps())).to.deep.include({ started: [], messages: 0 });
    expect(mnotify.messages.map((m) => [m.recipient, m.message])).to.have.deep.members([
      ["233241234567", "DataSell alert: Datamart's balance is low: GHS 420.00."],
      ["233201234567", "DataSell alert: Datamart's balance is low: GHS 420.00."],
    ]);
    expect(await mails()).to.have.length(1);
    expect((await mails())[0]).to.deep.include({ to: "ops@datasell.example" });

    await health({ level: "ok", balance: 2_000, stalledNetworks: [] });
    clock += 5 * 60_000;
    await goodRun(clock - 1000);
    expect(await checkAlerts(deps())).to.deep.include({ cleared: ["balance-low"], messages: 3 });
    expect(
      mnotify.messages.filter((m) => m.message.startsWith("DataSell alert cleared")),
    ).to.have.length(2);
    expect(await alert("balance-low")).to.deep.include({ active: false, toldStart: true });
    const records = await testDb()
      .collection(COLLECTIONS.orderNotifications)
      .where("status", "in", ["alert-start", "alert-clear"])
      .get();
    expect(records.docs.map((d) => d.get("state") as string)).to.deep.equal(Array(6).fill("SENT"));
  });

  it("records a restart within the throttle window without telling it again", async () => {
    await health({ level: "critical", balance: 50, stalledNetworks: [] });
    await checkAlerts(deps());
    await health({ level: "ok", balance: 600, stalledNetworks: [] });
    clock += 10 * 60_000;
    await goodRun(clock - 1000);
    await checkAlerts(deps());
    await health({ level: "critical", balance: 40, stalledNetworks: [] });
    clock += 10 * 60_000;
    await goodRun(clock - 1000);
    expect(await checkAlerts(deps())).to.deep.include({
      started: ["balance-critical"],
      messages: 0,
    });
    expect(await alert("balance-critical")).to.deep.include({ active: true, toldStart: false });
    expect(mnotify.messages).to.have.length(4);
  });

  it("keeps an alert's SMS through an mNotify outage and sends it once when mNotify is back", async () => {
    mnotify.setOutage({ httpStatus: 503, body: "Service Unavailable" });
    await health({ level: "unknown", stalledNetworks: ["MTN"] });
    await checkAlerts(deps());
    expect(mnotify.messages).to.have.length(0);
    mnotify.setOutage(undefined);
    clock += 10 * 60_000;
    await runNotificationSweep(
      {
        ...deps().delivery,
        maxOrderAgeMs: 48 * 3_600_000,
        retention: { messagesMs: 1, runsMs: 1 },
      },
      { timeBudgetMs: 30_000, concurrency: 2 },
    );
    expect(mnotify.messages.map((m) => m.message).sort()).to.deep.equal([
      "DataSell alert: Datamart's balance could not be read.",
      "DataSell alert: Datamart's balance could not be read.",
      "DataSell alert: MTN orders are stalled at Datamart.",
      "DataSell alert: MTN orders are stalled at Datamart.",
    ]);
  });

  it("alerts on a stale sync, piled-up messages, waiting refunds, new cases and a spike of bad signatures", async () => {
    clock += 20 * 60_000;
    const at = Timestamp.fromMillis(clock - 10 * 60_000);
    const db = testDb();
    for (let i = 0; i < 10; i++)
      await db
        .collection(COLLECTIONS.orderNotifications)
        .doc(`o-${i}_delivered`)
        .set({
          state: i % 2 ? "FAILED" : "UNKNOWN",
          updatedAt: at,
        });
    await db
      .collection(COLLECTIONS.transactions)
      .doc("manual-1")
      .set({
        status: "failed",
        refund: { state: "manual", at: Timestamp.fromMillis(clock - 2 * 3_600_000) },
      });
    await db.collection(COLLECTIONS.reconciliationCases).doc("amount-differs_x").set({
      state: "open",
      firstFoundAt: at,
    });
    for (let i = 0; i < 10; i++)
      await handleDatamartWebhook(
        {
          db,
          secret: "whsec",
          retentionDays: 30,
          maxAgeMinutes: 60,
          walletRefunds: false,
          clock: heldClock(() => clock),
        },
        { rawBody: Buffer.from("{}"), signature: "forged" },
      );
    const outcome = await checkAlerts(deps());
    expect(outcome.active.sort()).to.deep.equal([
      "messages-failing",
      "reconciliation-cases",
      "refunds-waiting",
      "sync-stale",
      "webhook-signatures",
    ]);
  });

  it("lets an admin acknowledge an active alert, and says so when it has cleared or never was", async () => {
    await health({ level: "low", balance: 420, stalledNetworks: [] });
    await checkAlerts(deps());
    expect(await acknowledgeAlert({ db: testDb() }, "admin-1", "balance-low")).to.equal(
      "acknowledged",
    );
    expect(await alert("balance-low")).to.deep.include({ acknowledgedBy: "admin-1" });
    expect(await acknowledgeAlert({ db: testDb() }, "admin-1", "nothing")).to.equal("not-found");
    await health({ level: "ok", balance: 900, stalledNetworks: [] });
    await checkAlerts(deps());
    expect(await acknowledgeAlert({ db: testDb() }, "admin-1", "balance-low")).to.equal(
      "not-active",
    );
  });
});
