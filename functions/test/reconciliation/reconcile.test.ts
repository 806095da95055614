import { expect } from "chai";
import type { Timestamp } from "firebase-admin/firestore";
import type { Mismatch } from "../../src/domain/reconciliation";
import { DatamartStandIn } from "../../dev/standins/datamartStandIn";
import { DatamartClient } from "../../src/providers/datamart";
import { ProviderError } from "../../src/providers/providerError";
import { updateCaseByAdmin } from "../../src/reconciliation/cases";
import { runReconciliation, type ReconcileOptions } from "../../src/reconciliation/reconcile";
import { placeOrder } from "../support/datamart";
import { clearFirestore, testDb } from "../support/firestore";
import { COLLECTIONS } from "../../src/contract";
import { heldClock } from "../../dev/clocks";
import type { Clock } from "../../src/platform/clock";

type StoredCase = Mismatch & {
  state: string;
  firstFoundAt: Timestamp;
  lastFoundAt: Timestamp;
  lastReportId: string;
  note?: string;
  updatedBy?: string;
};

describe("reconciliation (Firestore emulator, stand-in Datamart's ledger)", () => {
  let standIn: DatamartStandIn;

  before(async () => {
    standIn = await DatamartStandIn.start({ startingBalance: 500 });
  });
  after(() => standIn.close());
  beforeEach(async () => {
    standIn.reset();
    await clearFirestore();
  });

  const reconcile = (
    options: Partial<ReconcileOptions> = {},
    trigger: "admin" | "schedule" = "admin",
    clock?: Clock,
  ) =>
    runReconciliation(
      {
        db: testDb(),
        datamart: new DatamartClient({ baseUrl: standIn.baseUrl, apiKey: "k", timeoutMs: 2_000 }),
        options: { windowDays: 7, ratePerMinute: 60_000, timeBudgetMs: 30_000, ...options },
        clock,
      },
      trigger,
    );
  const orders = () => testDb().collection(COLLECTIONS.transactions);
  const cases = async () =>
    (await testDb().collection(COLLECTIONS.reconciliationCases).get()).docs.map(
      (d) => d.data() as StoredCase,
    );
  const trx = (order: Record<string, unknown>) =>
    (order.datamartResponse as { transactionReference: string }).transactionReference;
  const pesewas = (ghs: number) => Math.round(ghs * 100);

  /** The same order, as it is here after the status change the sync applied. */
  const settle = (id: string, fields: Record<string, unknown>) =>
    orders()
      .doc(id)
      .update({ lastSyncedAt: new Date().toISOString(), ...fields });

  it("matches every movement to its order: no mismatch, the window's totals and the wallet's balance", async () => {
    const delivered = await placeOrder(standIn, "delivered", "completed");
    const failed = await placeOrder(standIn, "failed", "processing");
    await placeOrder(standIn, "open", "processing");
    await settle("delivered", { status: "delivered" });
    standIn.setStatus(trx(failed), "failed"); // Datamart credits its wallet back
    await settle("failed", { status: "failed", refund: { state: "credited", amountPesewas: 500 } });

    const report = await reconcile();

    expect(report).to.include({ complete: true, mismatches: 0, movements: 4, matchedOrders: 3 });
    const price = (o: Record<string, unknown>) =>
      pesewas((o.datamartResponse as { price: number }).price);
    const debits = pesewas(6.5 * 0.92) * 3; // placeOrder's default order, 6.5 GHS retail
    expect(report.totals).to.deep.equal({
      debitsPesewas: debits,
      creditsPesewas: price(failed),
      otherMovements: 0,
      otherPesewas: 0,
      revenuePesewas: 650 * 3,
      refundsPaidPesewas: 500,
      marginPesewas: 650 * 3 - 500 - (debits - price(failed)),
    });
    expect(price(delivered)).to.equal(598);
    expect(report.balanceStart).to.equal(standIn.balance);
    expect(report.balanceEnd).to.equal(standIn.balance);
    expect(await cases()).to.have.length(0);
    const stored = await testDb()
      .collection(COLLECTIONS.reconciliationReports)
      .doc(report.reportId)
      .get();
    expect(stored.get("complete")).to.equal(true);
  });

  it("names each kind of mismatch once, with both sides", async () => {
    // Charged by Datamart, failed here, never credited back.
    await placeOrder(standIn, "kept", "processing");
    await settle("kept", { status: "failed" });
    // Datamart refunded; the customer was not.
    const unpaid = await placeOrder(standIn, "unpaid", "processing");
    standIn.setStatus(trx(unpaid), "failed");
    await settle("unpaid", { status: "failed" });
    // Delivered here; Datamart has no charge for it.
    const free = await placeOrder(standIn, "free", "completed");
    standIn.removeMovements(trx(free));
    await settle("free", { status: "delivered" });
    // Charged twice.
    const twice = await placeOrder(standIn, "twice", "processing");
    standIn.addMovement({ ...standIn.ledger.at(-1)!, reference: trx(twice) });
    // Settled by Datamart, still open here.
    const stale = await placeOrder(standIn, "stale", "processing");
    standIn.setStatus(trx(stale), "refunded");
    // A movement for no order at all.
    standIn.addMovement({
      type: "purchase",
      amount: 12,
      status: "completed",
      reference: "TRX-GHOST",
      createdAt: new Date().toISOString(),
    });

    const report = await reconcile();

    expect(report.mismatchesByKind).to.deep.equal({
      "charged-but-failed": 1,
      "refund-not-passed-on": 1,
      "delivered-without-charge": 1,
      "amount-differs": 1,
      "open-but-settled": 1,
      "movement-without-order": 1,
    });
    const byKind = Object.fromEntries((await cases()).map((c) => [c.kind, c]));
    expect(byKind["charged-but-failed"]).to.deep.include({ orderId: "kept", state: "open" });
    expect(byKind["charged-but-failed"].evidence.datamart).to.include({
      chargedPesewas: 598,
      creditedPesewas: 0,
    });
    expect(byKind["refund-not-passed-on"].evidence.datamart.creditedPesewas).to.equal(598);
    expect(byKind["delivered-without-charge"]).to.include({ orderId: "free" });
    expect(byKind["amount-differs"].evidence.datamart.chargedPesewas).to.equal(2 * 598);
    expect(byKind["amount-differs"].evidence.order).to.include({ datamartPricePesewas: 598 });
    expect(byKind["open-but-settled"]).to.include({ orderId: "stale" });
    expect(byKind["movement-without-order"]).to.include({ reference: "TRX-GHOST" });
    expect(byKind["movement-without-order"]).to.not.have.property("orderId");
  });

  it("finds nothing new when run again: the same cases, updated, none duplicated", async () => {
    await placeOrder(standIn, "kept", "processing");
    await settle("kept", { status: "failed" });
    const first = await reconcile();
    const second = await reconcile();
    expect(first).to.include({ newCases: 1, mismatches: 1 });
    expect(second).to.include({ newCases: 0, mismatches: 1 });
    const [only] = await cases();
    expect(await cases()).to.have.length(1);
    expect(only.lastReportId).to.equal(second.reportId);
    expect(only.firstFoundAt.toMillis()).to.be.below(only.lastFoundAt.toMillis());
  });

  it("names no delivered-without-charge for an order charged just before the window and delivered inside it", async () => {
    const edge = await placeOrder(standIn, "edge", "completed");
    // Its charge, an hour before the 7-day window began; its delivery now, inside the window.
    const charge = standIn.ledger.find((m) => m.reference === trx(edge))!;
    charge.createdAt = new Date(Date.now() - 7 * 86_400_000 - 3_600_000).toISOString();
    standIn.ledger.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    await settle("edge", { status: "delivered" });
    // And one delivered inside the window that Datamart never charged at all is still named.
    const free = await placeOrder(standIn, "free", "completed");
    standIn.removeMovements(trx(free));
    await settle("free", { status: "delivered" });

    const report = await reconcile({ pageSize: 1 });
    expect(report.mismatchesByKind).to.deep.equal({ "delivered-without-charge": 1 });
    expect((await cases()).map((c) => c.orderId)).to.deep.equal(["free"]);
    // The earlier charge is evidence only: not counted in the window's movements or totals.
    expect(report).to.include({ movements: 0, matchedOrders: 0 });
  });

  it("pages through a window larger than a page and stops at the window's start", async () => {
    for (let i = 0; i < 23; i++) await placeOrder(standIn, `o${i}`, "processing");
    // Older than the 7-day window: listed last (newest first), never counted.
    standIn.ledger.unshift({
      type: "purchase",
      amount: 99,
      status: "completed",
      reference: "TRX-OLD",
      createdAt: new Date(Date.now() - 30 * 86_400_000).toISOString(),
    });
    const report = await reconcile({ pageSize: 10 });
    expect(report).to.include({ complete: true, pages: 3, movements: 23, matchedOrders: 23 });
    expect(report.mismatchesByKind).to.deep.equal({});
  });

  it("judges an order on all its movements when its refund and its purchase are pages and runs apart", async () => {
    const failed = await placeOrder(standIn, "failed-far", "processing");
    for (let i = 0; i < 3; i++) await placeOrder(standIn, `o${i}`, "processing");
    standIn.setStatus(trx(failed), "failed"); // newest first: the refund on page 1, its purchase on page 5
    await settle("failed-far", {
      status: "failed",
      refund: { state: "credited", amountPesewas: 598 },
    });
    standIn.options.latencyMs = 150;
    const first = await reconcile({ pageSize: 1, timeBudgetMs: 400 });
    expect(first).to.include({ complete: false, stoppedEarly: "time-budget" });
    standIn.options.latencyMs = 0;
    const second = await reconcile({ pageSize: 1 });
    expect(second).to.include({ complete: true, mismatches: 0, movements: 5, matchedOrders: 4 });
    expect(await cases()).to.deep.equal([]);
  });

  it("lets go of a held refund for good once its purchase is read, however many runs the report takes", async () => {
    const far = await placeOrder(standIn, "failed-farther", "processing");
    await placeOrder(standIn, "oldest", "processing");
    const near = await placeOrder(standIn, "failed-far", "processing");
    for (let i = 0; i < 3; i++) await placeOrder(standIn, `o${i}`, "processing");
    // Pages of 1, newest first: the two refunds, o2, o1, o0, near's purchase, oldest, far's purchase.
    for (const [id, order] of [
      ["failed-farther", far],
      ["failed-far", near],
    ] as const) {
      standIn.setStatus(trx(order), "failed");
      await settle(id, { status: "failed", refund: { state: "credited", amountPesewas: 598 } });
    }
    // Datamart goes down after so many pages: each run stops exactly there.
    const downAfter = (pages: number) => {
      const client = new DatamartClient({
        baseUrl: standIn.baseUrl,
        apiKey: "k",
        timeoutMs: 2_000,
      });
      let left = pages;
      return {
        fetchBalance: () => client.fetchBalance(),
        fetchTransactions: (page: number, size: number) =>
          left-- > 0
            ? client.fetchTransactions(page, size)
            : Promise.reject(new ProviderError("datamart", "server", "down")),
      };
    };
    const run = (pages: number) =>
      runReconciliation(
        {
          db: testDb(),
          datamart: downAfter(pages),
          options: { windowDays: 7, ratePerMinute: 60_000, timeBudgetMs: 30_000, pageSize: 1 },
        },
        "admin",
      );
    const held = async () =>
      Object.keys(
        ((await testDb().collection(COLLECTIONS.syncState).doc("datamartReconciliation").get()).get(
          "inProgress.refundsAwaitingPurchase",
        ) as object) ?? {},
      );

    expect(await run(2)).to.include({ complete: false, stoppedEarly: "provider-down" });
    expect(await held()).to.have.members([trx(near), trx(far)]);
    // Reads o2, o1, o0 and near's purchase, which lets its refund go; then Datamart is down again.
    expect(await run(4)).to.include({ complete: false });
    expect(await held()).to.deep.equal([trx(far)]);
    const last = await run(10);
    expect(last).to.include({ complete: true, movements: 8, matchedOrders: 6, mismatches: 0 });
  });

  it("resumes a report its time budget stopped, counting every movement once", async () => {
    for (let i = 0; i < 12; i++) await placeOrder(standIn, `o${i}`, "processing");
    standIn.options.latencyMs = 150;
    const first = await reconcile({ pageSize: 4, timeBudgetMs: 400 });
    expect(first).to.include({ complete: false, stoppedEarly: "time-budget" });
    expect(first.movements).to.be.below(12);
    standIn.options.latencyMs = 0;
    const second = await reconcile({ pageSize: 4 });
    expect(second).to.include({ reportId: first.reportId, complete: true, runs: 2, movements: 12 });
    expect(second.totals.debitsPesewas).to.equal(12 * 598);
  });

  it("resumes while Datamart's list grows at its head: every movement of the window read once", async () => {
    for (let i = 0; i < 12; i++) await placeOrder(standIn, `o${i}`, "processing");
    // Several movements to a second, as at a busy hour: the cursor tells them apart.
    const second = new Date(Date.now() - 60_000).toISOString();
    for (const m of standIn.ledger.slice(0, 8)) m.createdAt = second;
    standIn.options.latencyMs = 150;
    const first = await reconcile({ pageSize: 4, timeBudgetMs: 400 });
    expect(first).to.include({ complete: false, stoppedEarly: "time-budget" });
    // Ten orders arrive meanwhile, after the window's end: they push the unread movements down.
    for (let i = 0; i < 10; i++) await placeOrder(standIn, `new${i}`, "processing");
    standIn.options.latencyMs = 0;
    const resumed = await reconcile({ pageSize: 4 });
    expect(resumed).to.include({ reportId: first.reportId, complete: true, movements: 12 });
    expect(resumed).to.include({ matchedOrders: 12, mismatches: 0 });
    expect(resumed.totals.debitsPesewas).to.equal(12 * 598);
  });

  it("makes one report a day on schedule, from where the last ended less two hours; a charge an earlier report read pays for a later delivery", async () => {
    const dayStart = Date.parse(new Date().toISOString().slice(0, 10)) - 2 * 86_400_000;
    const at = (hours: number) => new Date(dayStart + hours * 3_600_000);
    const chargedAt = (id: string, hours: number) => {
      const reference = trx(placed.get(id)!);
      standIn.ledger.find((m) => m.reference === reference)!.createdAt = at(hours).toISOString();
    };
    const placed = new Map<string, Record<string, unknown>>();
    for (const id of ["slow", "later", "free"])
      placed.set(id, await placeOrder(standIn, id, "completed"));
    chargedAt("slow", 0.5); // read by the first report, delivered the next day
    chargedAt("later", 4); // after the first report's end
    standIn.removeMovements(trx(placed.get("free")!)); // delivered, never charged
    standIn.ledger.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const deliveredAt = (id: string, hours: number) =>
      orders()
        .doc(id)
        .update({ status: "delivered", lastSyncedAt: at(hours).toISOString() });
    await deliveredAt("slow", 25);
    await deliveredAt("later", 5);
    await deliveredAt("free", 26);

    const first = await reconcile({}, "schedule", heldClock(at(3).getTime()));
    const again = await reconcile({}, "schedule", heldClock(at(3.1).getTime()));
    const next = await reconcile({}, "schedule", heldClock(at(27).getTime()));

    expect(first).to.include({ complete: true, movements: 1, mismatches: 0 });
    expect(first.windowEnd).to.equal(at(3).toISOString());
    expect(again).to.include({ skipped: true });
    const reports = await testDb().collection(COLLECTIONS.reconciliationReports).get();
    expect(reports.size).to.equal(2);
    expect(next.windowStart).to.equal(at(1).toISOString());
    expect(next).to.include({ complete: true, movements: 1, matchedOrders: 1 });
    expect(next.mismatchesByKind).to.deep.equal({ "delivered-without-charge": 1 });
    expect((await cases()).map((c) => c.orderId)).to.deep.equal(["free"]);
  });

  it("clears a case it found for an order in flight once a later report finds it settled, and leaves an admin's verdict alone", async () => {
    // Failed here and refunded to the customer, while Datamart's refund is not listed yet.
    const inFlight = async (id: string) => {
      const order = await placeOrder(standIn, id, "processing");
      standIn.setStatus(trx(order), "failed");
      await settle(id, { status: "failed", refund: { state: "credited", amountPesewas: 650 } });
      return standIn.ledger.pop()!;
    };
    const refunds = [await inFlight("soon"), await inFlight("explained")];
    const first = await reconcile();
    expect(first.mismatchesByKind).to.deep.equal({ "charged-but-failed": 2 });
    const caseOf = (id: string) => cases().then((all) => all.find((c) => c.orderId === id)!);
    await updateCaseByAdmin({ db: testDb() }, "admin-1", {
      caseId: (await caseOf("explained")).caseId,
      state: "explained",
      note: "Datamart says the refund is on its way",
    });
    for (const refund of refunds)
      standIn.addMovement({ ...refund, createdAt: new Date().toISOString() });

    const second = await reconcile();

    expect(second).to.include({ mismatches: 0, clearedCases: 1 });
    expect(await caseOf("soon")).to.deep.include({
      state: "resolved",
      updatedBy: "reconciliation",
    });
    expect((await caseOf("soon")).note).to.contain(second.reportId);
    expect((await caseOf("explained")).state).to.equal("explained");
  });

  it("clears the open-but-settled case of an order Datamart failed and then delivered once it is delivered here", async () => {
    const order = await placeOrder(standIn, "reprocessed", "processing");
    standIn.setStatus(trx(order), "failed"); // Datamart refunds; the change is not polled yet
    expect((await reconcile()).mismatchesByKind).to.deep.equal({ "open-but-settled": 1 });

    standIn.setStatus(trx(order), "completed"); // reprocessed, and delivered after all
    await settle("reprocessed", { status: "delivered" });
    const second = await reconcile();

    expect(second).to.include({ mismatches: 0, clearedCases: 1 });
    expect((await cases())[0]).to.include({ state: "resolved", updatedBy: "reconciliation" });
  });

  it("lets an admin explain or resolve a case with a note, and moves no money", async () => {
    await testDb().collection(COLLECTIONS.users).doc("user-1").set({ walletBalance: 2 });
    await placeOrder(standIn, "kept", "processing");
    await settle("kept", { status: "failed" });
    await reconcile();
    const [found] = (await testDb().collection(COLLECTIONS.reconciliationCases).get()).docs;

    const answer = await updateCaseByAdmin({ db: testDb() }, "admin-1", {
      caseId: found.id,
      state: "explained",
      note: "Datamart confirmed the refund is on its way",
    });
    expect(answer).to.include({ previousState: "open", state: "explained" });
    const after = (await found.ref.get()).data()!;
    expect(after).to.include({ state: "explained", updatedBy: "admin-1" });
    expect(after.history).to.have.length(1);
    expect(
      (await testDb().collection(COLLECTIONS.users).doc("user-1").get()).get("walletBalance"),
    ).to.equal(2);

    for (const [input, code] of [
      [{ caseId: found.id, state: "closed", note: "x" }, "invalid-argument"],
      [{ caseId: found.id, state: "resolved", note: " " }, "invalid-argument"],
      [{ caseId: "nope", state: "resolved", note: "x" }, "not-found"],
    ] as const) {
      const error = await updateCaseByAdmin({ db: testDb() }, "admin-1", input).catch(
        (e: unknown) => e,
      );
      expect(error, JSON.stringify(input)).to.have.property("code", code);
    }
  });
});
