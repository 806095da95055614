import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import { datamartReferences, orderSchema, toDate } from "../../src/domain/order";

describe("order", () => {
  it("asks Datamart by order reference, then transaction reference, then purchase id", () => {
    const order = orderSchema.parse({
      status: "processing",
      datamartTransactionId: "66a0f0c2b3e4d5f6a7b8c9d0",
      datamartResponse: {
        purchaseId: "66a0f0c2b3e4d5f6a7b8c9d0",
        orderReference: "GN-123",
        transactionReference: "TRX-456",
      },
    });
    expect(datamartReferences(order)).to.deep.equal([
      "GN-123",
      "TRX-456",
      "66a0f0c2b3e4d5f6a7b8c9d0",
    ]);
  });

  it("prefers a top-level orderReference and has no reference for an order Datamart never saw", () => {
    const withTop = orderSchema.parse({
      status: "processing",
      orderReference: "MN-9",
      datamartTransactionId: "x1",
    });
    expect(datamartReferences(withTop)).to.deep.equal(["MN-9", "x1"]);
    expect(
      datamartReferences(orderSchema.parse({ status: "processing", datamartTransactionId: "" })),
    ).to.deep.equal([]);
  });

  it("reads a garbage datamartResponse as absent instead of failing", () => {
    const order = orderSchema.parse({
      status: "processing",
      datamartResponse: "oops",
      datamartTransactionId: "abc",
    });
    expect(datamartReferences(order)).to.deep.equal(["abc"]);
  });

  it("reads ISO strings and Firestore Timestamps as dates", () => {
    expect(toDate("2026-11-20T10:00:00.000Z")?.toISOString()).to.equal("2026-11-20T10:00:00.000Z");
    const ts = Timestamp.fromMillis(1_700_000_000_000);
    expect(toDate(ts)?.getTime()).to.equal(1_700_000_000_000);
    expect(toDate("not a date")).to.equal(undefined);
    expect(toDate(undefined)).to.equal(undefined);
  });
});
