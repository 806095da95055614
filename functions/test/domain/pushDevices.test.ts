import { expect } from "chai";
import { devicesToDrop } from "../../src/domain/pushDevices";

describe("devicesToDrop", () => {
  const devices = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ id: `d${i}`, lastSeenMs: i }));

  it("drops nothing while the customer has fewer devices than the limit", () => {
    expect(devicesToDrop(devices(9), "new", 10)).to.deep.equal([]);
  });

  it("drops the least recently seen so that with the new device the limit holds", () => {
    expect(devicesToDrop(devices(10), "new", 10)).to.deep.equal(["d0"]);
    expect(devicesToDrop(devices(12), "new", 10)).to.deep.equal(["d2", "d1", "d0"]);
  });

  it("never drops the device registering, and drops never-seen devices first", () => {
    const list = [...devices(10), { id: "legacy" }];
    expect(devicesToDrop(list, "d0", 10)).to.deep.equal(["legacy"]);
  });
});
