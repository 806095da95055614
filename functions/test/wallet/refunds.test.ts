import { expect } from "chai";
import type { DocumentReference } from "firebase-admin/firestore";
import { DatamartStandIn } from "../../dev/standins/datamartStandIn";
import { applyStatus } from "../../src/orders/applyStatus";
import type { StatusSource } from "../../src/contract";
import { refundByAdmin } from "../../src/wallet/adminRefund";
import { handleDatamartWebhook } from "../../src/webhooks/datamartWebhook";
import { sign } from "../../src/webhooks/signature";
import { placeOrder, pollOnce } from "../support/datamart";
import { clearFirestore, dailyFigures, REFUNDS_ON, storeOrder, testDb } from "../support/firestore";
import { COLLECTIONS } from "../../src/contract";

const SECRET = "whsec-refunds";
const NOISY_BALANCE = 2.5999999999999943; // as in DataSell's records: GHS 2.60

describe("wallet refunds, exactly once (Firestore emulator)", () => {
  let datamart: DatamartStandIn;
  before(async () => {
    datamart = await DatamartStandIn.start();
  });
  after(() => datamart.close());
  beforeEach(async () => {
    datamart.reset();
    await clearFirestore();
    await testDb().collection(COLLECTIONS.users).doc("user-1").set({
      walletBalance: NOISY_BALANCE,
      email: "ama@datasell.demo",
    });
  });

  const wallet = async () => {
    const user = testDb().collection(COLLECTIONS.users).doc("user-1");
    const ledger = await user.collection(COLLECTIONS.walletLedger).get();
    return {
      balance: (await user.get()).get("walletBalance") as number,
      entries: ledger.docs.map((d): Record<string, unknown> => ({ id: d.id, ...d.data() })),
    };
  };
  const refundOf = async (ref: DocumentReference) =>
    (await ref.get()).get("refund") as Record<string, unknown> | undefined;
  const report = (datamartStatus: string, source: StatusSource = "poll") => ({
    datamartStatus,
    source,
  });

  const webhook = (order: Record<string, unknown>, status: string) => {
    const response = order.datamartResponse as Record<string, string>;
    const raw = JSON.stringify({
      event: `order.${status}`,
      timestamp: new Date().toISOString(),
      data: { orderId: response.purchaseId, orderReference: response.orderReference, status },
    });
    return handleDatamartWebhook(
      {
        db: testDb(),
        secret: SECRET,
        retentionDays: 30,
        maxAgeMinutes: 60,
        walletRefunds: true,
      },
      { rawBody: Buffer.from(raw), signature: sign(Buffer.from(raw), SECRET) },
    );
  };
  const poll = () => pollOnce(datamart);

  it("credits a failed wallet order once, in pesewas, with a ledger entry and the order's refund map", async () => {
    const ref = await storeOrder("r-1", { amount: 6.5 });
    await applyStatus(testDb(), ref, report("failed", "webhook"), REFUNDS_ON);

    const { balance, entries } = await wallet();
    expect(balance).to.equal(9.1);
    expect(entries).to.have.length(1);
    expect(entries[0]).to.include({
      id: "refund_r-1",
      type: "refund",
      orderId: "r-1",
      amount: 6.5,
      amountPesewas: 650,
      balanceBefore: 2.6,
      balanceAfter: 9.1,
      source: "webhook",
    });
    expect(await refundOf(ref)).to.include({
      state: "credited",
      amount: 6.5,
      amountPesewas: 650,
      ledgerEntryId: "refund_r-1",
    });
    expect((await ref.get()).get("status")).to.equal("failed");
  });

  it("credits once when the same failed webhook is delivered three times", async () => {
    const order = await placeOrder(datamart, "r-2", "failed", { amount: "5" });
    for (let i = 0; i < 3; i++) expect((await webhook(order, "failed")).httpStatus).to.equal(200);
    const { balance, entries } = await wallet();
    expect(entries).to.have.length(1);
    expect(balance).to.equal(7.6);
  });

  it("credits once when five deliveries of Datamart's answer run at the same time", async () => {
    const ref = await storeOrder("r-3", { amount: 6.5 });
    const snapshot = await ref.get();
    const sources: StatusSource[] = ["poll", "webhook", "admin", "user", "webhook"];
    const outcomes = await Promise.all(
      sources.map((source, i) =>
        applyStatus(testDb(), i % 2 ? ref : snapshot, report("failed", source), REFUNDS_ON),
      ),
    );
    expect(outcomes.filter((o) => o.kind === "changed")).to.have.length(1);
    const { balance, entries } = await wallet();
    expect(entries).to.have.length(1);
    expect(balance).to.equal(9.1);
    const today = new Date().toISOString().slice(0, 10);
    expect(await dailyFigures()).to.deep.equal({
      [`${today}_MTN`]: { refunds: 1, refundedPesewas: 650 },
    });
  });

  it("credits once when the webhook and the poll race on one failed order", async () => {
    const order = await placeOrder(datamart, "r-4", "failed", { amount: 6.5 });
    await Promise.all([webhook(order, "failed"), poll(), webhook(order, "failed"), poll()]);
    const { balance, entries } = await wallet();
    expect(entries).to.have.length(1);
    expect(balance).to.equal(9.1);
  });

  it("does not move money again when Datamart says refunded after failed", async () => {
    const ref = await storeOrder("r-5", { amount: 6.5 });
    await applyStatus(testDb(), ref, report("failed"), REFUNDS_ON);
    const outcome = await applyStatus(testDb(), ref, report("refunded"), REFUNDS_ON);
    expect(outcome.kind).to.equal("ignored-final");
    expect((await wallet()).entries).to.have.length(1);
  });

  it("never credits the app's own failed purchase, which Datamart refused and nobody paid for", async () => {
    const ref = await storeOrder("r-6", {
      datamartTransactionId: null,
      datamartResponse: { status: "error", message: "Insufficient wallet balance" },
    });
    await applyStatus(testDb(), ref, report("failed"), REFUNDS_ON);
    expect(await refundOf(ref)).to.equal(undefined);
    expect(await wallet()).to.deep.equal({ balance: NOISY_BALANCE, entries: [] });
  });

  it("flags for an admin what it must not credit by itself, with the reason, and credits nothing", async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["m-direct", { paymentMethod: "direct" }, /paid by direct/],
      ["m-app", { refunded: true, refundedAt: "2026-11-20T10:00:00Z" }, /app already refunded/],
      ["m-amount", { amount: "n/a" }, /no valid amount/],
      ["m-user", { userId: "nobody" }, /no users document/],
    ];
    for (const [id, fields, reason] of cases) {
      const ref = await storeOrder(id, fields);
      await applyStatus(testDb(), ref, report("cancelled"), REFUNDS_ON);
      const refund = await refundOf(ref);
      expect(refund?.state, id).to.equal("manual");
      expect(String(refund?.reason), id).to.match(reason);
    }
    const manual = await testDb()
      .collection(COLLECTIONS.transactions)
      .where("refund.state", "==", "manual")
      .get();
    expect(manual.size).to.equal(cases.length);
    expect(await wallet()).to.deep.equal({ balance: NOISY_BALANCE, entries: [] });
  });

  it("lets an admin refund a flagged order once, naming the admin; a second refund moves nothing", async () => {
    const ref = await storeOrder("r-7", { amount: 6.5 });
    await testDb().collection(COLLECTIONS.users).doc("user-1").update({ walletBalance: "n/a" });
    await applyStatus(testDb(), ref, report("failed"), REFUNDS_ON);
    expect(await refundOf(ref)).to.include({ state: "manual" });
    await testDb()
      .collection(COLLECTIONS.users)
      .doc("user-1")
      .update({ walletBalance: NOISY_BALANCE });
    const first = await refundByAdmin({ db: testDb() }, "admin-9", { transactionId: "r-7" });
    const again = await refundByAdmin({ db: testDb() }, "admin-9", { transactionId: "r-7" });
    expect(first).to.include({ outcome: "credited", amount: 6.5, ledgerEntryId: "refund_r-7" });
    expect(again).to.include({ outcome: "already-refunded", amount: 6.5 });
    const { balance, entries } = await wallet();
    expect(balance).to.equal(9.1);
    expect(entries).to.have.length(1);
    expect(entries[0]).to.include({ source: "admin-refund", adminUid: "admin-9" });
    expect(await refundOf(ref)).to.include({ state: "credited", adminUid: "admin-9" });
  });

  it("refuses a plain admin refund of an order the app refunded, Datamart never accepted, or not paid from the wallet", async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["p-app", { refunded: true, refundedAt: "2026-11-20T10:00:00Z" }, /app already refunded/],
      ["p-app-status", { status: "refunded" }, /app marked it refunded/],
      [
        "p-never",
        { datamartTransactionId: null, datamartResponse: { status: "error" }, status: "failed" },
        /never accepted/,
      ],
      ["p-direct", { paymentMethod: "direct" }, /paid by direct/],
    ];
    for (const [id, fields, reason] of cases) {
      const ref = await storeOrder(id, fields);
      // With WALLET_REFUNDS off the automatic path decides nothing; the admin path still refuses.
      await applyStatus(testDb(), ref, report("failed"), { walletRefunds: false });
      const error = await refundByAdmin({ db: testDb() }, "admin-9", { transactionId: id }).then(
        () => undefined,
        (e: { code?: string; message?: string }) => e,
      );
      expect(error?.code, id).to.equal("failed-precondition");
      expect(error?.message, id).to.match(reason);
    }
    expect(await wallet()).to.deep.equal({ balance: NOISY_BALANCE, entries: [] });
  });

  it("credits an admin's override once, with the written reason and the admin on the ledger entry", async () => {
    const ref = await storeOrder("o-1", { paymentMethod: "card", amount: 6.5 });
    await applyStatus(testDb(), ref, report("failed"), REFUNDS_ON);
    const tooShort = await refundByAdmin({ db: testDb() }, "admin-9", {
      transactionId: "o-1",
      override: { reason: "ok" },
    }).then(
      () => undefined,
      (e: { code?: string }) => e.code,
    );
    expect(tooShort).to.equal("invalid-argument");
    const override = { reason: "Card payment returned as store credit, per ticket 41" };
    const first = await refundByAdmin({ db: testDb() }, "admin-9", {
      transactionId: "o-1",
      override,
    });
    const again = await refundByAdmin({ db: testDb() }, "admin-7", {
      transactionId: "o-1",
      override,
    });
    expect(first).to.include({ outcome: "credited", amount: 6.5 });
    expect(again).to.include({ outcome: "already-refunded" });
    const { balance, entries } = await wallet();
    expect(balance).to.equal(9.1);
    expect(entries).to.have.length(1);
    expect(entries[0]).to.include({
      source: "admin-override",
      adminUid: "admin-9",
      overrideReason: override.reason,
    });
    expect(await refundOf(ref)).to.include({ state: "credited", overrideReason: override.reason });
  });

  it("refuses an admin refund of an order already credited automatically, and of an open order", async () => {
    const ref = await storeOrder("r-8", { amount: 6.5 });
    await applyStatus(testDb(), ref, report("failed"), REFUNDS_ON);
    expect(await refundByAdmin({ db: testDb() }, "admin-9", { transactionId: "r-8" })).to.include({
      outcome: "already-refunded",
    });
    await storeOrder("r-9");
    const error = await refundByAdmin({ db: testDb() }, "admin-9", { transactionId: "r-9" }).then(
      () => undefined,
      (e: { code?: string }) => e.code,
    );
    expect(error).to.equal("failed-precondition");
    expect((await wallet()).entries).to.have.length(1);
  });

  it("reverses the refund once when Datamart delivers an order it had called failed", async () => {
    const ref = await storeOrder("r-10", { amount: 6.5 });
    await applyStatus(testDb(), ref, report("failed"), REFUNDS_ON);
    const delivered = await applyStatus(testDb(), ref, report("completed", "webhook"), REFUNDS_ON);
    expect(delivered).to.deep.equal({ kind: "changed", from: "failed", to: "delivered" });
    await applyStatus(testDb(), ref, report("completed"), REFUNDS_ON);

    const { balance, entries } = await wallet();
    expect(balance).to.equal(2.6);
    expect(entries.map((e) => [e.id, e.amountPesewas])).to.have.deep.members([
      ["refund_r-10", 650],
      ["reversal_r-10", -650],
    ]);
    expect(await refundOf(ref)).to.include({
      state: "reversed",
      ledgerEntryId: "refund_r-10",
      reversalEntryId: "reversal_r-10",
    });
    const history = await ref.collection(COLLECTIONS.statusHistory).orderBy("at").get();
    expect(history.docs.map((d) => d.get("reason") as string | undefined)).to.deep.equal([
      undefined,
      "Datamart delivered the order after reporting it failed",
    ]);
    const [figures] = Object.values(await dailyFigures());
    expect(figures).to.deep.equal({
      refunds: 1,
      refundedPesewas: 650,
      reversals: 1,
      reversedPesewas: 650,
    });
  });

  it("debits nothing and flags an admin when the wallet holds less than the refund it would reverse", async () => {
    const ref = await storeOrder("r-11", { amount: 6.5 });
    await applyStatus(testDb(), ref, report("failed"), REFUNDS_ON);
    await testDb().collection(COLLECTIONS.users).doc("user-1").update({ walletBalance: 1 });
    await applyStatus(testDb(), ref, report("completed"), REFUNDS_ON);
    const { balance, entries } = await wallet();
    expect(balance).to.equal(1);
    expect(entries).to.have.length(1);
    expect(await refundOf(ref)).to.include({ state: "reversal-manual" });
    expect((await ref.get()).get("status")).to.equal("delivered");
  });

  it("moves no money while wallet refunds are switched off", async () => {
    const ref = await storeOrder("r-12");
    await applyStatus(testDb(), ref, report("failed"), { walletRefunds: false });
    expect(await refundOf(ref)).to.equal(undefined);
    expect(await wallet()).to.deep.equal({ balance: NOISY_BALANCE, entries: [] });
  });
});
