import { expect } from "chai";
import { applyStatus } from "../../src/orders/applyStatus";
import { eventually } from "../support/eventually";
import { anOrder, REFUNDS_ON } from "../support/firestore";
import {
  functionsStack,
  retriedOnceForLostEvents,
  type FunctionsStack,
} from "../support/functionsStack";
import { COLLECTIONS } from "../../src/contract";

const CUSTOMER = { uid: "refund-user", email: "refund-user@datasell.test" };
const ADMIN = { uid: "refund-admin", email: "refund-admin@datasell.test", admin: true };

describe("refunds on the functions emulator: the customer's message and the admin callable", function () {
  this.timeout(120_000);
  retriedOnceForLostEvents(this);
  let stack: FunctionsStack;
  const tokens: Record<string, string> = {};

  before(async () => {
    stack = await functionsStack();
    tokens.customer = await stack.idToken(CUSTOMER);
    tokens.admin = await stack.idToken(ADMIN);
  });
  beforeEach(async () => {
    await stack.reset();
    await stack.db.collection(COLLECTIONS.users).doc(CUSTOMER.uid).set({ walletBalance: 10 });
  });

  const order = (id: string, fields: Record<string, unknown> = {}) => {
    const ref = stack.db.collection(COLLECTIONS.transactions).doc(id);
    return ref.set(anOrder({ userId: CUSTOMER.uid, amount: 5, ...fields })).then(() => ref);
  };
  const smsFor = (text: string) => stack.mnotify.messages.filter((m) => m.message.includes(text));
  const ledger = () =>
    stack.db
      .collection(COLLECTIONS.users)
      .doc(CUSTOMER.uid)
      .collection(COLLECTIONS.walletLedger)
      .get();
  const balance = async () =>
    (await stack.db.collection(COLLECTIONS.users).doc(CUSTOMER.uid).get()).get(
      "walletBalance",
    ) as number;

  it("texts the refund with the failure once, and nothing more when Datamart then says refunded", async () => {
    const ref = await order("f-1");
    await applyStatus(stack.db, ref, { datamartStatus: "failed", source: "webhook" }, REFUNDS_ON);
    await applyStatus(stack.db, ref, { datamartStatus: "refunded", source: "poll" }, REFUNDS_ON);
    // A later order's message proves the trigger has handled the first one's events.
    await applyStatus(
      stack.db,
      await order("f-2", { paymentMethod: "direct" }),
      { datamartStatus: "cancelled", source: "poll" },
      REFUNDS_ON,
    );
    await eventually("the later order's SMS", () =>
      smsFor("was cancelled").length ? true : undefined,
    );
    const texts = stack.mnotify.messages.map((m) => m.message);
    expect(texts.filter((t) => t.includes("failed"))).to.deep.equal([
      "Sorry, your 1GB MTN data order to 0241234567 failed. GHS 5.00 has been refunded to your DataSell wallet.",
    ]);
    expect(smsFor("was cancelled")[0].message).to.contain("Please contact DataSell support");
    expect(await balance()).to.equal(15);
  });

  it("credits nothing when the DataSell app itself marks its refused purchase failed", async () => {
    const ref = await order("app-1", { datamartTransactionId: null, datamartResponse: null });
    await ref.update({ status: "failed", reason: "Insufficient wallet balance" });
    await eventually("the failure SMS", () => (smsFor("failed").length ? true : undefined));
    expect(smsFor("failed")[0].message).to.contain("Please contact DataSell support");
    expect((await ledger()).size).to.equal(0);
    expect(await balance()).to.equal(10);
    expect((await ref.get()).get("refund")).to.equal(undefined);
  });

  it("adminRefundOrder refunds a flagged order once for an admin, tells the customer once, and refuses everyone else", async () => {
    const ref = await order("m-1", { paymentMethod: "direct" });
    await applyStatus(stack.db, ref, { datamartStatus: "failed", source: "poll" }, REFUNDS_ON);
    expect((await ref.get()).get("refund.state")).to.equal("manual");

    const asCustomer = await stack.call(
      "adminRefundOrder",
      { transactionId: "m-1" },
      tokens.customer,
    );
    expect(asCustomer.status).to.equal(403);
    expect(asCustomer.body.error?.status).to.equal("PERMISSION_DENIED");
    const anonymous = await stack.call("adminRefundOrder", { transactionId: "m-1" });
    expect(anonymous.body.error?.status).to.equal("UNAUTHENTICATED");
    const malformed = await stack.call("adminRefundOrder", { transactionId: "a/b" }, tokens.admin);
    expect(malformed.body.error?.status).to.equal("INVALID_ARGUMENT");

    const plain = await stack.call("adminRefundOrder", { transactionId: "m-1" }, tokens.admin);
    expect(plain.body.error?.status).to.equal("FAILED_PRECONDITION");
    expect(plain.body.error?.message).to.match(/paid by direct, not the wallet/);
    const override = { reason: "Paid by MoMo; refunded as wallet credit on request" };
    const first = await stack.call(
      "adminRefundOrder",
      { transactionId: "m-1", override },
      tokens.admin,
    );
    const second = await stack.call(
      "adminRefundOrder",
      { transactionId: "m-1", override },
      tokens.admin,
    );
    expect(first.body.result).to.include({ outcome: "credited", amount: 5 });
    expect(second.body.result).to.include({ outcome: "already-refunded" });
    const entries = await ledger();
    expect(entries.docs.map((d) => d.get("adminUid") as string)).to.deep.equal([ADMIN.uid]);
    expect(await balance()).to.equal(15);
    // The failure's SMS said to contact support; the credit is told once, on the same channels.
    const credit = await eventually("the credit's SMS", () => {
      const sent = smsFor("has been refunded to your DataSell wallet");
      return sent.length ? sent : undefined;
    });
    expect(credit.map((m) => m.message)).to.deep.equal([
      "Your 1GB MTN data order to 0241234567 could not be completed. GHS 5.00 has been refunded to your DataSell wallet.",
    ]);
    expect(smsFor("failed")[0].message).to.contain("Please contact DataSell support");
    const records = await stack.db
      .collection(COLLECTIONS.orderNotifications)
      .where("transactionId", "==", "m-1")
      .where("status", "==", "refunded")
      .get();
    expect(records.docs.map((d) => d.id).sort()).to.deep.equal([
      "m-1_refunded",
      "m-1_refunded_email",
      "m-1_refunded_push",
    ]);
    expect(await stack.smsOnceTriggersSettle()).to.have.length(2);
  });
});
