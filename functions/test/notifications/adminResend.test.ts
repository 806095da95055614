import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import {
  functionsStack,
  retriedOnceForLostEvents,
  type FunctionsStack,
} from "../support/functionsStack";
import { COLLECTIONS } from "../../src/contract";

const CUSTOMER = { uid: "resend-user", email: "resend-user@datasell.test" };
const OTHER = { uid: "resend-other", email: "resend-other@datasell.test" };
const ADMIN = { uid: "resend-admin", email: "resend-admin@datasell.test", admin: true };

describe("unknown outcomes and damaged records on the functions emulator", function () {
  this.timeout(120_000);
  retriedOnceForLostEvents(this);
  let stack: FunctionsStack;
  const tokens: Record<string, string> = {};

  before(async () => {
    stack = await functionsStack();
    for (const [name, user] of Object.entries({ CUSTOMER, OTHER, ADMIN }))
      tokens[name] = await stack.idToken(user);
  });
  beforeEach(() => stack.reset());

  it("adminResendNotification sends an UNKNOWN message again once, for an admin, with an audit entry", async () => {
    const ref = stack.db.collection(COLLECTIONS.orderNotifications).doc("o-1_delivered");
    await ref.set({
      transactionId: "o-1",
      userId: CUSTOMER.uid,
      status: "delivered",
      channel: "sms",
      recipient: "233241234567",
      recipientMasked: "23324*****67",
      message: "Your 1GB MTN data has been delivered.",
      state: "UNKNOWN",
      reason: "outcome unknown: mNotify timed out (ECONNABORTED)",
      attempts: 1,
      createdAt: Timestamp.now(),
    });
    const asCustomer = await stack.call(
      "adminResendNotification",
      { notificationId: ref.id },
      tokens.CUSTOMER,
    );
    expect(asCustomer.body.error?.status).to.equal("PERMISSION_DENIED");

    const resent = await stack.call(
      "adminResendNotification",
      { notificationId: ref.id },
      tokens.ADMIN,
    );
    expect(resent.body.result).to.deep.equal({
      success: true,
      notificationId: ref.id,
      previousState: "UNKNOWN",
      state: "SENT",
    });
    const again = await stack.call(
      "adminResendNotification",
      { notificationId: ref.id },
      tokens.ADMIN,
    );
    expect(again.body.error).to.include({ status: "FAILED_PRECONDITION" });
    expect(stack.mnotify.messages).to.have.length(1);

    const audit = await ref.collection(COLLECTIONS.notificationAudit).get();
    expect(audit.docs.map((d) => d.data())).to.have.length(1);
    expect(audit.docs[0].data()).to.include({
      action: "resend",
      adminUid: ADMIN.uid,
      previousState: "UNKNOWN",
    });
    const missing = await stack.call(
      "adminResendNotification",
      { notificationId: "nope" },
      tokens.ADMIN,
    );
    expect(missing.body.error?.status).to.equal("NOT_FOUND");
  });

  it("answers a damaged order record with a typed error to its owner and admins, and not-found to others", async () => {
    await stack.db
      .collection(COLLECTIONS.transactions)
      .doc("bad-1")
      .set({ userId: CUSTOMER.uid, status: 42, network: "YELLO" });
    for (const who of ["CUSTOMER", "ADMIN"]) {
      const answer = await stack.call("getOrderStatus", { transactionId: "bad-1" }, tokens[who]);
      expect(answer.body.error, who).to.deep.include({
        status: "FAILED_PRECONDITION",
        message: "This order's record cannot be read right now; DataSell support has been alerted",
      });
    }
    const other = await stack.call("getOrderStatus", { transactionId: "bad-1" }, tokens.OTHER);
    expect(other.body.error?.status).to.equal("NOT_FOUND");
    const http = await fetch(stack.apiUrl("/api/order-status/bad-1"), {
      headers: { Authorization: `Bearer ${tokens.CUSTOMER}` },
    });
    expect(http.status).to.equal(409);
    expect(((await http.json()) as { error: { code: string } }).error.code).to.equal(
      "failed-precondition",
    );
  });
});
