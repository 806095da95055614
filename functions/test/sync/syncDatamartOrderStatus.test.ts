import { expect } from "chai";
import { placeOrder } from "../support/datamart";
import {
  functionsStack,
  retriedOnceForLostEvents,
  type FunctionsStack,
} from "../support/functionsStack";
import { COLLECTIONS } from "../../src/contract";

describe("syncDatamartOrderStatus (functions emulator)", function () {
  this.timeout(120_000);
  retriedOnceForLostEvents(this);
  let stack: FunctionsStack;

  before(async () => {
    stack = await functionsStack();
  });
  beforeEach(() => stack.reset());

  it("updates orders from Datamart and writes its run summary when Cloud Scheduler invokes it", async () => {
    await placeOrder(stack.datamart, "sched-1", "completed", {}, stack.db);
    await placeOrder(stack.datamart, "sched-2", "pending", {}, stack.db);

    await stack.invokeScheduled("syncDatamartOrderStatus");

    const orders = stack.db.collection(COLLECTIONS.transactions);
    expect((await orders.doc("sched-1").get()).get("status")).to.equal("delivered");
    expect((await orders.doc("sched-2").get()).get("status")).to.equal("processing");
    const runs = await stack.db.collection(COLLECTIONS.syncRuns).get();
    expect(runs.docs.map((d) => d.data())).to.have.length(1);
    expect(runs.docs[0].data()).to.include({
      trigger: "schedule",
      updated: 1,
      unchanged: 1,
      skipped: false,
    });
  });
});
