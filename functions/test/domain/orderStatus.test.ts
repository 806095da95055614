import { expect } from "chai";
import {
  effectiveStatus,
  eventAgreesWithStatus,
  isFinalStatus,
  mapDatamartStatus,
} from "../../src/domain/orderStatus";

describe("order status model", () => {
  const table: [string, string][] = [
    ["pending", "processing"],
    ["waiting", "processing"],
    ["processing", "processing"],
    ["completed", "delivered"],
    ["delivered", "delivered"],
    ["success", "delivered"],
    ["failed", "failed"],
    ["cancelled", "cancelled"],
    ["refunded", "refunded"],
  ];
  for (const [datamart, datasell] of table) {
    it(`maps Datamart ${datamart} to ${datasell}`, () => {
      expect(mapDatamartStatus(datamart)).to.equal(datasell);
    });
  }

  it("ignores case and surrounding whitespace", () => {
    expect(mapDatamartStatus("  Completed \n")).to.equal("delivered");
    expect(mapDatamartStatus("FAILED")).to.equal("failed");
  });

  it("maps an undocumented status to nothing, so the order stays as it is", () => {
    expect(mapDatamartStatus("on_hold")).to.equal(undefined);
    expect(mapDatamartStatus("")).to.equal(undefined);
    expect(mapDatamartStatus("toString")).to.equal(undefined);
  });

  it("treats delivered, failed, cancelled and refunded as final", () => {
    for (const s of ["delivered", "failed", "cancelled", "refunded"])
      expect(isFinalStatus(s)).to.be.true;
    expect(isFinalStatus("processing")).to.be.false;
  });

  it("treats a stored legacy success as still processing", () => {
    expect(isFinalStatus("success")).to.be.false;
    expect(effectiveStatus("success")).to.equal("processing");
  });

  it("agrees a webhook's event name and body status only when they map to the same status", () => {
    expect(eventAgreesWithStatus("order.completed", "completed")).to.equal(true);
    expect(eventAgreesWithStatus("order.processing", "pending")).to.equal(true);
    expect(eventAgreesWithStatus("order.created", "waiting")).to.equal(true);
    expect(eventAgreesWithStatus("order.completed", "failed")).to.equal(false);
    expect(eventAgreesWithStatus("order.failed", "completed")).to.equal(false);
    expect(eventAgreesWithStatus("order.teleported", "teleported")).to.equal(false);
  });
});
