import { expect } from "chai";
import nock from "nock";
import { providerFailure } from "../support/providerErrors";
import { senderIdProblem } from "../../src/domain/senderId";
import { MnotifyClient } from "../../src/providers/mnotify";

const BASE = "https://mnotify.test/api";
const KEY = "mn-secret-key-456";
const client = (senderId = "DataSell", timeoutMs = 1_000) =>
  new MnotifyClient({ baseUrl: BASE, apiKey: KEY, senderId, timeoutMs });

const success = {
  status: "success",
  code: "2000",
  message: "messages sent successfully",
  summary: {
    _id: "camp-1",
    message_id: "msg-1",
    type: "API QUICK SMS",
    total_sent: 1,
    contacts: 1,
    total_rejected: 0,
    numbers_sent: ["233241234567"],
    credit_used: 1,
    credit_left: 99,
  },
};

const failure = (promise: Promise<unknown>) => providerFailure(promise, KEY);

describe("mNotify client", () => {
  afterEach(() => nock.cleanAll());

  it("posts the documented body with the key in the query and returns the campaign id", async () => {
    nock(BASE)
      .post("/sms/quick", {
        recipient: ["233241234567"],
        sender: "DataSell",
        message: "Hello",
        is_schedule: false,
        schedule_date: "",
      })
      .query({ key: KEY })
      .reply(200, success);
    expect(await client().send("233241234567", "Hello")).to.deep.equal({
      campaignId: "camp-1",
      messageId: "msg-1",
    });
  });

  it("classifies 5xx and timeouts as transient", async () => {
    nock(BASE).post("/sms/quick").query(true).reply(503, "Service Unavailable");
    expect(await failure(client().send("233241234567", "Hi"))).to.include({
      kind: "server",
      transient: true,
    });
    nock(BASE).post("/sms/quick").query(true).delay(300).reply(200, success);
    expect(await failure(client("DataSell", 50).send("233241234567", "Hi"))).to.include({
      kind: "timeout",
      transient: true,
    });
  });

  const permanent: [string, string][] = [
    ["4000", "rejected"],
    ["4001", "rejected"],
    ["4003", "rejected"],
    ["4004", "rejected"],
    ["4014", "rejected"],
    ["1003", "rejected"],
    ["1004", "auth"],
    ["1005", "rejected"],
    ["1006", "rejected"],
  ];
  for (const [code, kind] of permanent) {
    it(`classifies mNotify code ${code} as permanent, keeping the code`, async () => {
      nock(BASE)
        .post("/sms/quick")
        .query(true)
        .reply(200, { status: "error", code, message: "nope" });
      const error = await failure(client().send("233241234567", "Hi"));
      expect(error).to.include({ kind, transient: false });
      expect(error.details.code).to.equal(code);
    });
  }

  it("treats an answer without a summary as unconfirmed, permanent", async () => {
    nock(BASE).post("/sms/quick").query(true).reply(200, { status: "success", code: "2000" });
    expect(await failure(client().send("233241234567", "Hi"))).to.include({
      kind: "bad-response",
      transient: false,
    });
  });

  it("refuses an invalid sender id without calling mNotify", async () => {
    expect(await failure(client("0244123456").send("233241234567", "Hi"))).to.include({
      kind: "rejected",
    });
    expect(senderIdProblem("DataSellGhana")).to.contain("longer than 11");
    expect(senderIdProblem("12345")).to.contain("numeric");
    expect(senderIdProblem("DataSell")).to.equal(undefined);
  });

  it("says which rule a sender id breaks, at the edges of each", () => {
    expect(senderIdProblem("  ")).to.equal("the sender id is empty");
    expect(senderIdProblem("DataSellGha")).to.equal(undefined); // 11 characters
    expect(senderIdProblem("DataSellGhan")).to.equal("the sender id is longer than 11 characters");
    expect(senderIdProblem("12345")).to.equal("the sender id is numeric");
    for (const mixed of ["A12345", "12345A", "12 345"])
      expect(senderIdProblem(mixed), mixed).to.equal(undefined);
  });

  it("names mNotify, the rule and the config in its refusal of a bad sender id", async () => {
    const error = await failure(client("0244123456").send("233241234567", "Hi"));
    expect(error).to.include({
      provider: "mnotify",
      kind: "rejected",
      message: "MNOTIFY_SENDER_ID is invalid: the sender id is numeric",
    });
    expect(error.details).to.include({ code: "config" });
  });

  it("sends JSON, and says which permanent code mNotify answered, with its meaning", async () => {
    nock(BASE, { reqheaders: { "content-type": "application/json" } })
      .post("/sms/quick")
      .query(true)
      .reply(200, { status: "error", code: 1005, message: "nope" });
    const error = await failure(client().send("233241234567", "Hi"));
    expect(error).to.include({
      provider: "mnotify",
      kind: "rejected",
      message: "mNotify 1005: invalid phone number",
    });
    expect(error.details).to.include({ status: 200, code: "1005" });
  });

  for (const status of [401, 403])
    it(`takes HTTP ${status} without a known code for a refused key`, async () => {
      nock(BASE).post("/sms/quick").query(true).reply(status, { status: "error" });
      const error = await failure(client().send("233241234567", "Hi"));
      expect(error).to.include({
        provider: "mnotify",
        kind: "auth",
        transient: false,
        message: `mNotify refused the API key (HTTP ${status})`,
      });
      expect(error.details).to.include({ status });
    });

  it("does not take a message as sent unless mNotify says success with a campaign, under HTTP 400", async () => {
    const unconfirmed = [
      [200, { status: "error", code: "2999", summary: { _id: "c" } }, "(HTTP 200, code 2999)"],
      [200, { status: "success", summary: { _id: "" } }, "(HTTP 200)"],
      [404, { status: "success", summary: { _id: "c" } }, "(HTTP 404)"],
      [200, "not json", "(HTTP 200)"],
    ] as const;
    for (const [status, body, says] of unconfirmed) {
      nock(BASE).post("/sms/quick").query(true).reply(status, body);
      const error = await failure(client().send("233241234567", "Hi"));
      expect(error, says).to.include({
        provider: "mnotify",
        kind: "bad-response",
        message: `mNotify did not confirm the message ${says}`,
      });
      expect(error.details.status, says).to.equal(status);
    }
  });

  it("asks for the sender id's status with the sender's name and the key, and answers mNotify's word", async () => {
    nock(BASE)
      .post("/senderid/status", { sender_name: "DataSell" })
      .query({ key: KEY })
      .reply(200, { status: "success", summary: { status: "Approved" } });
    expect(await client().senderIdStatus()).to.equal("Approved");
  });

  it("says when mNotify does not answer the sender id's status", async () => {
    for (const [status, body] of [
      [500, { status: "success", summary: { status: "Approved" } }],
      [200, { status: "error" }],
      [400, { status: "success", summary: { status: "Approved" } }],
    ] as const) {
      nock(BASE).post("/senderid/status").query(true).reply(status, body);
      const error = await failure(client().senderIdStatus());
      expect(error, String(status)).to.include({
        provider: "mnotify",
        kind: "bad-response",
        message: `mNotify did not answer the sender id status (HTTP ${status})`,
      });
      expect(error.details).to.include({ status });
    }
    nock(BASE).post("/senderid/status").query(true).replyWithError({ code: "ECONNREFUSED" });
    expect(await failure(client().senderIdStatus())).to.include({
      provider: "mnotify",
      transient: true,
    });
  });

  describe("delivery reports", () => {
    const list = (campaign: string, status: string, numbers: string[]) =>
      nock(BASE)
        .get(`/campaign/${campaign}/${status}`)
        .query({ key: KEY })
        .reply(200, { status: "success", report: numbers.map((recipient) => ({ recipient })) });

    it("finds the number in the campaign's DELIVERED list, in its local spelling too", async () => {
      list("camp%2F1", "DELIVERED", ["0241234567"]);
      expect(await client().deliveryReport("camp/1", "233241234567")).to.equal("delivered");
    });

    it("reads the lists in turn: a number listed FAILED is undelivered; one listed nowhere, pending", async () => {
      list("c1", "DELIVERED", ["233249999999"]);
      list("c1", "UNDELIVERED", []);
      list("c1", "FAILED", ["233241234567"]);
      expect(await client().deliveryReport("c1", "233241234567")).to.equal("undelivered");
      for (const status of ["DELIVERED", "UNDELIVERED", "FAILED", "REJECTED"])
        list("c2", status, []);
      expect(await client().deliveryReport("c2", "233241234567")).to.equal("pending");
      expect(nock.isDone()).to.equal(true);
    });

    it("says when a list cannot be read, and never guesses", async () => {
      nock(BASE).get("/campaign/c3/DELIVERED").query(true).reply(502, "Bad Gateway");
      expect(await failure(client().deliveryReport("c3", "233241234567"))).to.include({
        provider: "mnotify",
      });
      nock(BASE).get("/campaign/c4/DELIVERED").query(true).reply(404, { status: "error" });
      const error = await failure(client().deliveryReport("c4", "233241234567"));
      expect(error).to.include({
        kind: "bad-response",
        message: "mNotify's delivery report failed (HTTP 404)",
      });
      expect(error.details).to.include({ status: 404 });
      nock(BASE).get("/campaign/c5/DELIVERED").query(true).reply(200, "garbage");
      expect(await failure(client().deliveryReport("c5", "233241234567"))).to.include({
        message: "mNotify's delivery report failed (HTTP 200)",
      });
    });
  });
});
