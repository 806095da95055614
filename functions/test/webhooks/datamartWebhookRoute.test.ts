import { expect } from "chai";
import { sign } from "../../src/webhooks/signature";
import { placeOrder } from "../support/datamart";
import { eventually } from "../support/eventually";
import {
  functionsStack,
  retriedOnceForLostEvents,
  type FunctionsStack,
} from "../support/functionsStack";
import { COLLECTIONS } from "../../src/contract";

/** The secret the emulated functions read from functions/.secret.local. */
const SECRET = "local-webhook-secret";

describe("POST /api/datamart-webhook on the functions emulator", function () {
  this.timeout(120_000);
  retriedOnceForLostEvents(this);
  let stack: FunctionsStack;
  let order: Record<string, unknown>;

  before(async () => {
    stack = await functionsStack();
  });
  beforeEach(async () => {
    await stack.reset();
    order = await placeOrder(
      stack.datamart,
      "hook-1",
      "processing",
      { phoneNumber: "0201234567" },
      stack.db,
    );
  });

  const completed = () =>
    JSON.stringify({
      event: "order.completed",
      timestamp: new Date().toISOString(),
      data: {
        orderId: order.datamartTransactionId,
        orderReference: (order.datamartResponse as { orderReference: string }).orderReference,
        status: "completed",
      },
    });
  const post = (raw: string, signature?: string, contentType = "application/json") =>
    fetch(stack.apiUrl("/api/datamart-webhook"), {
      method: "POST",
      headers: {
        "Content-Type": contentType,
        "X-DataMart-Event": "order.completed",
        ...(signature ? { "X-DataMart-Signature": signature } : {}),
      },
      body: raw,
    });
  const history = async () =>
    (
      await stack.db
        .collection(COLLECTIONS.transactions)
        .doc("hook-1")
        .collection(COLLECTIONS.statusHistory)
        .get()
    ).size;

  it("updates the order from a signed event and the customer gets one SMS", async () => {
    const raw = completed();
    const response = await post(raw, sign(raw, SECRET));
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ success: true, outcome: "changed" });
    expect(
      (await stack.db.collection(COLLECTIONS.transactions).doc("hook-1").get()).get("status"),
    ).to.equal("delivered");
    const [sms] = await eventually("the SMS", () =>
      stack.mnotify.messages.length > 0 ? stack.mnotify.messages : undefined,
    );
    expect(sms).to.include({ recipient: "233201234567" });
    expect(await stack.smsOnceTriggersSettle()).to.have.length(1);
  });

  it("answers 401 with a generic body to a wrong signature and changes nothing", async () => {
    const raw = completed();
    const response = await post(raw, sign(raw, "wrong-secret"));
    expect(response.status).to.equal(401);
    expect(await response.json()).to.deep.equal({
      success: false,
      error: { code: "unauthenticated", message: "Invalid signature" },
    });
    expect(
      (await stack.db.collection(COLLECTIONS.transactions).doc("hook-1").get()).get("status"),
    ).to.equal("processing");
  });

  it("lets a webhook and the poll race on one order: one status change, one history entry, one SMS", async () => {
    stack.datamart.setStatus(String(order.datamartTransactionId), "completed");
    const raw = completed();
    const [webhook] = await Promise.all([
      post(raw, sign(raw, SECRET)),
      stack.invokeScheduled("syncDatamartOrderStatus"),
    ]);
    expect(webhook.status).to.equal(200);
    expect(
      (await stack.db.collection(COLLECTIONS.transactions).doc("hook-1").get()).get("status"),
    ).to.equal("delivered");
    expect(await history()).to.equal(1);
    await eventually("the SMS", () => (stack.mnotify.messages.length > 0 ? true : undefined));
    expect(await stack.smsOnceTriggersSettle()).to.have.length(1);
  });

  it("answers a replayed capture of a signed body 200 duplicate, with one event record and one SMS", async () => {
    const raw = completed();
    const first = await post(raw, sign(raw, SECRET));
    expect(await first.json()).to.deep.equal({ success: true, outcome: "changed" });
    for (let i = 0; i < 3; i++) {
      const replay = await post(raw, sign(raw, SECRET));
      expect(replay.status).to.equal(200);
      expect(await replay.json()).to.deep.equal({ success: true, outcome: "duplicate" });
    }
    expect((await stack.db.collection(COLLECTIONS.webhookEvents).get()).size).to.equal(1);
    expect(await stack.smsOnceTriggersSettle()).to.have.length(1);
  });

  it("refuses a signed event older than an hour with the project's JSON error", async () => {
    const raw = completed().replace(
      /"timestamp":"[^"]+"/,
      '"timestamp":"2026-01-01T00:00:00.000Z"',
    );
    const response = await post(raw, sign(raw, SECRET));
    expect(response.status).to.equal(400);
    expect(await response.json()).to.deep.include({ success: false });
    expect(
      (await stack.db.collection(COLLECTIONS.transactions).doc("hook-1").get()).get("status"),
    ).to.equal("processing");
  });

  it("records a signed body that is not JSON and answers the project's JSON 400 when the platform lets it through", async () => {
    const raw = "{not json";
    const response = await post(raw, sign(raw, SECRET), "text/plain");
    expect(response.status).to.equal(400);
    expect(await response.json()).to.deep.equal({
      success: false,
      error: { code: "invalid-payload", message: "The body is not a Datamart webhook event" },
    });
    const recorded = await stack.db.collection(COLLECTIONS.webhookEvents).get();
    expect(recorded.docs.map((d) => d.get("outcome") as string)).to.deep.equal(["invalid-payload"]);
  });

  it("cannot see a body sent as application/json that is not JSON: the platform answers 400 itself", async () => {
    // The platform's JSON body parser refuses it before the handler runs (docs/design.md: Datamart webhooks).
    const raw = "{not json";
    const response = await post(raw, sign(raw, SECRET), "application/json");
    expect(response.status).to.equal(400);
    expect(response.headers.get("content-type")).to.not.match(/json/);
    expect((await stack.db.collection(COLLECTIONS.webhookEvents).get()).size).to.equal(0);
    expect(
      (await stack.db.collection(COLLECTIONS.transactions).doc("hook-1").get()).get("status"),
    ).to.equal("processing");
  });
});
