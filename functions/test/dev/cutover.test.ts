import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { applyCutover, describePlan, planCutover } from "../../dev/cutover";
import { emulatorDataOrders } from "../../dev/demoData";
import { FUNCTIONS_DIR } from "../../dev/emulators";
import { appOrder } from "../../dev/orderFactory";
import { placeOrder } from "../support/datamart";
import { clearFirestore, testDb } from "../support/firestore";
import {
  functionsStack,
  retriedOnceForLostEvents,
  type FunctionsStack,
} from "../support/functionsStack";
import { COLLECTIONS } from "../../src/contract";

const HOUR = 3_600_000;

describe("the switch-on cutover command", function () {
  this.timeout(120_000);

  describe("on emulator data shaped like DataSell's records", () => {
    beforeEach(async () => {
      await clearFirestore();
      const orders = testDb().collection(COLLECTIONS.transactions);
      // The seed's orders (a legacy `success` and a stuck order) as DataSell's would be on
      // switch-on day, over two weeks old.
      const twoWeeksAgo = new Date(Date.now() - 15 * 24 * HOUR);
      for (const order of emulatorDataOrders(twoWeeksAgo))
        await orders.doc(order.id).set(order.data);
      const young = appOrder({ id: "young", placedAt: new Date(Date.now() - HOUR / 2) });
      await orders.doc(young.id).set(young.data);
      // DataSell's export also holds epoch-millisecond times, and orders with no time at all.
      const epoch = appOrder({ id: "epoch-old", status: "success" });
      await orders.doc(epoch.id).set({ ...epoch.data, timestamp: Date.now() - 90 * 24 * HOUR });
      const timeless = appOrder({ id: "timeless" });
      await orders.doc(timeless.id).set({ ...timeless.data, timestamp: null });
    });

    const marked = async () =>
      (await testDb().collection(COLLECTIONS.transactions).get()).docs
        .filter((d) => d.get("cutover") != null)
        .map((d) => d.id)
        .sort();

    it("counts the open orders by status and age and, as a dry run, writes nothing", async () => {
      const plan = await planCutover(testDb(), 48);
      expect(plan.open).to.equal(6);
      expect(plan.counts.success).to.deep.equal({ "7-30 days": 1, "> 30 days": 1 });
      expect(plan.counts.processing).to.deep.include({ "< 1 h": 1, "no readable time": 1 });
      expect(plan.toMark.sort()).to.deep.equal([
        "DS-SEED-LEGACY-SUCCESS",
        "DS-SEED-NO-REFERENCE",
        "DS-SEED-STUCK",
        "epoch-old",
        "timeless",
      ]);
      expect(describePlan(plan, false)).to.contain("Would mark (dry run").and.contain(": 5 open");
      expect(await marked()).to.deep.equal([]);
    });

    it("marks the old ones once with --apply, and counts them as marked when run again", async () => {
      await applyCutover(testDb(), await planCutover(testDb(), 48));
      expect(await marked()).to.have.length(5);
      const again = await planCutover(testDb(), 48);
      expect(again).to.include({ alreadyMarked: 5 });
      expect(again.toMark).to.deep.equal([]);
    });

    it("runs from the command line: a dry run prints its table and writes nothing", () => {
      const output = execFileSync(
        process.execPath,
        ["-r", "tsx/cjs", "dev/cutover.ts", "--project", String(process.env.GCLOUD_PROJECT)],
        { cwd: FUNCTIONS_DIR, encoding: "utf8", env: process.env },
      );
      expect(output)
        .to.match(/Open orders: 6/)
        .and.match(/Would mark \(dry run/);
    });
  });

  describe("then the sync, on the functions emulator", function () {
    retriedOnceForLostEvents(this);
    let stack: FunctionsStack;
    before(async () => {
      stack = await functionsStack();
    });
    beforeEach(() => stack.reset());

    it("corrects a marked order's status with no message to the customer and no automatic refund", async () => {
      const old = new Date(Date.now() - 20 * 24 * HOUR).toISOString();
      await stack.db.collection(COLLECTIONS.users).doc("user-1").set({ walletBalance: 10 });
      await placeOrder(
        stack.datamart,
        "old-done",
        "completed",
        { status: "success", timestamp: old },
        stack.db,
      );
      await placeOrder(
        stack.datamart,
        "old-failed",
        "failed",
        { status: "success", timestamp: old },
        stack.db,
      );
      await applyCutover(stack.db, await planCutover(stack.db, 48));

      await stack.invokeScheduled("syncDatamartOrderStatus");
      const orders = stack.db.collection(COLLECTIONS.transactions);
      expect((await orders.doc("old-done").get()).get("status")).to.equal("delivered");
      const failed = await orders.doc("old-failed").get();
      expect(failed.get("status")).to.equal("failed");
      expect(failed.get("refund")).to.include({ state: "manual" });
      // Every channel recorded as not told, with the reason; nothing reached mNotify.
      expect(await stack.smsOnceTriggersSettle()).to.deep.equal([]);
      const records = await stack.db.collection(COLLECTIONS.orderNotifications).get();
      const own = records.docs.filter((d) => d.id.startsWith("old-"));
      expect(own).to.have.length(6);
      for (const record of own)
        expect(record.data()).to.include({
          state: "SKIPPED",
          reason: "open at switch-on: its status is corrected without a message",
        });
      const user = stack.db.collection(COLLECTIONS.users).doc("user-1");
      expect((await user.get()).get("walletBalance")).to.equal(10);
      expect((await user.collection(COLLECTIONS.inAppNotifications).get()).size).to.equal(0);
    });
  });
});
