import { expect } from "chai";
import { decideStatusChange, reopensFinal } from "../../src/domain/statusChange";

describe("status changes", () => {
  it("changes an open order to what Datamart says", () => {
    expect(decideStatusChange("processing", "delivered")).to.deep.equal({
      kind: "changed",
      from: "processing",
      to: "delivered",
    });
    expect(decideStatusChange("", "failed")).to.deep.equal({
      kind: "changed",
      from: "",
      to: "failed",
    });
  });

  it("leaves an order whose status is already Datamart's, a legacy success counting as processing", () => {
    expect(decideStatusChange("processing", "processing")).to.deep.equal({
      kind: "unchanged",
      status: "processing",
    });
    expect(decideStatusChange("success", "processing")).to.deep.equal({
      kind: "unchanged",
      status: "success",
    });
    expect(decideStatusChange("success", "delivered").kind).to.equal("changed");
  });

  it("never moves a final order, but for a failed order Datamart delivered after all", () => {
    for (const from of ["delivered", "cancelled", "refunded"])
      for (const to of ["processing", "delivered", "failed", "cancelled", "refunded"] as const)
        expect(decideStatusChange(from, to), `${from} -> ${to}`).to.deep.equal({
          kind: "ignored-final",
          status: from,
        });
    expect(decideStatusChange("failed", "processing").kind).to.equal("ignored-final");
    expect(decideStatusChange("failed", "refunded").kind).to.equal("ignored-final");
    expect(decideStatusChange("failed", "delivered")).to.deep.equal({
      kind: "changed",
      from: "failed",
      to: "delivered",
    });
    expect(reopensFinal("failed", "delivered")).to.be.true;
    expect(reopensFinal("cancelled", "delivered")).to.be.false;
  });
});
