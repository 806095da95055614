import { expect } from "chai";
import type { DocumentSnapshot } from "firebase-admin/firestore";
import { MnotifyStandIn } from "../../dev/standins/mnotifyStandIn";
import { applyStatus } from "../../src/orders/applyStatus";
import { onOrderUpdated } from "../../src/triggers/onOrderUpdated";
import { eventually } from "../support/eventually";
import { anOrder, clearFirestore, REFUNDS_ON, testDb } from "../support/firestore";
import { useFunctionsTest } from "../support/functionsTest";
import {
  functionsStack,
  retriedOnceForLostEvents,
  type FunctionsStack,
} from "../support/functionsStack";
import { COLLECTIONS } from "../../src/contract";

describe("onOrderUpdated", function () {
  this.timeout(120_000);

  describe("wrapped with firebase-functions-test", () => {
    let mnotify: MnotifyStandIn;

    before(async () => {
      mnotify = await MnotifyStandIn.start({ apiKey: "wrapped-key" });
    });
    after(() => mnotify.close());
    const fft = useFunctionsTest(() => ({
      MNOTIFY_BASE_URL: mnotify.baseUrl,
      MNOTIFY_API_KEY: "wrapped-key",
    }));
    beforeEach(async () => {
      mnotify.reset();
      await clearFirestore();
    });

    const statusEvent = (id: string, time = new Date()) => {
      const path = `transactions/${id}`;
      // firebase-functions-test types its snapshots loosely.
      const before = fft().firestore.makeDocumentSnapshot(
        anOrder({ status: "processing" }),
        path,
      ) as DocumentSnapshot;
      const after = fft().firestore.makeDocumentSnapshot(
        anOrder({ status: "delivered" }),
        path,
      ) as DocumentSnapshot;
      return {
        data: fft().makeChange(before, after),
        params: { transactionId: id },
        time: time.toISOString(),
      };
    };
    const records = async (id: string) =>
      (await testDb().collection(COLLECTIONS.orderNotifications).get()).docs.filter((d) =>
        d.id.startsWith(id),
      );

    it("is retried by the platform, so a change whose trigger failed before its records existed is told once", async () => {
      expect(onOrderUpdated.__endpoint.eventTrigger?.retry).to.equal(true);
      const wrapped = fft().wrap(onOrderUpdated);
      const event = statusEvent("fail-once");
      // The first invocation dies before its create-once transaction: a setting it cannot read.
      const good = process.env.MNOTIFY_BASE_URL;
      process.env.MNOTIFY_BASE_URL = "not a url";
      const failed = await Promise.resolve(wrapped(event)).then(
        () => "resolved",
        () => "rejected",
      );
      process.env.MNOTIFY_BASE_URL = good;
      expect(failed, "a failure the platform retries").to.equal("rejected");
      expect(await records("fail-once")).to.have.length(0);
      // The platform's retry delivers the same event again; a further replay changes nothing.
      await wrapped(event);
      await wrapped(event);
      expect(mnotify.messages.map((m) => m.message)).to.have.length(1);
      expect(mnotify.messages[0].message).to.contain("has been delivered");
      expect(await records("fail-once")).to.have.length(3);
    });

    it("drops an event the platform retried past the retry window, making no message", async () => {
      const wrapped = fft().wrap(onOrderUpdated);
      await wrapped(statusEvent("too-old", new Date(Date.now() - 7 * 3_600_000)));
      expect(mnotify.messages).to.have.length(0);
      expect(await records("too-old")).to.have.length(0);
    });

    it("sends one SMS when the same status-change event is delivered three times", async () => {
      const wrapped = fft().wrap(onOrderUpdated);
      const path = "transactions/wrapped-1";
      // firebase-functions-test types its snapshots loosely.
      const before = fft().firestore.makeDocumentSnapshot(
        anOrder({ status: "processing" }),
        path,
      ) as DocumentSnapshot;
      const after = fft().firestore.makeDocumentSnapshot(
        anOrder({ status: "delivered" }),
        path,
      ) as DocumentSnapshot;
      const event = {
        data: fft().makeChange(before, after),
        params: { transactionId: "wrapped-1" },
        time: new Date().toISOString(),
      };
      for (let i = 0; i < 3; i++) await wrapped(event);
      expect(mnotify.messages).to.have.length(1);
      expect(mnotify.messages[0].message).to.contain("has been delivered");
    });
  });

  describe("on the emulators, fired by real Firestore writes", function () {
    retriedOnceForLostEvents(this);
    let stack: FunctionsStack;
    before(async () => {
      stack = await functionsStack();
    });
    beforeEach(() => stack.reset());

    const messages = (n: number) =>
      eventually(`${n} SMS at the stand-in`, () =>
        stack.mnotify.messages.length >= n ? stack.mnotify.messages : undefined,
      );

    it("sends exactly one SMS, to the order's number, when the sync marks an order delivered", async () => {
      const ref = stack.db.collection(COLLECTIONS.transactions).doc("live-1");
      await ref.set(anOrder({ phoneNumber: "0551234567" }));
      await applyStatus(stack.db, ref, { datamartStatus: "completed", source: "poll" }, REFUNDS_ON);

      const [sms] = await messages(1);
      expect(sms.recipient).to.equal("233551234567");
      expect(sms.message).to.contain("has been delivered");
      const record = await eventually("the SENT record", async () => {
        const doc = await stack.db
          .collection(COLLECTIONS.orderNotifications)
          .doc("live-1_delivered")
          .get();
        return doc.get("state") === "SENT" ? doc.data() : undefined;
      });
      expect(record).to.include({ recipientMasked: "23355*****67" });
      expect(await stack.smsOnceTriggersSettle()).to.have.length(1);
    });

    it("sends nothing for updates that leave the status as it is", async () => {
      const ref = stack.db.collection(COLLECTIONS.transactions).doc("live-2");
      await ref.set(anOrder());
      await ref.update({ "sync.attempts": 1, "sync.lastCheckedAt": new Date() });
      await ref.update({ datamartStatus: "processing" });
      // A later real change proves the trigger was live all along.
      await ref.update({ status: "cancelled" });
      const sent = await messages(1);
      expect(sent.map((m) => m.message)).to.have.length(1);
      expect(sent[0].message).to.contain("was cancelled");
      const records = await stack.db.collection(COLLECTIONS.orderNotifications).get();
      // One status change: one record per channel (SMS, push, email), nothing for the rest.
      expect(records.docs.map((d) => d.id)).to.deep.equal([
        "live-2_cancelled",
        "live-2_cancelled_email",
        "live-2_cancelled_push",
      ]);
    });

    it("hands the sync a new order with no usable timestamp and a reopened one, nothing else", async () => {
      const orders = stack.db.collection(COLLECTIONS.transactions);
      await orders.doc("adopt-new").set(anOrder({ timestamp: "29/11/2026" }));
      await orders.doc("young").set(anOrder());
      const reopened = orders.doc("adopt-reopened");
      await reopened.set(
        anOrder({
          status: "delivered",
          timestamp: new Date(Date.now() - 3 * 3_600_000).toISOString(),
        }),
      );
      await reopened.update({ status: "success" });
      const adoptions = await eventually("two adoptions", async () => {
        const docs = (await stack.db.collection(COLLECTIONS.syncAdoptions).get()).docs;
        return docs.length >= 2 ? docs : undefined;
      });
      expect(adoptions.map((d) => [d.id, d.get("reason") as string])).to.deep.equal([
        ["adopt-new", "no-usable-timestamp"],
        ["adopt-reopened", "reopened"],
      ]);
      // The reopened order is told it is being processed: that SMS belongs to this test, not the
      // next one (a late one once made the next test count three messages).
      await stack.smsOnceTriggersSettle();
    });

    it("sends two messages in the order of the statuses for two changes in succession", async () => {
      const ref = stack.db.collection(COLLECTIONS.transactions).doc("live-3");
      // A number of its own: only this order's messages are counted.
      const mine = () => stack.mnotify.messages.filter((m) => m.recipient === "233201112223");
      const messagesOfMine = (n: number) =>
        eventually(`${n} SMS to this order's number`, () =>
          mine().length >= n ? mine() : undefined,
        );
      await ref.set(anOrder({ status: "pending", phoneNumber: "0201112223" }));
      await ref.update({ status: "processing" });
      await messagesOfMine(1);
      await ref.update({ status: "delivered" });
      const sent = await messagesOfMine(2);
      expect(sent).to.have.length(2);
      expect(sent.map((m) => m.message)).to.satisfy(
        (texts: string[]) =>
          texts[0].includes("is being processed") && texts[1].includes("has been delivered"),
      );
    });
  });
});
