import { expect } from "chai";
import { orderSchema } from "../../src/domain/order";
import {
  adminRefundBlocker,
  changeMovesMoney,
  formatGhs,
  moneyMove,
  toPesewas,
} from "../../src/domain/walletRefund";

const accepted = (fields: Record<string, unknown> = {}) =>
  orderSchema.parse({
    status: "processing",
    paymentMethod: "wallet",
    amount: 6.5,
    datamartTransactionId: "66a000000000000000000001",
    ...fields,
  });
const wallet = { exists: true, balancePesewas: 1_000 };

describe("wallet refund decisions", () => {
  it("counts GHS in integer pesewas, whatever float noise or string the record holds", () => {
    expect(toPesewas(2.5999999999999943)).to.equal(260);
    expect(toPesewas("5.5")).to.equal(550);
    expect(toPesewas(0.1 + 0.2)).to.equal(30);
    expect(toPesewas("five")).to.equal(undefined);
    expect(toPesewas(null)).to.equal(undefined);
    expect(toPesewas(Number.NaN)).to.equal(undefined);
    expect(formatGhs(550)).to.equal("GHS 5.50");
  });

  for (const to of ["failed", "cancelled", "refunded"] as const) {
    it(`credits the price of a wallet order Datamart accepted when it ends ${to}`, () => {
      expect(moneyMove(accepted(), to, wallet)).to.deep.equal({
        kind: "credit",
        amountPesewas: 650,
      });
    });
  }

  it("never credits an order Datamart never accepted: the app never took the money", () => {
    const refused = accepted({ datamartTransactionId: null, datamartResponse: null });
    expect(moneyMove(refused, "failed", wallet)).to.deep.equal({ kind: "none" });
  });

  it("recognises Datamart's acceptance by any of its references", () => {
    const byReference = accepted({
      datamartTransactionId: null,
      datamartResponse: { transactionReference: "TRX-1" },
    });
    expect(moneyMove(byReference, "failed", wallet).kind).to.equal("credit");
  });

  it("never credits an order whose refund was already decided", () => {
    for (const state of ["credited", "manual", "reversed", "unreadable"])
      expect(moneyMove(accepted({ refund: { state } }), "failed", wallet)).to.deep.equal({
        kind: "none",
      });
    expect(moneyMove(accepted({ refund: "garbage" }), "failed", wallet)).to.deep.equal({
      kind: "none",
    });
  });

  it("leaves to an admin what it cannot credit safely, with the reason", () => {
    const manual = (
      order: ReturnType<typeof accepted>,
      w: { exists: boolean; balancePesewas?: number } = wallet,
    ) => {
      const move = moneyMove(order, "failed", w);
      return move.kind === "manual" ? move.reason : move.kind;
    };
    expect(manual(accepted({ paymentMethod: "direct" }))).to.match(/paid by direct/);
    expect(manual(accepted({ paymentMethod: null }))).to.match(/unknown method/);
    expect(manual(accepted({ refunded: true }))).to.match(/app already refunded/);
    expect(manual(accepted({ refundedAt: "2026-11-20T10:00:00Z" }))).to.match(/already refunded/);
    for (const amount of [undefined, 0, -5, "abc", Number.NaN])
      expect(manual(accepted({ amount }))).to.match(/no valid amount/);
    expect(manual(accepted(), { exists: false })).to.match(/no users document/);
    expect(manual(accepted(), { exists: true })).to.match(/balance is not a number/);
  });

  it("reverses a credited refund when Datamart delivers after all, if the wallet holds it", () => {
    const credited = accepted({
      status: "failed",
      refund: { state: "credited", amountPesewas: 650 },
    });
    expect(moneyMove(credited, "delivered", wallet)).to.deep.equal({
      kind: "reverse",
      amountPesewas: 650,
    });
    expect(moneyMove(credited, "delivered", { exists: true, balancePesewas: 649 })).to.include({
      kind: "manual",
      state: "reversal-manual",
    });
    expect(moneyMove(accepted({ status: "failed" }), "delivered", wallet)).to.deep.equal({
      kind: "none",
    });
  });

  it("moves money only into failed, cancelled and refunded, or from failed to delivered", () => {
    expect(changeMovesMoney("processing", "failed")).to.be.true;
    expect(changeMovesMoney("processing", "cancelled")).to.be.true;
    expect(changeMovesMoney("processing", "refunded")).to.be.true;
    expect(changeMovesMoney("failed", "delivered")).to.be.true;
    expect(changeMovesMoney("processing", "delivered")).to.be.false;
    expect(changeMovesMoney("success", "processing")).to.be.false;
  });

  it("credits nothing by itself for an order the cutover marked, leaving it to an admin", () => {
    expect(moneyMove(accepted({ cutover: { markedAt: "x" } }), "failed", wallet)).to.deep.equal({
      kind: "manual",
      state: "manual",
      reason: "open at switch-on: the app may have refunded it",
    });
  });

  describe("adminRefundBlocker", () => {
    it("lets an admin refund a failed wallet order Datamart accepted", () => {
      expect(adminRefundBlocker(accepted({ status: "failed" }))).to.equal(undefined);
      expect(
        adminRefundBlocker(accepted({ status: "refunded", datamartStatus: "refunded" })),
      ).to.equal(undefined);
    });

    it("names why a plain admin refund must not pay", () => {
      expect(adminRefundBlocker(accepted({ refunded: true }))).to.match(/app already refunded/);
      expect(adminRefundBlocker(accepted({ refundedAt: "2026-11-20" }))).to.match(/app already/);
      expect(adminRefundBlocker(accepted({ status: "refunded" }))).to.match(/app marked it/);
      expect(
        adminRefundBlocker(accepted({ status: "failed", datamartTransactionId: null })),
      ).to.match(/never accepted/);
      expect(adminRefundBlocker(accepted({ paymentMethod: "direct" }))).to.match(
        /paid by direct, not the wallet/,
      );
      expect(adminRefundBlocker(accepted({ paymentMethod: undefined }))).to.match(/unknown method/);
    });
  });
});
