import { expect } from "chai";
import nock from "nock";
import { providerFailure } from "../support/providerErrors";
import { MnotifyClient, senderIdProblem } from "../../src/providers/mnotify";

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
});
