import { expect } from "chai";
import type { Timestamp } from "firebase-admin/firestore";
import { capturedLogs } from "../../dev/capturedLogs";
import { DatamartStandIn } from "../../dev/standins/datamartStandIn";
import { handleDatamartWebhook, type WebhookDeps } from "../../src/webhooks/datamartWebhook";
import { isValidSignature, sign } from "../../src/webhooks/signature";
import { placeOrder } from "../support/datamart";
import { clearFirestore, testDb } from "../support/firestore";
import { COLLECTIONS } from "../../src/contract";
import { heldClock } from "../../dev/clocks";

const SECRET = "whsec-test";

describe("Datamart webhook (Firestore emulator)", () => {
  let datamart: DatamartStandIn;
  let order: Record<string, unknown>;
  let clock: number;

  before(async () => {
    datamart = await DatamartStandIn.start();
  });
  after(() => datamart.close());
  beforeEach(async () => {
    datamart.reset();
    capturedLogs.length = 0;
    clock = Date.now();
    await clearFirestore();
    order = await placeOrder(datamart, "wh-1", "processing");
  });

  const deps: () => WebhookDeps = () => ({
    db: testDb(),
    secret: SECRET,
    retentionDays: 30,
    maxAgeMinutes: 60,
    walletRefunds: true,
    clock: heldClock(() => clock),
  });
  const refs = () =>
    order.datamartResponse as {
      purchaseId: string;
      orderReference: string;
      transactionReference: string;
    };
  const body = (event: string, status: string, data: Record<string, unknown> = {}) =>
    JSON.stringify({
      event,
      timestamp: new Date(clock).toISOString(),
      data: {
        orderId: refs().purchaseId,
        orderReference: refs().orderReference,
        transactionId: refs().transactionReference,
        phone: "0241234567",
        network: "YELLO",
        capacity: "1",
        price: 6,
        status,
        ...data,
      },
    });
  /** Delivers a body signed with the right secret, or with `signature` (null: no header at all). */
  const deliver = (raw: string, signature: string | null = sign(raw, SECRET)) =>
    handleDatamartWebhook(deps(), { rawBody: Buffer.from(raw), signature: signature ?? undefined });
  const orderRef = () => testDb().collection(COLLECTIONS.transactions).doc("wh-1");
  const stored = async () => (await orderRef().get()).data()!;
  const events = async () =>
    (await testDb().collection(COLLECTIONS.webhookEvents).get()).docs.map((d) => d.data());
  const history = async () =>
    (
      await testDb()
        .collection(COLLECTIONS.transactions)
        .doc("wh-1")
        .collection(COLLECTIONS.statusHistory)
        .get()
    ).docs.map((d) => d.data());

  it("applies a signed order.completed and records the event with a retention limit", async () => {
    const reply = await deliver(body("order.completed", "completed"));
    expect(reply).to.deep.equal({ httpStatus: 200, body: { success: true, outcome: "changed" } });
    expect(await stored()).to.include({ status: "delivered", datamartStatus: "completed" });
    expect((await history())[0]).to.include({ source: "webhook", to: "delivered" });
    const [event] = await events();
    expect(event).to.include({
      event: "order.completed",
      status: "completed",
      signatureValid: true,
      outcome: "changed",
      transactionId: "wh-1",
      orderReference: refs().orderReference,
    });
    expect((event.expireAt as Timestamp).toMillis()).to.equal(clock + 30 * 86_400_000);
    expect(JSON.stringify(event)).not.to.contain("0241234567");
  });

  for (const [name, identity] of [
    ["the purchase id alone", { orderReference: null, transactionId: null }],
    ["the GN- order reference alone", { orderId: null, transactionId: null }],
    ["the TRX- transaction reference alone", { orderId: null, orderReference: null }],
  ] as const) {
    it(`finds the order by ${name}`, async () => {
      const reply = await deliver(body("order.failed", "failed", identity));
      expect(reply.body.outcome).to.equal("changed");
      expect((await stored()).status).to.equal("failed");
    });
  }

  for (const [name, signatureFor] of [
    ["a missing signature", () => null],
    ["a wrong signature", () => "0".repeat(64)],
    ["a signature that is not hex", () => "not-a-signature"],
    ["a signature made with another secret", (raw: string) => sign(raw, "other-secret")],
  ] as const) {
    it(`answers 401 for ${name}, and changes and records nothing`, async () => {
      const raw = body("order.completed", "completed");
      const reply = await deliver(raw, signatureFor(raw));
      expect(reply.httpStatus).to.equal(401);
      expect(JSON.stringify(reply)).not.to.match(/[0-9a-f]{64}/);
      expect((await stored()).status).to.equal("processing");
      expect(await events()).to.have.length(0);
    });
  }

  it("answers 401 for a body altered after signing, and logs no personal data", async () => {
    const original = body("order.completed", "completed");
    const altered = original.replace('"completed"}', '"refunded"}');
    expect((await deliver(altered, sign(original, SECRET))).httpStatus).to.equal(401);
    expect((await stored()).status).to.equal("processing");
    expect(JSON.stringify(capturedLogs))
      .to.contain("Datamart webhook rejected")
      .and.not.contain("0241234567");
  });

  it("answers 400 for malformed JSON and for an unknown event, recording both for admins", async () => {
    expect((await deliver("{not json")).httpStatus).to.equal(400);
    const unknown = await deliver(body("order.teleported", "completed"));
    expect(unknown.httpStatus).to.equal(400);
    expect((await events()).map((e) => e.outcome as string).sort()).to.deep.equal([
      "invalid-payload",
      "unknown-event",
    ]);
    expect((await stored()).status).to.equal("processing");
  });

  it("refuses a signed event whose name contradicts its status, recording it and leaving the order to the poll", async () => {
    const reply = await deliver(body("order.completed", "failed"));
    expect(reply.httpStatus).to.equal(400);
    expect(reply.body.error?.code).to.equal("event-status-mismatch");
    expect((await events()).map((e) => e.outcome as string)).to.deep.equal([
      "event-status-mismatch",
    ]);
    expect((await stored()).status).to.equal("processing");
  });

  it("recognises the same signed body delivered again: 200, one record, the order untouched", async () => {
    const raw = body("order.processing", "processing");
    const before = await orderRef().get();
    await deliver(raw);
    clock += 10 * 60_000;
    for (let i = 0; i < 3; i++)
      expect(await deliver(raw)).to.deep.equal({
        httpStatus: 200,
        body: { success: true, outcome: "duplicate" },
      });
    expect(await events()).to.have.length(1);
    // An event that changes no status writes nothing to the order, so no trigger wakes.
    expect((await orderRef().get()).updateTime?.isEqual(before.updateTime!)).to.equal(true);
  });

  it("changes nothing on a second, different delivery of a status already applied", async () => {
    await deliver(body("order.completed", "completed"));
    clock += 1_000; // Datamart's own second send carries a new timestamp, so another body
    const again = await deliver(body("order.completed", "completed"));
    expect(again.body.outcome).to.equal("ignored-final");
    expect(await history()).to.have.length(1);
  });

  it("refuses a signed event older than the replay window, recording it for admins", async () => {
    const raw = body("order.completed", "completed");
    clock += 61 * 60_000;
    const reply = await deliver(raw);
    expect(reply.httpStatus).to.equal(400);
    expect(reply.body.error?.code).to.equal("stale-event");
    expect((await stored()).status).to.equal("processing");
    expect((await events()).map((e) => e.outcome as string)).to.deep.equal(["stale"]);
  });

  it("ignores an old order.processing arriving after order.completed", async () => {
    await deliver(body("order.completed", "completed"));
    const late = await deliver(body("order.processing", "processing"));
    expect(late.body.outcome).to.equal("ignored-final");
    expect((await stored()).status).to.equal("delivered");
  });

  it("answers 200 for an unknown reference and records it as unmatched", async () => {
    const reply = await deliver(
      body("order.completed", "completed", {
        orderId: "nope",
        orderReference: "GN-NOPE",
        transactionId: "TRX-NOPE",
      }),
    );
    expect(reply).to.deep.equal({ httpStatus: 200, body: { success: true, outcome: "unmatched" } });
    expect((await events())[0]).to.include({ outcome: "unmatched", orderReference: "GN-NOPE" });
  });
});

describe("webhook signatures", () => {
  it("accepts exactly the hex HMAC-SHA256 of the raw body", () => {
    const raw = Buffer.from('{"a":1}');
    const good = sign(raw, "s");
    expect(isValidSignature(raw, good, "s")).to.be.true;
    expect(isValidSignature(raw, good.toUpperCase(), "s")).to.be.true;
    expect(isValidSignature(Buffer.from('{"a": 1}'), good, "s")).to.be.false;
    expect(isValidSignature(raw, good.slice(0, 63), "s")).to.be.false;
    expect(isValidSignature(raw, good, "")).to.be.false;
  });
});
