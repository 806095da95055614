import { expect } from "chai";
import { DatamartStandIn } from "../../dev/standins/datamartStandIn";
import { MnotifyStandIn } from "../../dev/standins/mnotifyStandIn";
import { eventually } from "../support/eventually";

const order = {
  orderId: "66a0000000000000000000aa",
  orderReference: "GN-A1",
  transactionReference: "TRX-A1",
  status: "pending",
};

describe("stand-in Datamart", () => {
  let datamart: DatamartStandIn;
  afterEach(() => datamart.close());

  const status = async (ref: string, key = "k") => {
    const response = await fetch(`${datamart.baseUrl}/order-status/${ref}`, {
      headers: { "X-API-Key": key },
    });
    return {
      http: response.status,
      body: (await response.json()) as {
        status: string;
        data?: { orderStatus: string };
        rateLimit?: object;
      },
      retryAfter: response.headers.get("retry-after"),
    };
  };

  it("answers by any of an order's references in Datamart's envelope, and 404 for unknown ones", async () => {
    datamart = await DatamartStandIn.start({ apiKey: "k" });
    datamart.addOrder({ ...order });
    for (const ref of ["GN-A1", "TRX-A1", order.orderId]) {
      const reply = await status(ref);
      expect(reply.http).to.equal(200);
      expect(reply.body).to.include({ status: "success" });
      expect(reply.body.data?.orderStatus).to.equal("pending");
    }
    expect((await status("GN-NOPE")).http).to.equal(404);
    expect((await status("GN-A1", "wrong-key")).http).to.equal(401);
  });

  it("moves an order pending -> processing -> completed by itself, or failed when told to fail them all", async () => {
    datamart = await DatamartStandIn.start({ progression: { stepMs: [10, 20], failShare: 0 } });
    datamart.addOrder({ ...order }, true);
    const seen: string[] = [];
    await eventually("completion", async () => {
      const s = (await status("GN-A1")).body.data!.orderStatus;
      if (seen.at(-1) !== s) seen.push(s);
      return s === "completed" ? true : undefined;
    });
    expect(seen[0]).to.be.oneOf(["pending", "processing"]);
    await datamart.close();

    datamart = await DatamartStandIn.start({ progression: { stepMs: [5, 10], failShare: 1 } });
    datamart.addOrder({ ...order }, true);
    await eventually("failure", async () =>
      (await status("GN-A1")).body.data!.orderStatus === "failed" ? true : undefined,
    );
  });

  it("takes an order's next status by hand over HTTP", async () => {
    datamart = await DatamartStandIn.start();
    datamart.addOrder({ ...order });
    const control = await fetch(
      `${datamart.baseUrl.replace("/api/developer", "")}/_standin/orders/GN-A1/status`,
      { method: "POST", body: JSON.stringify({ status: "refunded" }) },
    );
    expect(control.status).to.equal(200);
    expect((await status("TRX-A1")).body.data!.orderStatus).to.equal("refunded");
  });

  it("answers 429 with Retry-After and a rateLimit block past its limit", async () => {
    datamart = await DatamartStandIn.start({ ratePerMinute: 2 });
    datamart.addOrder({ ...order });
    expect((await status("GN-A1")).body.rateLimit).to.deep.include({ limit: 2, remaining: 1 });
    await status("GN-A1");
    const limited = await status("GN-A1");
    expect(limited.http).to.equal(429);
    expect(Number(limited.retryAfter)).to.be.within(1, 60);
    expect(limited.body.rateLimit).to.deep.include({ limit: 2, remaining: 0 });
  });

  it("fails as told: canned answers, then outages", async () => {
    datamart = await DatamartStandIn.start();
    datamart.addOrder({ ...order });
    datamart.replyNext({ httpStatus: 500, body: "boom" });
    expect((await fetch(`${datamart.baseUrl}/order-status/GN-A1`)).status).to.equal(500);
    expect((await status("GN-A1")).http).to.equal(200);
    datamart.setOutage({ httpStatus: 503, body: "down" });
    expect((await fetch(`${datamart.baseUrl}/order-status/GN-A1`)).status).to.equal(503);
  });

  it("goes back to how it started on reset: its starting options, no orders, no failures", async () => {
    datamart = await DatamartStandIn.start({ ratePerMinute: 100 });
    datamart.addOrder({ ...order });
    datamart.setRatePerMinute(1);
    datamart.options.latencyMs = 50;
    datamart.setTrackerMessage("Yello portal is slow");
    datamart.setOutage({ httpStatus: 503, body: "down" });
    datamart.reset();
    expect(datamart.options).to.deep.equal({ ratePerMinute: 100 });
    expect((await status("GN-A1")).http).to.equal(404);
    const tracker = await fetch(`${datamart.baseUrl}/delivery-tracker`);
    expect(tracker.status).to.equal(200);
    expect(((await tracker.json()) as { data: object }).data).not.to.have.property("message");
  });
});

describe("stand-in mNotify", () => {
  let mnotify: MnotifyStandIn;
  afterEach(() => mnotify.close());

  const send = async (body: object, key = "k") => {
    const response = await fetch(`${mnotify.baseUrl}/sms/quick?key=${key}`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "Content-Type": "application/json" },
    });
    return {
      http: response.status,
      body: (await response.json()) as { status: string; code: string; summary?: { _id: string } },
    };
  };
  const sms = {
    recipient: ["233241234567"],
    sender: "DataSell",
    message: "Hello",
    is_schedule: false,
    schedule_date: "",
  };

  it("accepts quick SMS like mNotify (code 2000, summary) and keeps the messages", async () => {
    mnotify = await MnotifyStandIn.start({ apiKey: "k", registeredSenders: ["DataSell"] });
    const reply = await send(sms);
    expect(reply.body).to.include({ status: "success", code: "2000" });
    expect(mnotify.messages).to.have.length(1);
    expect(mnotify.messages[0]).to.include({
      recipient: "233241234567",
      sender: "DataSell",
      message: "Hello",
      campaignId: reply.body.summary!._id,
    });
  });

  it("answers mNotify's error codes", async () => {
    mnotify = await MnotifyStandIn.start({
      apiKey: "k",
      registeredSenders: ["DataSell"],
      credit: 0,
    });
    expect((await send(sms, "bad")).body.code).to.equal("1004");
    expect((await send({ ...sms, sender: "12345" })).body.code).to.equal("4000");
    expect((await send({ ...sms, sender: "DataSellGhana" })).body.code).to.equal("4003");
    expect((await send({ ...sms, sender: "Other" })).body.code).to.equal("4014");
    expect((await send({ ...sms, message: "" })).body.code).to.equal("4001");
    expect((await send({ ...sms, recipient: ["12345"] })).body.code).to.equal("1005");
    expect((await send(sms)).body.code).to.equal("4004");
    expect(mnotify.messages).to.have.length(0);
  });

  it("fails while switched off over HTTP, and recovers", async () => {
    mnotify = await MnotifyStandIn.start();
    const control = `${mnotify.baseUrl.replace("/api", "")}/_standin/outage`;
    await fetch(control, { method: "POST", body: JSON.stringify({ httpStatus: 503 }) });
    expect((await send(sms)).http).to.equal(503);
    await fetch(control, { method: "POST", body: JSON.stringify({ code: "4004" }) });
    expect((await send(sms)).body.code).to.equal("4004");
    await fetch(control, { method: "DELETE" });
    expect((await send(sms)).body.code).to.equal("2000");
    expect(mnotify.messages).to.have.length(1);
  });
});
