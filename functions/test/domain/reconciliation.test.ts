import { expect } from "chai";
import {
  addToTotals,
  deliveredWithoutCharge,
  emptyTotals,
  groupByOrder,
  matchKey,
  passedCaseIds,
  movementOf,
  reconcileOrder,
  type Movement,
  type OrderView,
} from "../../src/domain/reconciliation";

const at = "2026-11-29T10:00:00.000Z";
const purchase = (amount = 5.98, extra: Partial<Movement> = {}): Movement => ({
  type: "purchase",
  amountPesewas: Math.round(amount * 100),
  status: "completed",
  reference: "TRX-1",
  createdAt: at,
  ...extra,
});
const refund = (amount = 5.98): Movement => ({ ...purchase(amount), type: "refund" });
const order = (fields: Partial<OrderView> = {}): OrderView => ({
  id: "o1",
  status: "delivered",
  paymentMethod: "wallet",
  amountPesewas: 650,
  datamartPricePesewas: 598,
  ...fields,
});
const kinds = (movements: Movement[], view?: OrderView) =>
  reconcileOrder("TRX-1", movements, view).map((m) => m.kind);

describe("reconciliation", () => {
  it("normalises a movement: type lower-cased, pesewas, the purchase id from orderId", () => {
    expect(
      movementOf({
        type: " Purchase ",
        amount: -5.985,
        reference: "",
        orderId: "p1",
        createdAt: at,
      }),
    ).to.deep.equal({
      type: "purchase",
      amountPesewas: 599,
      status: undefined,
      reference: undefined,
      purchaseId: "p1",
      createdAt: at,
    });
    expect(matchKey(purchase())).to.equal("TRX-1");
    expect(matchKey(purchase(1, { reference: undefined, purchaseId: "p1" }))).to.equal("p1");
  });

  it("finds nothing wrong with a delivered, charged order or a failed one refunded on both sides", () => {
    expect(kinds([purchase()], order())).to.deep.equal([]);
    expect(
      kinds([purchase(), refund()], order({ status: "failed", refundState: "credited" })),
    ).to.deep.equal([]);
    // A charge off by one pesewa is rounding.
    expect(kinds([purchase(5.99)], order())).to.deep.equal([]);
    // Open here and merely charged there: delivery is the sync's business.
    expect(kinds([purchase()], order({ status: "processing" }))).to.deep.equal([]);
  });

  it("names each mismatch an order and its movements can show", () => {
    expect(kinds([purchase()], order({ status: "failed" }))).to.deep.equal(["charged-but-failed"]);
    expect(kinds([purchase()], order({ status: "cancelled" }))).to.deep.equal([
      "charged-but-failed",
    ]);
    expect(kinds([purchase(), refund()], order({ status: "failed" }))).to.deep.equal([
      "refund-not-passed-on",
    ]);
    expect(kinds([purchase(), purchase()], order())).to.deep.equal(["amount-differs"]);
    expect(kinds([purchase(), refund()], order({ status: "processing" }))).to.deep.equal([
      "open-but-settled",
    ]);
    expect(
      kinds([purchase(5.98, { status: "failed" })], order({ status: "processing" })),
    ).to.deep.equal(["open-but-settled"]);
    expect(kinds([purchase()])).to.deep.equal(["movement-without-order"]);
  });

  it("gives each mismatch a case id stable across runs, and the evidence of both sides", () => {
    const [mismatch] = reconcileOrder("TRX-1/x", [purchase()], order({ status: "failed" }));
    expect(mismatch.caseId).to.equal("charged-but-failed_TRX-1_x");
    expect(mismatch).to.include({ orderId: "o1", reference: "TRX-1" });
    expect(mismatch.evidence.datamart).to.include({ chargedPesewas: 598, creditedPesewas: 0 });
    expect(mismatch.evidence.order).to.include({ status: "failed" });
    expect(mismatch.message).to.equal("Datamart kept GHS 5.98 for an order that is failed here");
    const free = deliveredWithoutCharge("TRX-2", order());
    expect(free).to.include({
      kind: "delivered-without-charge",
      caseId: "delivered-without-charge_TRX-2",
    });
  });

  it("adds up debits, credits, other movements, revenue, refunds paid and the margin", () => {
    const totals = addToTotals(
      emptyTotals(),
      [purchase(), purchase(), refund(), { ...purchase(20), type: "topup" }],
      [order(), order({ id: "o2", status: "failed", refundState: "credited", refundPesewas: 650 })],
    );
    expect(totals).to.deep.equal({
      debitsPesewas: 1196,
      creditsPesewas: 598,
      otherMovements: 1,
      otherPesewas: 2000,
      revenuePesewas: 1300,
      refundsPaidPesewas: 650,
      marginPesewas: 1300 - 650 - (1196 - 598),
    });
  });

  describe("groupByOrder", () => {
    const of = (reference: string, type = "purchase") => ({ ...purchase(), reference, type });

    it("groups a page by order, and holds an order with only refunds for its purchase", () => {
      const { ready, awaiting } = groupByOrder(
        [of("TRX-A", "refund"), of("TRX-B", "refund"), of("TRX-A"), of("TRX-C")],
        {},
      );
      expect([...ready.keys()]).to.deep.equal(["TRX-A", "TRX-C"]);
      expect(ready.get("TRX-A")).to.have.length(2);
      expect(Object.keys(awaiting)).to.deep.equal(["TRX-B"]);
    });

    it("joins a held refund to its purchase on a later page", () => {
      const { ready, awaiting } = groupByOrder([of("TRX-B")], { "TRX-B": [of("TRX-B", "refund")] });
      expect(ready.get("TRX-B")?.map((m) => m.type)).to.deep.equal(["purchase", "refund"]);
      expect(awaiting).to.deep.equal({});
    });

    it("judges the longest held on their own past the limit, so what is carried stays small", () => {
      const held = { "TRX-OLD": [of("TRX-OLD", "refund")], "TRX-MID": [of("TRX-MID", "refund")] };
      const { ready, awaiting } = groupByOrder([of("TRX-NEW", "refund")], held, 2);
      expect([...ready.keys()]).to.deep.equal(["TRX-OLD"]);
      expect(Object.keys(awaiting)).to.deep.equal(["TRX-MID", "TRX-NEW"]);
    });

    it("leaves movements of other types and without a key out of every group", () => {
      const { ready, awaiting } = groupByOrder(
        [of("TRX-A", "topup"), { ...purchase(), reference: undefined }],
        {},
      );
      expect(ready.size).to.equal(0);
      expect(awaiting).to.deep.equal({});
    });
  });

  describe("passedCaseIds", () => {
    it("names the passing kinds' cases an order no longer shows, never one it still shows", () => {
      const stillFound = reconcileOrder("TRX-1", [purchase()], order({ status: "failed" }));
      expect(stillFound.map((m) => m.kind)).to.deep.equal(["charged-but-failed"]);
      expect(passedCaseIds("TRX-1", stillFound)).to.deep.equal([
        "refund-not-passed-on_TRX-1",
        "open-but-settled_TRX-1",
      ]);
      expect(passedCaseIds("TRX-1", [])).to.have.length(3);
    });
  });
});
